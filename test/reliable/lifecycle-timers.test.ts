/**
 * The Sequencer's closing bookkeeping and timers on paths the main suite does not walk, on a
 * virtual clock (times are plain numbers):
 * - RFC 2661 §5.8: after a shutdown, reliable delivery runs "for the full retransmission interval
 *   after the final message exchange"; §5.7: after the peer's StopCCN we keep acking its
 *   retransmissions. Closing twice, or abandoning after close, must neither reopen a closed
 *   connection nor cut a linger short.
 * - §5.8: one retransmission timer, for the oldest unacknowledged message: sending more does not
 *   postpone it. A delayed ack is due `ackDelay` after the first message it acknowledges, however
 *   many follow (the peer's timer for that first message is already running).
 */
import { describe, expect, it } from 'vitest';
import { Sequencer } from '../../src/reliable/index.js';
import { ctl, rec } from '../support/sequenced.js';
import { u16 } from '../../src/wire/bytes.js';

const nsOf = (b: Uint8Array): number => u16(b, 8);

/** Tick at each deadline up to `until`; the time the Sequencer reported `closed`, if it did. */
function runUntil(seq: Sequencer, until: number): number | undefined {
  for (let d = seq.nextDeadline(); d !== undefined && d <= until; d = seq.nextDeadline()) {
    if (seq.tick(d).closed) return d;
  }
  return undefined;
}

describe('closing is one-way and never shortened (RFC 2661 §5.7, §5.8)', () => {
  it('close() while closing does not restart or move the linger; close() once closed does nothing', () => {
    const seq = new Sequencer({ closeLinger: 5000 });
    seq.close(0);
    expect(seq.nextDeadline()).toBe(5000);
    const again = seq.close(3000);
    expect(again.closed).toBe(false);
    expect(seq.nextDeadline()).toBe(5000);
    expect(seq.tick(5000).closed).toBe(true);
    const late = seq.close(6000);
    expect(late.closed).toBe(false);
    expect(seq.state).toBe('closed');
    expect(seq.nextDeadline()).toBeUndefined();
  });

  it('abandon() on a closed Sequencer does not reopen it', () => {
    const seq = new Sequencer({ closeLinger: 0 });
    expect(seq.close(0).closed).toBe(true);
    const out = seq.abandon(10, 31_000);
    expect(out.closed).toBe(false);
    expect(seq.state).toBe('closed');
    expect(seq.nextDeadline()).toBeUndefined();
    // Closed: the peer's retransmissions are no longer acknowledged.
    expect(seq.receive(rec(0, 0), 20).ack).toBe(false);
  });

  it('abandon() while closing keeps the longer of the two lingers', () => {
    const seq = new Sequencer({ closeLinger: 31_000 });
    seq.close(0); // lingers to 31 s
    seq.abandon(1000, 2000); // the peer's StopCCN, with a 2 s linger: still 31 s
    expect(seq.state).toBe('closing');
    expect(seq.nextDeadline()).toBe(31_000);
    expect(seq.tick(30_999).closed).toBe(false);
    expect(seq.tick(31_000).closed).toBe(true);
  });

  it('abandon() drops a pending delayed ack: the owner acks the StopCCN itself, at once (§5.7)', () => {
    const seq = new Sequencer({ ackDelay: 250 });
    expect(seq.receive(rec(0, 0), 0).ack).toBe(false); // ack due at 250
    const out = seq.abandon(10);
    expect(out.ack).toBe(false);
    expect(out.transmit).toEqual([]);
    // Nothing else is owed: the next deadline is the end of the linger (31 s after abandon).
    expect(seq.nextDeadline()).toBe(10 + 31_000);
  });

  it('closing with two messages out: an ack of the first is not the final exchange, so the linger is not extended', () => {
    // The second message (our StopCCN) is never acked: its retries restart at the first ack
    // (500 ms) and run out at 500 + 31 s; closing then ends at close() + closeLinger = 40 s.
    const seq = new Sequencer({ congestion: 'fixed', closeLinger: 40_000 });
    seq.send(ctl(), 0);
    seq.send(ctl(), 0);
    seq.close(0);
    seq.receive(rec(0, 1, true), 500);
    expect(seq.inFlight).toBe(1);
    expect(runUntil(seq, 40_000)).toBe(40_000);
    expect(seq.failed).toBe(true);
  });
});

describe('timers (RFC 2661 §5.8)', () => {
  it('a second message sent later does not postpone the retransmission of the first', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    seq.send(ctl(), 0);
    expect(seq.nextDeadline()).toBe(1000);
    seq.send(ctl(), 500);
    expect(seq.nextDeadline()).toBe(1000);
    const out = seq.tick(1000);
    expect(out.transmit.map(nsOf)).toEqual([0, 1]);
    expect(seq.retransmissions).toBe(1);
  });

  it('a delayed ack is due ackDelay after the first unacknowledged message, not after the last', () => {
    const seq = new Sequencer({ ackDelay: 200 });
    seq.receive(rec(0, 0), 0);
    seq.receive(rec(1, 0), 150);
    expect(seq.nextDeadline()).toBe(200);
    const out = seq.tick(200);
    expect(out.ack).toBe(true);
    expect(out.ackNr).toBe(2);
  });
});
