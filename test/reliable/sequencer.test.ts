import { describe, expect, it } from 'vitest';
import { Sequencer } from '../../src/reliable/index.js';
import type { ReceivedControl, SequencerOptions } from '../../src/reliable/index.js';
import { retransmissionCycle } from '../../src/reliable/index.js';
import { u16 } from '../../src/wire/bytes.js';
import { parseHeader } from '../../src/wire/header.js';
import type { ControlHeaderV3, HeaderV2 } from '../../src/wire/header.js';
import { ctl, rec } from '../support/sequenced.js';
import { loadHex, toHex } from '../support/vectors.js';

/** Parse a control header with the wire codec (a data header here is a test bug). */
function header(bytes: Uint8Array): HeaderV2 | ControlHeaderV3 {
  const h = parseHeader(bytes);
  if (!h.isControl) throw new Error('expected a control message');
  return h;
}
const nsOf = (b: Uint8Array): number => u16(b, 8);
const nrOf = (b: Uint8Array): number => u16(b, 10);

/** Send `n` messages at `now`, returning how many went out at once. */
function sendMany(seq: Sequencer, n: number, now = 0): number {
  let sent = 0;
  for (let i = 0; i < n; i++) sent += seq.send(ctl(), now).transmit.length;
  return sent;
}

/** Drive a sender alone: ack the oldest message, one at a time; record the send window. */
function ackOneByOne(seq: Sequencer, acks: number, now = 0): number[] {
  const windows: number[] = [];
  for (let i = 0; i < acks; i++) {
    seq.receive(rec(0, (seq.nextNs - seq.inFlight + 1) & 0xffff, true), now);
    windows.push(seq.sendWindow);
  }
  return windows;
}

describe('Sequencer: sending (RFC 2661 §5.8)', () => {
  it('assigns Ns 0, 1, 2 … and stamps the current Nr on every message', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    seq.receive(rec(0, 0), 0);
    seq.receive(rec(1, 0), 0);
    const out = seq.send(ctl(), 10);
    expect(out.transmit).toHaveLength(1);
    expect([nsOf(out.transmit[0]!), nrOf(out.transmit[0]!)]).toEqual([0, 2]);
    const second = seq.send(ctl(), 11).transmit[0]!;
    expect([nsOf(second), nrOf(second)]).toEqual([1, 2]);
    expect(seq.nextNs).toBe(2);
  });

  it('writes Ns/Nr into the caller’s own array (takes ownership, no copy)', () => {
    const seq = new Sequencer();
    const bytes = ctl();
    expect(seq.send(bytes, 0).transmit[0]).toBe(bytes);
  });

  it('has at most 4 unacknowledged messages when the peer sent no Receive Window Size', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    expect(seq.peerWindow).toBe(4);
    expect(sendMany(seq, 6)).toBe(4);
    expect(seq.inFlight).toBe(4);
    expect(seq.queued).toBe(2);
    // An ack for two frees two slots: the queued two go out, Ns 4 and 5.
    const out = seq.receive(rec(0, 2, true), 5);
    expect(out.transmit.map(nsOf)).toEqual([4, 5]);
    expect(seq.inFlight).toBe(4);
  });

  it('uses the peer’s Receive Window Size once set, and never exceeds a shrunken one', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    seq.setPeerWindow(8);
    expect(sendMany(seq, 10)).toBe(8);
    seq.setPeerWindow(2);
    expect(seq.receive(rec(0, 1, true), 1).transmit).toHaveLength(0); // 7 in flight > 2
    expect(seq.receive(rec(0, 7, true), 2).transmit.map(nsOf)).toEqual([8]); // 1 in flight, room for 1
  });

  it('setPeerWindow refuses 0 (invalid per RFC 2661 §5.8) and values over 65535', () => {
    const seq = new Sequencer();
    expect(() => seq.setPeerWindow(0)).toThrow(RangeError);
    expect(() => seq.setPeerWindow(65536)).toThrow(/1 to 65535/);
    expect(() => seq.setPeerWindow(1.5)).toThrow(RangeError);
    seq.setPeerWindow(65535);
    expect(seq.peerWindow).toBe(32768);
  });
});

