/**
 * The receive side of the Sequencer on its own (RFC 2661 §5.8): the message with the expected Ns
 * is delivered with every held successor, in order; one ahead inside our receive window is held
 * (once, however often it arrives); one ahead beyond the window is dropped (the peer broke the
 * window it was given); one up to 32768 behind, modulo 2^16, is a duplicate whose ack was lost.
 * The Sequencer acts on 'delivered' and 'duplicate' only, so 'held' and 'dropped' are told apart here.
 */
import { describe, expect, it } from 'vitest';
import { ReceiveWindow } from '../../src/reliable/receive-window.js';

/** What the window hands upward, in order. */
function sink<T>(): { out: T[]; hand(message: T): void } {
  const out: T[] = [];
  return { out, hand: (m) => void out.push(m) };
}

describe('ReceiveWindow verdicts', () => {
  it('window 4 at Nr 0: held inside, dropped beyond, delivered in order, duplicate behind', () => {
    const rx = new ReceiveWindow<string>(4, 0);
    const d = sink<string>();
    const out = d.out;
    expect(rx.accept('ns2', 2, d)).toBe('held');
    expect(rx.accept('ns2 again', 2, d)).toBe('held');
    expect(rx.count).toBe(1);
    expect(rx.accept('ns3', 3, d)).toBe('held');
    expect(rx.accept('ns4', 4, d)).toBe('dropped'); // 4 ahead: outside a window of 4
    expect(rx.count).toBe(2);
    expect(out).toEqual([]);
    expect(rx.accept('ns0', 0, d)).toBe('delivered');
    expect(out).toEqual(['ns0']);
    expect(rx.accept('ns1', 1, d)).toBe('delivered');
    expect(out).toEqual(['ns0', 'ns1', 'ns2', 'ns3']); // the first copy of ns2 is kept
    expect(rx.nr).toBe(4);
    expect(rx.count).toBe(0);
    expect(rx.accept('ns1 again', 1, d)).toBe('duplicate');
    expect(rx.accept('ns4', 4, d)).toBe('delivered');
  });

  it('the window slides: after delivery, the slot of an old Ns holds a new one', () => {
    const rx = new ReceiveWindow<number>(2, 0xfffe);
    const d = sink<number>();
    const out = d.out;
    expect(rx.accept(0xffff, 0xffff, d)).toBe('held');
    expect(rx.accept(0, 0, d)).toBe('dropped');
    expect(rx.accept(0xfffe, 0xfffe, d)).toBe('delivered');
    expect(out).toEqual([0xfffe, 0xffff]);
    expect(rx.nr).toBe(0);
    expect(rx.accept(1, 1, d)).toBe('held');
    expect(rx.accept(0, 0, d)).toBe('delivered');
    expect(out).toEqual([0xfffe, 0xffff, 0, 1]);
  });

  it('a window of 1 holds nothing: the next Ns but one is dropped', () => {
    const rx = new ReceiveWindow<number>(1, 0);
    expect(rx.accept(1, 1, sink<number>())).toBe('dropped');
    expect(rx.count).toBe(0);
  });
});
