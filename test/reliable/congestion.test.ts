/**
 * The send window across losses and changes of the peer's Receive Window Size (RFC 2661 §5.8,
 * Appendix A): after a restart, congestion avoidance counts its 1/CWND from zero; a loss is not
 * forgotten when the peer's window arrives; CWND and SSTHRESH never exceed the peer's window.
 * Closing drops what is held out of order. Virtual time only: the Sequencer is driven by hand.
 */
import { describe, expect, it } from 'vitest';
import { Sequencer } from '../../src/reliable/index.js';
import { ctl, rec } from '../support/sequenced.js';


function sendMany(seq: Sequencer, n: number, now = 0): void {
  for (let i = 0; i < n; i++) seq.send(ctl(), now);
}

/** Ack the oldest message in flight, one ZLB at a time; the send window after each. */
function ackOneByOne(seq: Sequencer, acks: number, now: number): number[] {
  const windows: number[] = [];
  for (let i = 0; i < acks; i++) {
    seq.receive(rec(0, (seq.nextNs - seq.inFlight + 1) & 0xffff, true), now);
    windows.push(seq.sendWindow);
  }
  return windows;
}

/** Let the oldest message's retransmission timer fire; the time it fired at. */
function timeout(seq: Sequencer): number {
  const at = seq.nextDeadline()!;
  seq.tick(at);
  return at;
}

describe('Sequencer: Appendix A across restarts and window changes', () => {
  it('a second timeout in congestion avoidance restarts the 1/CWND count: CWND 2 needs 2 fresh acks to reach 3', () => {
    const seq = new Sequencer();
    seq.setPeerWindow(16);
    sendMany(seq, 60);
    ackOneByOne(seq, 7, 0); // slow start to 8
    let t = timeout(seq); // SSTHRESH 4, CWND 1
    expect(ackOneByOne(seq, 5, t)).toEqual([2, 3, 4, 4, 4]); // two acks counted toward 5
    t = timeout(seq);
    expect(seq.slowStartThreshold).toBe(2);
    expect(seq.sendWindow).toBe(1);
    // Slow start to 2, then 2 acks per +1 (the two acks counted before the loss are gone).
    expect(ackOneByOne(seq, 6, t)).toEqual([2, 2, 3, 3, 3, 4]);
  });

  it('a loss before the peer’s Receive Window Size arrives is remembered: SSTHRESH stays 1, not the new window', () => {
    const seq = new Sequencer();
    sendMany(seq, 20); // the SCCRQ and what follows it; only Ns 0 goes out (CWND 1)
    const t = timeout(seq); // SSTHRESH max(1/2, 1) = 1
    seq.setPeerWindow(8); // the SCCRP's Receive Window Size
    expect(seq.peerWindow).toBe(8);
    expect(seq.slowStartThreshold).toBe(1);
    // Congestion avoidance from the start: +1 per CWND acks.
    expect(ackOneByOne(seq, 6, t)).toEqual([2, 2, 3, 3, 3, 4]);
  });

  it('without a loss, the peer’s window sets SSTHRESH (slow start up to it)', () => {
    const seq = new Sequencer();
    seq.setPeerWindow(8);
    expect(seq.slowStartThreshold).toBe(8);
    sendMany(seq, 20);
    expect(ackOneByOne(seq, 8, 0)).toEqual([2, 3, 4, 5, 6, 7, 8, 8]);
  });

  it('a smaller peer window caps CWND at once (§5.8: never more outstanding than the peer allows)', () => {
    const seq = new Sequencer();
    seq.setPeerWindow(8);
    sendMany(seq, 20);
    ackOneByOne(seq, 7, 0);
    expect(seq.sendWindow).toBe(8);
    seq.setPeerWindow(4);
    expect(seq.sendWindow).toBe(4);
    expect(seq.send(ctl(), 1).transmit).toHaveLength(0); // 8 in flight already: nothing more goes out
  });

  it('a smaller peer window caps SSTHRESH too, and it stays capped when the window grows again', () => {
    const seq = new Sequencer();
    seq.setPeerWindow(16);
    sendMany(seq, 60);
    ackOneByOne(seq, 7, 0);
    const t = timeout(seq);
    expect(seq.slowStartThreshold).toBe(4);
    seq.setPeerWindow(2);
    expect(seq.slowStartThreshold).toBe(2);
    seq.setPeerWindow(16);
    expect(seq.slowStartThreshold).toBe(2);
    expect(ackOneByOne(seq, 4, t)).toEqual([2, 2, 3, 3]);
  });
});

describe('Sequencer: closing frees the receive side', () => {
  it('messages held out of order are dropped once closed (no Nr can reach them any more)', () => {
    const seq = new Sequencer();
    seq.receive(rec(1, 0), 0); // Ns 1 before Ns 0: held
    expect(seq.held).toBe(1);
    seq.close(0);
    while (seq.state !== 'closed') seq.tick(seq.nextDeadline()!);
    expect(seq.held).toBe(0);
  });
});