describe('Sequencer: acknowledgements (RFC 2661 §5.8)', () => {
  it('with an ackDelay (250 ms), asks for a ZLB once it has passed with nothing to send', () => {
    const seq = new Sequencer({ ackDelay: 250 });
    const first = seq.receive(rec(0, 0), 1000);
    expect(first.deliver).toHaveLength(1);
    expect(first.ack).toBe(false);
    expect(seq.nextDeadline()).toBe(1250);
    expect(seq.tick(1249).ack).toBe(false);
    const out = seq.tick(1250);
    expect(out.ack).toBe(true);
    expect([out.ackNs, out.ackNr]).toEqual([0, 1]);
    expect(seq.nextDeadline()).toBeUndefined();
  });

  it('piggybacks the ack on a message sent within the delay: no ZLB then', () => {
    const seq = new Sequencer({ ackDelay: 250 });
    seq.receive(rec(0, 0), 0);
    const out = seq.send(ctl(), 100);
    expect(nrOf(out.transmit[0]!)).toBe(1);
    expect(out.ack).toBe(false);
    expect(seq.nextDeadline()).toBe(1100); // only the retransmission timer is left
    expect(seq.tick(250).ack).toBe(false);
  });

  it('still sends a ZLB when the reply cannot go out because the window is full', () => {
    const seq = new Sequencer({ congestion: 'stop-and-wait', ackDelay: 250 });
    seq.send(ctl(), 0);
    seq.receive(rec(0, 0), 10);
    expect(seq.send(ctl(), 20).transmit).toHaveLength(0);
    expect(seq.tick(260)).toMatchObject({ ack: true, ackNs: 1, ackNr: 1 });
  });

  it('by default (ackDelay 0) the ack is due in the output of the same receive, as xl2tpd acks', () => {
    const seq = new Sequencer();
    expect(seq.receive(rec(0, 0), 5)).toMatchObject({ ack: true, ackNs: 0, ackNr: 1 });
    expect(seq.nextDeadline()).toBeUndefined(); // no timer left behind for the ack
    expect(new Sequencer({ ackDelay: 0 }).receive(rec(0, 0), 5).ack).toBe(true);
  });

  it('drops a duplicate and acknowledges it again at once', () => {
    const seq = new Sequencer({ ackDelay: 250 });
    expect(seq.receive(rec(0, 0), 0).deliver).toHaveLength(1);
    expect(seq.tick(250).ack).toBe(true);
    // The ZLB was lost: the peer retransmits Ns 0.
    const out = seq.receive(rec(0, 0), 1000);
    expect(out.deliver).toHaveLength(0);
    expect(out).toMatchObject({ ack: true, ackNs: 0, ackNr: 1 });
    expect(seq.nextNr).toBe(1);
  });

  it('an ack-only Ns does not consume a sequence number', () => {
    const seq = new Sequencer({ ackDelay: 0 });
    expect(seq.receive(rec(0, 0), 0)).toMatchObject({ ack: true, ackNs: 0 });
    expect(nsOf(seq.send(ctl(), 1).transmit[0]!)).toBe(0);
  });

  it('frees acknowledged messages on a ZLB’s Nr, and never sequences, delivers or acks a ZLB', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    sendMany(seq, 3);
    const out = seq.receive(rec(0, 2, true), 10);
    expect(out.deliver).toHaveLength(0);
    expect(out.ack).toBe(false);
    expect(seq.inFlight).toBe(1);
    expect(seq.nextNr).toBe(0);
    seq.receive(rec(0, 3, true), 20);
    expect(seq.inFlight).toBe(0);
    expect(seq.nextDeadline()).toBeUndefined(); // no ack is owed for ZLBs
  });

  it('takes the Nr of a received message as a piggybacked ack', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    sendMany(seq, 2);
    seq.receive(rec(0, 2), 10);
    expect(seq.inFlight).toBe(0);
  });

  it('ignores an Nr that acknowledges messages never sent, or an old one', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    sendMany(seq, 2);
    seq.receive(rec(0, 5, true), 1);
    expect(seq.inFlight).toBe(2);
    seq.receive(rec(0, 1, true), 2);
    seq.receive(rec(0, 0, true), 3); // reordered, older
    expect(seq.inFlight).toBe(1);
  });
});

