/**
 * Serial-number arithmetic on the 16-bit Ns/Nr space (RFC 2661 §5.8: "all calculations on
 * Ns and Nr are performed modulo 2**16"; the same in RFC 3931 §4.2).
 *
 * A sequence number `a` is "after" `b` when `(a - b) mod 2^16` lies in [1, 32767], and
 * "before" (a duplicate, for a receiver) when it lies in [32768, 65535]. Windows are therefore
 * capped at half the space, {@link MAX_WINDOW}.
 */

/** Size of the Ns/Nr space. */
export const SEQ_SPACE = 0x10000;

/** Largest window the serial comparison can tell apart from the past: half the space. */
export const MAX_WINDOW = 0x8000;

/** `(a - b) mod 2^16`, in [0, 65535]: how far `a` is ahead of `b`. */
export function seqDistance(a: number, b: number): number {
  return (a - b) & 0xffff;
}

/** `(a + n) mod 2^16`. */
export function seqAdd(a: number, n: number): number {
  return (a + n) & 0xffff;
}

/** True when `a` comes before `b` in serial order (`a ≠ b`, within half the space). */
export function seqBefore(a: number, b: number): boolean {
  const d = (b - a) & 0xffff;
  return d !== 0 && d < MAX_WINDOW;
}
