/**
 * Fair admission of new tunnels: floods cost the attacker, not the users.
 *
 * A half-open tunnel (SCCRP sent, SCCCN not yet in, RFC 2661 §7.2.1) is all a spoofed or
 * abandoned SCCRQ can make us hold. A legitimate LAC answers the SCCRP within a round trip; a
 * flood's tunnels never do. So when the half-open table (or the whole table) is full, a half-open
 * tunnel is freed without a word to admit the new SCCRQ, rather than the new one refused: the
 * **oldest one of the source address holding the most**. A flood then only churns its own
 * tunnels, and a real LAC's (one or a few per address) lives until its SCCCN arrives, however
 * busy the LNS is — plain oldest-first would give it only `maxHalfOpen / flood rate` (80 ms at
 * 3,200 SCCRQs/s), less than an overloaded LNS's queueing delay. A per-source-address quota
 * keeps one address from taking the whole table.
 * @internal
 */
import type { TunnelEntry, Via } from './lns-handles.js';
import type { RefusalReason } from './lns-types.js';

/** The source address of a path: what the per-source quotas count. @internal */
export function sourceOf(via: Via): string {
  return via.kind === 'udp' ? via.address : (via.conn.transport.remote?.address ?? via.conn.key);
}

/**
 * Half-open tunnels per source address, each source's in age order, and the sources bucketed by
 * how many they hold — so the source holding the most is found in O(1) (counts move by one).
 * @internal
 */
export class HalfOpenSet {
  /** Per source: its half-open tunnels, oldest first (a Set iterates in insertion order). */
  private readonly bySource = new Map<string, Set<TunnelEntry>>();
  /** Sources by the number of half-open tunnels they hold. */
  private readonly buckets = new Map<number, Set<string>>();
  private most = 0;
  private total = 0;

  get size(): number {
    return this.total;
  }

  /** Half-open tunnels held for this source address. */
  count(source: string): number {
    return this.bySource.get(source)?.size ?? 0;
  }

  /** The oldest half-open tunnel of the source that holds the most (the first to get there, on a tie). */
  victim(): TunnelEntry | undefined {
    const sources = this.buckets.get(this.most);
    if (sources === undefined) return undefined;
    const source = sources.values().next().value as string;
    return this.bySource.get(source)!.values().next().value as TunnelEntry;
  }

  add(t: TunnelEntry): void {
    let mine = this.bySource.get(t.source);
    if (mine === undefined) this.bySource.set(t.source, (mine = new Set()));
    if (mine.has(t)) return;
    this.move(t.source, mine.size, mine.size + 1);
    mine.add(t);
    this.total++;
  }

  delete(t: TunnelEntry): void {
    const mine = this.bySource.get(t.source);
    if (mine === undefined || !mine.delete(t)) return;
    this.total--;
    this.move(t.source, mine.size + 1, mine.size);
    if (mine.size === 0) this.bySource.delete(t.source);
  }

  private move(source: string, from: number, to: number): void {
    if (from > 0) {
      const b = this.buckets.get(from)!;
      b.delete(source);
      if (b.size === 0) this.buckets.delete(from);
    }
    if (to > 0) {
      let b = this.buckets.get(to);
      if (b === undefined) this.buckets.set(to, (b = new Set()));
      b.add(source);
    }
    if (to > this.most) this.most = to;
    else if (from === this.most && !this.buckets.has(from)) this.most = to;
  }
}

/** The limits admission applies. @internal */
export interface AdmissionLimits {
  readonly maxTunnels: number;
  readonly maxHalfOpen: number;
  readonly maxHalfOpenPerSource: number;
}

/** What to do with a new SCCRQ: admit it (evicting `evict` first, if set), or refuse it. @internal */
export type Admission = { readonly admit: true; readonly evict: TunnelEntry | undefined } | { readonly admit: false; readonly reason: RefusalReason };

/**
 * Decide on a new SCCRQ from `source`, given the half-open set and the number of tunnels held.
 * @internal
 */
export function admit(halfOpen: HalfOpenSet, tunnels: number, source: string, l: AdmissionLimits): Admission {
  if (halfOpen.count(source) >= l.maxHalfOpenPerSource) return { admit: false, reason: 'source-quota' };
  if (halfOpen.size < l.maxHalfOpen && tunnels < l.maxTunnels) return { admit: true, evict: undefined };
  const victim = halfOpen.victim();
  // Every tunnel held is established or lingering: those are never pushed out by a stranger.
  if (victim === undefined) return { admit: false, reason: 'max-tunnels' };
  return { admit: true, evict: victim };
}
