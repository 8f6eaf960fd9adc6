/**
 * What counts as a finding for the coverage-guided targets: any exception that is not an
 * `L2tpError` (the only thing our parsers may throw on remote input), and any broken invariant,
 * which the targets report as a plain `Error` on purpose.
 */
import { L2tpError } from '../../src/wire/errors.js';

/** Run `f`; swallow `L2tpError` (a correct rejection), let anything else through. */
export function rejectsOnlyWithL2tpError(f: () => void): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (e instanceof L2tpError) return false;
    throw e;
  }
}

/** A broken invariant: thrown as a plain Error so the fuzzer records it. */
export function invariant(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invariant broken: ${what}`);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** jsfuzz hands a Buffer; the library takes Uint8Array (Buffer is one, but be plain). */
export function bytesOf(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
