/**
 * RFC 3931 Appendix C resynchronisation: a run of "old" packets in sequence among themselves
 * resets the expected number (the peer lost its sequence state), but a replay of packets we
 * already received (duplicates) must not move the window back.
 */
import { describe, expect, it } from 'vitest';
import { SequenceWindow } from '../../src/fsm/l2ss-sequence.js';

describe('SequenceWindow resynchronisation (RFC 3931 Appendix C)', () => {
  it('a run of 2 old numbers never seen resynchronises; the same run replayed (duplicates) does not', () => {
    // Default window: half of the 24-bit space; resynchronise after 2 old packets in sequence.
    const replayed = new SequenceWindow(0x800000, 2);
    for (const n of [10, 11, 12]) expect(replayed.check(n).accept).toBe(true);
    expect(replayed.check(11)).toEqual({ accept: false, duplicate: true });
    expect(replayed.check(12)).toEqual({ accept: false, duplicate: true });
    expect(replayed.next).toBe(13);

    const restarted = new SequenceWindow(0x800000, 2);
    for (const n of [10, 11, 12]) restarted.check(n);
    expect(restarted.check(5)).toEqual({ accept: false, duplicate: false });
    expect(restarted.check(6)).toEqual({ accept: true, skipped: 0, resynchronised: true });
    expect(restarted.next).toBe(7);
  });
});