describe('Sequencer: receiving in order (RFC 2661 §5.8)', () => {
  it('holds out-of-order messages inside the receive window and releases them in order', () => {
    const seq = new Sequencer<ReceivedControl & { id: string }>();
    expect(seq.receive({ ns: 2, nr: 0, isZlb: false, id: 'c' }, 0).deliver).toEqual([]);
    expect(seq.receive({ ns: 1, nr: 0, isZlb: false, id: 'b' }, 0).deliver).toEqual([]);
    expect(seq.held).toBe(2);
    const out = seq.receive({ ns: 0, nr: 0, isZlb: false, id: 'a' }, 0);
    expect(out.deliver.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(seq.nextNr).toBe(3);
    expect(seq.held).toBe(0);
  });

  it('delivers a held message once even if it arrives twice', () => {
    const seq = new Sequencer();
    seq.receive(rec(1, 0), 0);
    seq.receive(rec(1, 0), 0);
    expect(seq.held).toBe(1);
    expect(seq.receive(rec(0, 0), 0).deliver).toHaveLength(2);
  });

  it('drops a message beyond the receive window', () => {
    const seq = new Sequencer({ receiveWindow: 4 });
    expect(seq.receive(rec(4, 0), 0).deliver).toHaveLength(0);
    expect(seq.held).toBe(0);
    expect(seq.receive(rec(3, 0), 0).deliver).toHaveLength(0);
    expect(seq.held).toBe(1);
  });

  it('with a receive window of 1 holds nothing', () => {
    const seq = new Sequencer({ receiveWindow: 1 });
    seq.receive(rec(1, 0), 0);
    expect(seq.held).toBe(0);
    expect(seq.receive(rec(0, 0), 0).deliver).toHaveLength(1);
  });
});

describe('Sequencer: retransmission (RFC 2661 §5.8)', () => {
  it('retransmits after 1, 2, 4, 8, 8 s and fails after the 5th retransmission (at 31 s)', () => {
    const seq = new Sequencer();
    const bytes = ctl();
    seq.send(bytes, 0);
    const times: number[] = [];
    let failedAt: number | undefined;
    for (let d = seq.nextDeadline(); d !== undefined; d = seq.nextDeadline()) {
      const out = seq.tick(d);
      if (out.transmit.length) {
        expect(out.transmit).toEqual([bytes]);
        times.push(d);
      }
      if (out.failed) failedAt = d;
    }
    expect(times).toEqual([1000, 3000, 7000, 15000, 23000]);
    expect(failedAt).toBe(31000);
    expect(seq.failed).toBe(true);
    expect(retransmissionCycle()).toBe(31000);
  });

  it('keeps the Ns of a retransmission but updates its Nr to the next expected', () => {
    const seq = new Sequencer();
    const bytes = ctl();
    seq.send(bytes, 0);
    seq.receive(rec(0, 0), 500);
    seq.receive(rec(1, 0), 600);
    const out = seq.tick(1000);
    expect(out.transmit[0]).toBe(bytes);
    expect([nsOf(bytes), nrOf(bytes)]).toEqual([0, 2]);
  });

  it('a retransmission carries the pending ack: no separate ZLB', () => {
    const seq = new Sequencer({ ackDelay: 200, initialTimeout: 1000 });
    seq.send(ctl(), 0);
    seq.receive(rec(0, 0), 900);
    const out = seq.tick(1000);
    expect(out.transmit).toHaveLength(1);
    expect(out.ack).toBe(false);
  });

  it('a new ack resets the timeout and the retry budget', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    sendMany(seq, 2);
    seq.tick(1000);
    seq.tick(3000);
    expect(seq.retransmissions).toBe(2);
    expect(seq.timeout).toBe(4000);
    seq.receive(rec(0, 1, true), 3500);
    expect(seq.retransmissions).toBe(0);
    expect(seq.timeout).toBe(1000);
    expect(seq.nextDeadline()).toBe(4500);
  });

  it('honours maxRetransmissions, initialTimeout, backoff and maxTimeout', () => {
    // Timeouts 1 s, 3 s, then 9 s capped at 8 s, 8 s: deadlines at 1, 4, 12, 20 s.
    const seq = new Sequencer({ maxRetransmissions: 3, initialTimeout: 1000, backoff: 3, maxTimeout: 8000 });
    seq.send(ctl(), 0);
    const deadlines: number[] = [];
    for (let d = seq.nextDeadline(); d !== undefined; d = seq.nextDeadline()) {
      deadlines.push(d);
      seq.tick(d);
    }
    expect(deadlines).toEqual([1000, 4000, 12000, 20000]);
    expect(seq.failed).toBe(true);
  });

  it('refuses a retransmission cap under 8 s (RFC 2661 §5.8: "MUST be no less than 8 seconds")', () => {
    expect(() => new Sequencer({ maxTimeout: 7999 })).toThrow(RangeError);
    expect(() => new Sequencer({ maxTimeout: 7999 })).toThrow(/maxTimeout.*8000.*§5\.8/);
    expect(() => new Sequencer({ initialTimeout: 100, maxTimeout: 1000, ackDelay: 10 })).toThrow(/maxTimeout/);
    expect(new Sequencer({ maxTimeout: 8000 }).timeout).toBe(1000);
    // A first timeout above 8 s is its own cap.
    expect(retransmissionCycle({ initialTimeout: 10_000, maxRetransmissions: 1 })).toBe(20_000);
  });

  it('after failure: transmits nothing more, refuses send, but still delivers and re-acks', () => {
    const seq = new Sequencer({ maxRetransmissions: 0 });
    seq.send(ctl(), 0);
    expect(seq.tick(1000).failed).toBe(true);
    expect(seq.tick(2000).failed).toBe(false); // reported once
    expect(() => seq.send(ctl(), 2000)).toThrow(/failed/);
    expect(seq.receive(rec(0, 0), 2100).deliver).toHaveLength(1);
    expect(seq.receive(rec(0, 0), 2200).ack).toBe(true);
    expect(seq.inFlight).toBe(0);
  });

  it('matches xl2tpd’s SCCRP retransmissions in the retransmit capture (gaps 1, 2, 4, 8 s; gives up at 31 s)', () => {
    const frames = loadHex('retransmit');
    const sccrp = frames.filter((f) => f.srcPort === 17010 && f.bytes.length === 105).map((f) => Math.round(f.time * 1000) - 0);
    const stopAt = Math.round(frames.find((f) => f.bytes.length === 45)!.time);
    const seq = new Sequencer();
    seq.send(ctl(), 0);
    const ours: number[] = [0];
    for (let d = seq.nextDeadline(); d !== undefined && !seq.failed; d = seq.nextDeadline()) {
      if (seq.tick(d).transmit.length) ours.push(d);
    }
    // xl2tpd's timers run a few ms late; compare in whole seconds.
    expect(sccrp.map((t) => Math.round(t / 1000))).toEqual(ours.slice(0, sccrp.length).map((t) => t / 1000));
    expect(retransmissionCycle() / 1000).toBe(stopAt);
  });
});

