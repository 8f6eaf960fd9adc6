/**
 * The edges of the Sequencer's timer options: what is refused (RangeError naming the option)
 * and what is just inside (RFC 2661 §5.8: the timeout cap "MUST be no less than 8 seconds"; the
 * backoff is exponential, a factor of 1 keeps the timeout constant).
 */
import { describe, expect, it } from 'vitest';
import { retransmissionCycle, Sequencer, type SequencerOptions } from '../../src/reliable/index.js';

describe('Sequencer timer options at their edges', () => {
  const bad: [SequencerOptions, RegExp][] = [
    [{ initialTimeout: 10_000, maxTimeout: 9_000 }, /maxTimeout/], // above 8 s, but below the first timeout
    [{ maxTimeout: Number.NaN }, /maxTimeout/],
    [{ maxTimeout: Number.POSITIVE_INFINITY }, /maxTimeout/],
    [{ backoff: Number.NaN }, /backoff/],
    [{ backoff: Number.POSITIVE_INFINITY }, /backoff/],
    [{ initialTimeout: Number.NaN }, /initialTimeout/],
    [{ closeLinger: Number.NaN }, /closeLinger/],
    [{ closeLinger: Number.POSITIVE_INFINITY }, /closeLinger/],
  ];
  it.each(bad)('refuses %o', (options, message) => {
    expect(() => new Sequencer(options)).toThrow(RangeError);
    expect(() => new Sequencer(options)).toThrow(message);
  });

  it('accepts a backoff of 1 (a constant timeout) and a cap of exactly 8 s', () => {
    expect(retransmissionCycle({ backoff: 1, maxRetransmissions: 2 })).toBe(3000); // 1 + 1 + 1 s
    expect(retransmissionCycle({ maxTimeout: 8000, maxRetransmissions: 5 })).toBe(31_000);
    expect(retransmissionCycle({ initialTimeout: 8000, maxTimeout: 8000, maxRetransmissions: 1 })).toBe(16_000);
  });
});
