import { afterEach, describe, expect, it, vi } from 'vitest';
import { globalRandom } from '../../src/client/platform.js';

afterEach(() => vi.restoreAllMocks());

describe('globalRandom: randomness drawn in batches (issue 16)', () => {
  it('a thousand 2-byte draws (Tunnel IDs) cost at most two getRandomValues calls of 4 KiB', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const draws = Array.from({ length: 1000 }, () => globalRandom(2));
    expect(spy.mock.calls.length).toBeLessThanOrEqual(2);
    for (const [a] of spy.mock.calls) expect((a as Uint8Array).length).toBe(4096);
    expect(draws.every((d) => d instanceof Uint8Array && d.length === 2)).toBe(true);
    // 2000 random bytes are not all zero (the pool was filled, not left empty).
    expect(draws.some((d) => d[0] !== 0 || d[1] !== 0)).toBe(true);
  });

  it('each draw is its own copy: changing one changes no other, and later draws do not alias it', () => {
    const a = globalRandom(16);
    const before = Array.from(a);
    const b = globalRandom(16);
    b.fill(0xff);
    for (let i = 0; i < 300; i++) globalRandom(16); // forces a refill of the pool
    expect(Array.from(a)).toEqual(before);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('a large draw goes to the runtime directly, at the size asked', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    expect(globalRandom(1000)).toHaveLength(1000);
    expect(spy.mock.calls.map(([a]) => (a as Uint8Array).length)).toEqual([1000]);
  });
});