describe('Sequencer: congestion control (RFC 2661 Appendix A)', () => {
  it('slow start: the window starts at 1 and grows by 1 per ack up to the peer’s window', () => {
    const seq = new Sequencer();
    seq.setPeerWindow(8);
    expect(seq.sendWindow).toBe(1);
    expect(sendMany(seq, 20)).toBe(1);
    expect(ackOneByOne(seq, 9)).toEqual([2, 3, 4, 5, 6, 7, 8, 8, 8]);
  });

  it('slow start grows CWND per ACK received, not per message acknowledged (Appendix A)', () => {
    // "CWND is increased by 1 packet each time an ACK (explicit ZLB or piggybacked) is received."
    const seq = new Sequencer();
    seq.setPeerWindow(8);
    sendMany(seq, 20);
    seq.receive(rec(0, 1, true), 1); // one ACK: CWND 2, Ns 1 and 2 go out
    expect(seq.sendWindow).toBe(2);
    // One ACK covering two messages: CWND 3 (per message would make it 4).
    const out = seq.receive(rec(0, 3, true), 2);
    expect(seq.sendWindow).toBe(3);
    expect(out.transmit.map(nsOf)).toEqual([3, 4, 5]);
    // A stale or repeated Nr acknowledges nothing new: no growth.
    seq.receive(rec(0, 3, true), 3);
    expect(seq.sendWindow).toBe(3);
  });

  it('slow start releases queued messages as the window grows: 1, then 2, then 3', () => {
    const seq = new Sequencer();
    sendMany(seq, 6);
    expect(seq.receive(rec(0, 1, true), 1).transmit.map(nsOf)).toEqual([1, 2]);
    expect(seq.receive(rec(0, 3, true), 2).transmit.map(nsOf)).toEqual([3, 4, 5]);
  });

  it('a timeout halves SSTHRESH and restarts at 1; then +1 per ack to SSTHRESH, then +1 per window of acks', () => {
    const seq = new Sequencer();
    seq.setPeerWindow(16);
    sendMany(seq, 40);
    ackOneByOne(seq, 7);
    expect(seq.sendWindow).toBe(8);
    seq.tick(seq.nextDeadline()!);
    expect(seq.sendWindow).toBe(1);
    expect(seq.slowStartThreshold).toBe(4);
    // slow start to 4, then congestion avoidance: 4 acks to reach 5, 5 more to reach 6.
    expect(ackOneByOne(seq, 12, 2000)).toEqual([2, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6]);
  });

  it('after a timeout only the oldest message is resent, then the window reopens on acks', () => {
    const seq = new Sequencer();
    sendMany(seq, 8);
    ackOneByOne(seq, 3); // window 4, Ns 3..6 in flight
    expect(seq.inFlight).toBe(4);
    const out = seq.tick(seq.nextDeadline()!);
    expect(out.transmit.map(nsOf)).toEqual([3]);
    // The peer had 3..6 all along: one ack covers them, the window is 2 now.
    expect(seq.receive(rec(0, 7, true), 1500).transmit.map(nsOf)).toEqual([7]);
  });

  it('never grows beyond the default peer window of 4', () => {
    const seq = new Sequencer();
    sendMany(seq, 50);
    expect(Math.max(...ackOneByOne(seq, 40))).toBe(4);
  });

  it("'fixed' uses the whole peer window at once and keeps it on loss", () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    expect(sendMany(seq, 6)).toBe(4);
    const out = seq.tick(1000);
    expect(out.transmit.map(nsOf)).toEqual([0, 1, 2, 3]); // go back to the oldest, whole window
    expect(seq.sendWindow).toBe(4);
  });

  it("'stop-and-wait' keeps one message in flight whatever the peer allows", () => {
    const seq = new Sequencer({ congestion: 'stop-and-wait' });
    seq.setPeerWindow(16);
    expect(sendMany(seq, 3)).toBe(1);
    expect(ackOneByOne(seq, 2)).toEqual([1, 1]);
    expect(seq.inFlight).toBe(1);
  });
});

