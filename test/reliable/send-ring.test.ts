/**
 * The Sequencer's queue of unacknowledged messages (RFC 2661 §5.8): oldest first through growth
 * and wrap-around, and given back when empty (issue 16: an idle tunnel holds no ring).
 */
import { describe, expect, it } from 'vitest';
import { SendRing } from '../../src/reliable/send-ring.js';

const msg = (i: number) => Uint8Array.of(i);
const ringOf = (r: SendRing) => (r as unknown as { ring: unknown[] }).ring;

describe('SendRing', () => {
  it('keeps messages oldest first across growth and wrap-around', () => {
    const r = new SendRing();
    for (let i = 0; i < 3; i++) r.push(msg(i));
    r.shift(2); // head moves: the next pushes wrap around the 4-slot ring
    for (let i = 3; i < 9; i++) r.push(msg(i)); // grows to 8 while wrapped
    expect(r.count).toBe(7);
    expect(Array.from({ length: r.count }, (_, k) => r.at(k)[0])).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('an empty queue holds no ring of its own, before the first message and after the last ack', () => {
    const a = new SendRing();
    const b = new SendRing();
    expect(ringOf(a)).toBe(ringOf(b));
    expect(ringOf(a)).toHaveLength(0);
    a.push(msg(1));
    a.push(msg(2));
    expect(ringOf(a)).not.toBe(ringOf(b));
    a.shift(1);
    expect(a.at(0)[0]).toBe(2);
    a.shift(1);
    expect(a.count).toBe(0);
    expect(ringOf(a)).toBe(ringOf(b));
    a.push(msg(3));
    expect(a.at(0)[0]).toBe(3);
    expect(ringOf(b)).toHaveLength(0);
  });
});
