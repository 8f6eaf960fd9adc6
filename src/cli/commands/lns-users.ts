/**
 * `l2tp-wire lns --users FILE`: PPP users for the embedded LNS. The format, one user a line:
 *
 * ```
 * # comment lines and blank lines are ignored
 * alice wonderland
 * bob   two words     (the password is the rest of the line, trimmed)
 * ```
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../args.js';
import { errnoOf } from '../failure.js';

/** Parse a users file's text into user → password; a malformed line is a {@link UsageError} with its number. */
export function parseUsers(text: string, file = 'FILE'): Map<string, string> {
  const users = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (!m) throw new UsageError(`--users ${file} line ${i + 1}: expected "user password", got ${JSON.stringify(line)}`);
    if (users.has(m[1]!)) throw new UsageError(`--users ${file} line ${i + 1}: user ${JSON.stringify(m[1])} is listed twice`);
    users.set(m[1]!, m[2]!);
  });
  if (users.size === 0) throw new UsageError(`--users ${file}: no users in it (one "user password" a line)`);
  return users;
}

/** Read and parse a users file. */
export function readUsers(file: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--users ${JSON.stringify(file)} cannot be read (${errnoOf(e) ?? (e as Error).message})`);
  }
  return parseUsers(text, file);
}