describe('Sequencer: serial arithmetic (modulo 2^16)', () => {
  it('wraps Ns from 65535 to 0 and takes an Nr past the wrap as an ack', () => {
    const seq = new Sequencer({ congestion: 'fixed', initialNs: 65534 });
    const out: number[] = [];
    for (let i = 0; i < 4; i++) out.push(nsOf(seq.send(ctl(), 0).transmit[0]!));
    expect(out).toEqual([65534, 65535, 0, 1]);
    seq.receive(rec(0, 1, true), 1);
    expect(seq.inFlight).toBe(1);
    seq.receive(rec(0, 65535, true), 2); // older: ignored
    expect(seq.inFlight).toBe(1);
  });

  it('the half-space boundary (§5.8 modulo 2^16): 32768 behind is a duplicate, 32767 ahead is held', () => {
    // With the largest receive window, Ns = Nr + 32767 is the furthest message that can be
    // held, and Ns = Nr + 32768 (= Nr − 32768) is already in the past: a duplicate, re-acked
    // at once and never held.
    const seq = new Sequencer({ receiveWindow: 32768, initialNr: 100 });
    const ahead = seq.receive(rec(100 + 32767, 0), 0);
    expect(ahead.ack).toBe(false);
    expect(seq.held).toBe(1);
    const dup = seq.receive(rec(100 + 32768, 0), 0);
    expect(dup.ack).toBe(true);
    expect(dup.ackNr).toBe(100);
    expect(dup.deliver).toHaveLength(0);
    expect(seq.held).toBe(1);
    // The same from the default window: 32768 away is a duplicate, acked at once.
    expect(new Sequencer().receive(rec(32768, 0), 0).ack).toBe(true);
    expect(new Sequencer().receive(rec(32767, 0), 0).ack).toBe(false); // beyond the window: dropped
  });

  it('receives across the wrap and treats Ns before the wrap as duplicates', () => {
    const seq = new Sequencer({ initialNr: 65535 });
    expect(seq.receive(rec(0, 0), 0).deliver).toHaveLength(0); // held
    expect(seq.receive(rec(65535, 0), 0).deliver).toHaveLength(2);
    expect(seq.nextNr).toBe(1);
    const dup = seq.receive(rec(65535, 0), 10);
    expect(dup.deliver).toHaveLength(0);
    expect(dup).toMatchObject({ ack: true, ackNr: 1 });
  });

  it('keeps exact Ns/Nr over 70,000 messages each way', () => {
    const a = new Sequencer({ congestion: 'fixed' });
    const b = new Sequencer({ congestion: 'fixed' });
    let delivered = 0;
    for (let i = 0; i < 70_000; i++) {
      for (const m of a.send(ctl(), i).transmit) {
        const h = header(m);
        expect(h.ns).toBe(i & 0xffff);
        const out = b.receive({ ns: h.ns!, nr: h.nr!, isZlb: false }, i);
        delivered += out.deliver.length;
        for (const r of b.send(ctl(), i).transmit) a.receive({ ns: u16(r, 8), nr: u16(r, 10), isZlb: false }, i);
      }
    }
    expect(delivered).toBe(70_000);
    expect(a.nextNs).toBe(70_000 & 0xffff);
    expect(a.inFlight).toBe(0);
  });
});

