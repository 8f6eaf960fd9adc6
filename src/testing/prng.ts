/**
 * A small seeded pseudo-random generator for the simulator: the same seed gives the same
 * run, so a failing property can be replayed from its seed.
 */

/**
 * Deterministic PRNG (Mulberry32, a public-domain 32-bit generator). Not for cryptography.
 * @example
 * ```ts
 * const rng = new Prng(42);
 * if (rng.chance(0.1)) console.log('drop this one'); // the same every run with seed 42
 * ```
 */
export class Prng {
  private state: number;

  /** @throws `RangeError` unless `seed` is an integer (any 32-bit value; it is truncated). */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isInteger(seed)) {
      throw new RangeError(`seed must be an integer, got ${String(seed)}`);
    }
    this.state = seed | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with probability `p`. Draws nothing when `p` is 0, so a lossless link costs no draws. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** Uniform in [0, `max`]; 0 without a draw when `max` is 0. */
  upTo(max: number): number {
    return max > 0 ? this.next() * max : 0;
  }
}
