/**
 * One copy of each peer Host Name (and the like) among the tunnels that hold it: a server keeps
 * every tunnel's PeerInfo for its lifetime, and a LAC's thousands of tunnels all carry the same
 * Host Name, each decoded into a fresh string (issue 16: ~32 B per idle tunnel). Pure: the
 * result equals the argument; only which copy is kept changes. Bounded: past `MAX` names the
 * table starts over, which only stops the sharing.
 * @internal
 */

const MAX = 1024;
const names = new Map<string, string>();

/** The kept copy of `s` (the first seen), or `s` itself. Long strings are not kept. */
export function intern(s: string): string {
  if (s.length > 64) return s;
  const kept = names.get(s);
  if (kept !== undefined) return kept;
  if (names.size >= MAX) names.clear();
  names.set(s, s);
  return s;
}