describe('Sequencer: closing (RFC 2661 §5.8)', () => {
  it('after the peer’s StopCCN: keeps acking its retransmissions for the linger time, then closes', () => {
    const seq = new Sequencer({ closeLinger: 5000, ackDelay: 250 });
    seq.receive(rec(0, 0), 0); // StopCCN
    seq.close(0);
    expect(seq.state).toBe('closing');
    expect(seq.tick(250).ack).toBe(true);
    expect(seq.receive(rec(0, 0), 1000).ack).toBe(true); // retransmitted StopCCN: acked again
    expect(seq.nextDeadline()).toBe(6000); // linger restarts at the last exchange
    expect(seq.tick(5999).closed).toBe(false);
    expect(seq.tick(6000).closed).toBe(true);
    expect(seq.state).toBe('closed');
    expect(seq.nextDeadline()).toBeUndefined();
    expect(seq.receive(rec(0, 0), 7000).ack).toBe(false); // state is gone
  });

  it('after our StopCCN: retransmits it until acked, refuses new messages, then closes', () => {
    const seq = new Sequencer({ closeLinger: 2000 });
    seq.send(ctl(), 0);
    seq.close(0);
    expect(() => seq.send(ctl(), 1)).toThrow(/closing/);
    expect(seq.nextDeadline()).toBe(1000);
    expect(seq.tick(1000).transmit).toHaveLength(1);
    expect(seq.tick(2500).closed).toBe(false); // StopCCN not acked yet
    // RFC 2661 §5.8: the linger runs "for the full retransmission interval after the final
    // message exchange" — from this ack, not from close() (which would end it at 2000).
    expect(seq.receive(rec(0, 1, true), 2600).closed).toBe(false);
    expect(seq.nextDeadline()).toBe(4600);
    expect(seq.tick(4599).closed).toBe(false);
    expect(seq.tick(4600).closed).toBe(true);
  });

  it('the linger after an acked StopCCN is timed from the ack with the default cycle (acked at 7.05 s → closed at 38.05 s)', () => {
    const seq = new Sequencer();
    seq.send(ctl(), 0);
    seq.close(0);
    for (const t of [1000, 3000]) expect(seq.tick(t).transmit).toHaveLength(1);
    expect(seq.receive(rec(0, 1, true), 7050).closed).toBe(false);
    expect(seq.nextDeadline()).toBe(7050 + 31_000);
    expect(seq.tick(38_049).closed).toBe(false);
    expect(seq.tick(38_050).closed).toBe(true);
  });

  it('abandon(now, linger) lingers that long even when closeLinger is 0 (a peer StopCCN, §5.7)', () => {
    const seq = new Sequencer({ closeLinger: 0 });
    seq.send(ctl(), 0);
    expect(seq.abandon(10, 31_000).closed).toBe(false);
    expect(seq.inFlight).toBe(0);
    expect(seq.nextDeadline()).toBe(31_010);
    // A retransmitted StopCCN (Ns 0 again after delivery) is acked at once while lingering.
    expect(seq.receive(rec(0, 1), 20).deliver).toHaveLength(1);
    expect(seq.receive(rec(0, 1), 5000).ack).toBe(true);
    expect(seq.tick(35_999).closed).toBe(false); // each message received extends it (5 s + 31 s)
    expect(seq.tick(36_000).closed).toBe(true);
    expect(() => seq.abandon(0, -1)).toThrow(RangeError);
  });

  it('closes after linger even when the last message failed', () => {
    const seq = new Sequencer({ maxRetransmissions: 1, closeLinger: 100 });
    seq.send(ctl(), 0);
    seq.close(0);
    let closed = false;
    for (let d = seq.nextDeadline(); d !== undefined; d = seq.nextDeadline()) closed ||= seq.tick(d).closed;
    expect(seq.failed).toBe(true);
    expect(closed).toBe(true);
  });
});

describe('Sequencer: misuse is a TypeError/RangeError that says what to change', () => {
  const bad: [SequencerOptions, RegExp][] = [
    [{ initialTimeout: 0 }, /initialTimeout/],
    [{ maxTimeout: 10, initialTimeout: 100, ackDelay: 1 }, /maxTimeout/],
    [{ backoff: 0.5 }, /backoff/],
    [{ maxRetransmissions: -1 }, /maxRetransmissions/],
    [{ ackDelay: 1000 }, /ackDelay/],
    [{ receiveWindow: 0 }, /receiveWindow/],
    [{ receiveWindow: 40000 }, /receiveWindow/],
    [{ peerWindow: 0 }, /peerWindow/],
    [{ congestion: 'reno' as never }, /congestion/],
    [{ ackMessage: 'nak' as never }, /ackMessage/],
    [{ initialNs: 65536 }, /initialNs/],
    [{ closeLinger: -1 }, /closeLinger/],
  ];
  it.each(bad)('rejects %o', (options, message) => {
    expect(() => new Sequencer(options)).toThrow(RangeError);
    expect(() => new Sequencer(options)).toThrow(message);
  });

  it('rejects non-object options', () => {
    expect(() => new Sequencer(null as never)).toThrow(TypeError);
  });

  it('send refuses non-bytes, data messages, short input and ZLBs', () => {
    const seq = new Sequencer();
    expect(() => seq.send('x' as never, 0)).toThrow(TypeError);
    expect(() => seq.send(new Uint8Array(8), 0)).toThrow(/at least 12/);
    const data = ctl();
    data[0] = 0x40;
    expect(() => seq.send(data, 0)).toThrow(/control header/);
    const zlb = ctl().subarray(0, 12);
    zlb[3] = 12;
    expect(() => seq.send(zlb, 0)).toThrow(RangeError);
    expect(seq.inFlight + seq.queued).toBe(0);
  });

  it('rejects a bad clock value and out-of-range Ns/Nr', () => {
    const seq = new Sequencer();
    expect(() => seq.tick(Number.NaN)).toThrow(/now/);
    expect(() => seq.send(ctl(), Infinity)).toThrow(RangeError);
    expect(() => seq.receive(rec(65536, 0), 0)).toThrow(/0 to 65535/);
    expect(() => seq.receive(rec(0, -1), 0)).toThrow(RangeError);
    expect(() => seq.receive(null as never, 0)).toThrow(TypeError);
  });

  it("carries the ack-message choice for the owner ('zlb' by default, 'ack' for L2TPv3 type 20)", () => {
    expect(new Sequencer().ackMessage).toBe('zlb');
    expect(new Sequencer({ ackMessage: 'ack' }).ackMessage).toBe('ack');
  });
});

describe('Sequencer against the real xl2tpd exchange (vectors/plain.hex)', () => {
  const frames = loadHex('plain');
  const LAC = 17011;
  const zeroSeq = (b: Uint8Array): Uint8Array => {
    const c = b.slice();
    c.fill(0, 8, 12);
    return c;
  };
  const parsed = (b: Uint8Array): ReceivedControl => {
    const h = header(b);
    return { ns: h.ns!, nr: h.nr!, isZlb: h.length === h.headerLength };
  };

  it('as the LAC: stamps exactly the Ns/Nr xl2tpd’s LAC sent', () => {
    const seq = new Sequencer();
    for (const f of frames) {
      if (f.srcPort === LAC) {
        const out = seq.send(zeroSeq(f.bytes), f.time * 1000);
        expect(out.transmit.map(toHex)).toEqual([toHex(f.bytes)]);
      } else {
        seq.receive(parsed(f.bytes), f.time * 1000);
      }
    }
    expect(seq.inFlight).toBe(0);
  });

  it('as the LNS: replies carry xl2tpd’s Ns/Nr, and our ZLBs the same Ns/Nr as its ZLBs', () => {
    // A delayed ack models a reply that comes later than the receive (the FSM instead drops the
    // due ack when it answers in the same turn).
    const seq = new Sequencer({ ackDelay: 250 });
    let now = 0;
    const lnsZlbs = frames.filter((f) => f.srcPort !== LAC && f.bytes.length === 12).map((f) => [u16(f.bytes, 8), u16(f.bytes, 10)]);
    const ourZlbs: number[][] = [];
    frames.forEach((f, i) => {
      now += 1000;
      if (f.srcPort === LAC) {
        seq.receive(parsed(f.bytes), now);
      } else if (f.bytes.length > 12) {
        expect(seq.send(zeroSeq(f.bytes), now).transmit.map(toHex)).toEqual([toHex(f.bytes)]);
      }
      // Let the ack delay run out, unless the LNS's next frame is a reply (which carries the ack).
      const next = frames[i + 1];
      if (next && next.srcPort !== LAC && next.bytes.length > 12) return;
      const out = seq.tick(now + 500);
      if (out.ack) ourZlbs.push([out.ackNs, out.ackNr]);
    });
    // xl2tpd also sends a ZLB right after ICRP (#7: Ns 2, Nr 3) although ICRP carried that ack;
    // the Sequencer piggybacks instead. Every ZLB it does ask for matches one of xl2tpd's.
    expect(ourZlbs).toEqual(lnsZlbs.filter(([ns, nr]) => !(ns === 2 && nr === 3)));
  });
});
