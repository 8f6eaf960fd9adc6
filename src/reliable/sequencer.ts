/**
 * The reliable-delivery engine of the L2TP control channel (RFC 2661 §5.8 and Appendix A;
 * RFC 3931 §4.2): Ns/Nr, the send and receive windows, retransmission with backoff, and
 * acknowledgement timing. Pure and deterministic: no timers, no I/O, no randomness; the
 * caller passes the time in.
 */
import { assertInt, put16 } from '../wire/bytes.js';
import { assertSequenced, NR_OFFSET, NS_OFFSET } from './control-header.js';
import { SendWindow } from './congestion.js';
import { resolveOptions } from './options.js';
import type { AckMessage, CongestionMode, ResolvedOptions, SequencerOptions } from './options.js';
import { earlier, later } from './deadlines.js';
import { Output } from './output.js';
import { ReceiveWindow, type Verdict } from './receive-window.js';
import { SendRing } from './send-ring.js';
import type { ReceivedControl, SequencerOutput, SequencerState } from './types.js';

/** Defaults resolved once, shared by every Sequencer created without options. */
let defaults: ResolvedOptions | undefined;

/**
 * Reliable, in-order delivery of control messages over one control connection.
 *
 * Event in, actions out: {@link send}, {@link receive}, {@link tick} and {@link close} each
 * return a {@link SequencerOutput} saying what to transmit now, what to deliver upward, whether
 * an ack-only message (ZLB) is due, and whether the connection failed. Call {@link tick} at
 * {@link nextDeadline}. A Sequencer is a small plain object: a thousand tunnels cost a
 * thousand Sequencers, never a thousand timers.
 *
 * Rules it implements (RFC 2661 §5.8 unless noted):
 * - Ns is assigned when a message first goes on the wire; every transmission, retransmissions
 *   included, carries the current Nr ("the Nr value MUST be updated").
 * - At most the send window is unacknowledged: the peer's Receive Window Size (default 4),
 *   narrowed by slow start / congestion avoidance in `'rfc'` mode (Appendix A).
 * - One retransmission timer runs for the oldest unacknowledged message: initial 1 s, doubled
 *   on each timeout up to 8 s. On a timeout the Sequencer goes back to that message and resends,
 *   within the (then shrunken) window, from there on. An ack restores the initial timeout. After
 *   `maxRetransmissions` (5) retransmissions of one message and one more timeout, the
 *   connection is reported failed.
 * - A received message with the expected Ns is delivered, and any held successors with it; one
 *   ahead of it but inside our receive window is held; a duplicate (Ns before the expected one,
 *   modulo 2^16) is dropped and acknowledged again at once; anything else is dropped.
 * - Received messages are acked by the Nr of the next transmission, or by a ZLB after
 *   `ackDelay` if nothing goes out before (default 0: the output of the same call asks for the
 *   ZLB; an owner that sends an answer before acting on it piggybacks the ack instead).
 * - ZLBs (and L2TPv3 ACKs) only acknowledge: never sequenced, held, delivered or acked.
 * - All Ns/Nr comparisons are modulo 2^16.
 *
 * @typeParam T - the owner's parsed message; only `ns`, `nr` and `isZlb` are read.
 * @example
 * ```ts
 * const seq = new Sequencer<ControlMessage>();
 * let out = seq.send(sccrq(...), now);       // out.transmit: [the SCCRQ with Ns=0, Nr=0]
 * out = seq.receive(parseControl(bytes), now); // out.deliver: the peer's messages, in order
 * if (out.ack) socket.send(zlb({ tunnelId, ns: out.ackNs, nr: out.ackNr }));
 * setTimeout(() => seq.tick(Date.now()), seq.nextDeadline()! - now);
 * ```
 */
export class Sequencer<T extends ReceivedControl = ReceivedControl> {
  private readonly o: ResolvedOptions;
  private readonly win: SendWindow;
  private readonly out = new Output<T>();

  // Send side. `ring` holds every message not yet acknowledged, from the oldest (Ns = una) on:
  // first the ones already sent (Ns assigned, una .. max-1), then the ones waiting for room in
  // the window (no Ns yet). It exists only while it holds something: most Sequencers of a busy
  // LNS are idle (issue 16: memory per idle tunnel).
  private ring: SendRing | undefined = undefined;
  /** Oldest unacknowledged Ns. */
  private una: number;
  /** Next Ns to put on the wire; behind `max` while resending after a timeout. */
  private nxt: number;
  /** Next Ns never sent yet. */
  private max: number;
  private rto: number;
  private retries = 0;
  // Deadlines: `undefined` for none. Not `Infinity`: a field that holds a non-integer number keeps
  // it in a 16-byte box per Sequencer (issue 16: memory per idle tunnel); `undefined` costs nothing.
  private rtxAt: number | undefined = undefined;

  // Receive side. `nr`: the next Ns expected. `rx` holds messages received ahead of a gap, and
  // exists only while it holds one: in-order delivery needs nothing but `nr` (issue 16).
  private nr: number;
  private rx: ReceiveWindow<T> | undefined = undefined;
  private ackAt: number | undefined = undefined;
  private ackNow = false;

  private isFailed = false;
  private lifecycle: SequencerState = 'open';
  private closeAt: number | undefined = undefined;
  /** How long closing lingers after the last exchange: `closeLinger`, or what abandon() was given. */
  private linger: number;

  /**
   * @param options - see {@link SequencerOptions}; one object may serve many Sequencers.
   * @param initialNr - overrides `options.initialNr` (a responder starts from the Ns of the
   *   peer's first message), so that many Sequencers share one options object.
   * @throws `RangeError`/`TypeError` for an option out of range.
   */
  constructor(options?: SequencerOptions, initialNr?: number) {
    const o = options === undefined ? (defaults ??= resolveOptions(undefined)) : resolveOptions(options);
    if (initialNr !== undefined) assertInt(initialNr, 0, 0xffff, 'initialNr');
    this.o = o;
    this.win = new SendWindow(o.congestion, o.peerWindow);
    this.una = this.nxt = this.max = o.initialNs;
    this.nr = initialNr ?? o.initialNr;
    this.rto = o.initialTimeout;
    this.linger = o.closeLinger;
  }

  /**
   * Queue an encoded control message (v2 or v3 control header, not a ZLB) for reliable
   * delivery. The Sequencer takes ownership of `bytes`: it writes Ns and Nr into the header
   * (bytes 8–11) now and on every retransmission, so do not reuse or change the array.
   * The message goes out at once if the window has room, otherwise when acks open it.
   *
   * @throws `TypeError` when `bytes` is not a control message, or the Sequencer has failed or
   *   is closing; `RangeError` for a ZLB or a bad `now`.
   */
  send(bytes: Uint8Array, now: number): SequencerOutput<T> {
    assertSequenced(bytes);
    if (this.isFailed) throw new TypeError('cannot send: this Sequencer has failed (retransmissions exhausted); tear the control connection down');
    if (this.lifecycle !== 'open') throw new TypeError(`cannot send: this Sequencer is ${this.lifecycle}; queue the last message (e.g. StopCCN) before close()`);
    const out = this.begin(now);
    (this.ring ??= new SendRing()).push(bytes);
    this.flush(now);
    return out;
  }

  /**
   * Process a received control message (already parsed by the owner): take the peer's Nr as an
   * ack, and sequence it unless it is a ZLB.
   *
   * @throws `RangeError` when `ns`/`nr` are not 16-bit integers or `now` is bad.
   */
  receive(message: T, now: number): SequencerOutput<T> {
    const out = this.begin(now);
    if (typeof message !== 'object' || message === null) {
      throw new TypeError(`message must be a parsed control message with ns, nr and isZlb, got ${message === null ? 'null' : typeof message}`);
    }
    const { ns, nr } = message;
    if ((ns & 0xffff) !== ns || (nr & 0xffff) !== nr) {
      throw new RangeError(`message.ns and message.nr must be integers from 0 to 65535, got ${String(ns)} and ${String(nr)}`);
    }
    if (this.lifecycle === 'closed') return out;
    this.onNr(nr, now);
    if (!message.isZlb) {
      this.onNs(message, ns, now);
      // RFC 2661 §5.8: keep acking for a full retransmission interval after the last exchange.
      if (this.lifecycle === 'closing') this.closeAt = later(this.closeAt, now + this.linger);
    }
    this.flush(now);
    return out;
  }

  /**
   * Let time pass: retransmit on timeout, ask for a delayed ack, finish closing. Call it at
   * {@link nextDeadline} (calling it at other times is harmless).
   */
  tick(now: number): SequencerOutput<T> {
    const out = this.begin(now);
    if (this.lifecycle === 'closed') return out;
    if (this.rtxAt !== undefined && this.rtxAt <= now) this.onTimeout(now);
    this.flush(now);
    return out;
  }

  /**
   * Start closing: no new messages, but what is queued is still delivered and retransmitted,
   * and the peer's messages are still received and acknowledged, for `closeLinger` after the
   * last message received (RFC 2661 §5.8: a tunnel shut down for reasons other than loss of
   * connectivity keeps its reliable delivery running for the full retransmission interval, so
   * the peer's retransmitted StopCCN is acked). Then the output reports `closed`. Allowed after
   * failure too (nothing is retransmitted then).
   */
  close(now: number): SequencerOutput<T> {
    const out = this.begin(now);
    if (this.lifecycle !== 'open') return out;
    this.lifecycle = 'closing';
    this.closeAt = now + this.o.closeLinger;
    this.flush(now);
    return out;
  }

  /**
   * The peer ended the control connection (a StopCCN arrived, RFC 2661 §5.7): drop everything
   * queued or in flight (the peer will acknowledge none of it) and linger as {@link close}
   * does, still acknowledging the peer's retransmissions in case our ZLB was lost. `linger`
   * (default `closeLinger`) is how long; RFC 2661 §5.7 asks for a full retransmission cycle.
   * The owner sends the ack of the StopCCN itself, at once: any delayed ack still pending is
   * dropped (an ack-only message goes out again only for a retransmission).
   */
  abandon(now: number, linger: number = this.o.closeLinger): SequencerOutput<T> {
    if (!Number.isFinite(linger) || linger < 0) {
      throw new RangeError(`linger must be a finite number of milliseconds ≥ 0, got ${String(linger)}`);
    }
    this.ring = undefined;
    this.una = this.nxt = this.max;
    this.rtxAt = undefined;
    // The owner acks the StopCCN at once itself (§5.7); no delayed ack is still owed for it.
    this.ackAt = undefined;
    this.ackNow = false;
    const out = this.begin(now);
    if (this.lifecycle === 'closed') return out;
    const until = now + linger;
    this.closeAt = this.lifecycle === 'closing' ? later(this.closeAt, until) : until;
    this.linger = Math.max(this.linger, linger);
    this.lifecycle = 'closing';
    this.flush(now);
    return out;
  }

  /**
   * The peer's Receive Window Size AVP arrived (RFC 2661 §4.4.3). Takes effect on the next
   * transmission. Values above 32768 act as 32768 (serial arithmetic allows no more).
   *
   * @throws `RangeError` unless 1 ≤ `size` ≤ 65535 (0 is invalid per RFC 2661 §5.8: the owner
   *   should reject such an AVP).
   */
  setPeerWindow(size: number): void {
    if (!Number.isInteger(size) || size < 1 || size > 0xffff) {
      throw new RangeError(`peer window must be an integer from 1 to 65535 (Receive Window Size 0 is invalid, RFC 2661 §5.8), got ${String(size)}`);
    }
    this.win.setPeer(size);
  }

  /** When to call {@link tick} next (same clock as `now`), or `undefined` when nothing is pending. */
  nextDeadline(): number | undefined {
    let d = earlier(this.rtxAt, this.ackAt);
    // While our last messages are unacked, closing waits for them (or for failure) instead.
    if (this.lifecycle === 'closing' && (this.pending === 0 || this.isFailed)) d = earlier(d, this.closeAt);
    return d;
  }

  /** `'open'`, `'closing'` after {@link close}, `'closed'` once lingering is over. */
  get state(): SequencerState {
    return this.lifecycle;
  }
  /** True once a message's retransmission budget ran out. */
  get failed(): boolean {
    return this.isFailed;
  }
  /** Ns the next new message will get; also the Ns of an ack-only message. */
  get nextNs(): number {
    return this.max;
  }
  /** Nr: the next Ns expected from the peer. */
  get nextNr(): number {
    return this.nr;
  }
  /** Messages sent and not yet acknowledged. */
  get inFlight(): number {
    return (this.max - this.una) & 0xffff;
  }
  /** Messages waiting for room in the send window (no Ns yet). */
  get queued(): number {
    return this.pending - ((this.max - this.una) & 0xffff);
  }
  /** Out-of-order messages held for in-order delivery (at most `receiveWindow - 1`). */
  get held(): number {
    return this.rx?.count ?? 0;
  }
  /** Unacknowledged messages allowed now: the congestion window, or per the mode. */
  get sendWindow(): number {
    return this.win.size();
  }
  /** The peer's Receive Window Size in effect. */
  get peerWindow(): number {
    return this.win.peer;
  }
  /** Our receive window (advertise it in the Receive Window Size AVP). */
  get receiveWindow(): number {
    return this.o.receiveWindow;
  }
  /** SSTHRESH of RFC 2661 Appendix A (`'rfc'` mode). */
  get slowStartThreshold(): number {
    return this.win.ssthresh;
  }
  /** The congestion mode in use. */
  get congestion(): CongestionMode {
    return this.o.congestion;
  }
  /** Which ack-only message to send when an output has `ack` set. */
  get ackMessage(): AckMessage {
    return this.o.ackMessage;
  }
  /** Retransmissions so far of the oldest unacknowledged message. */
  get retransmissions(): number {
    return this.retries;
  }
  /** Current retransmission timeout. */
  get timeout(): number {
    return this.rto;
  }

  /** Messages not yet acknowledged: sent, or waiting for room in the window. */
  private get pending(): number {
    return this.ring?.count ?? 0;
  }

  private begin(now: number): Output<T> {
    if (!Number.isFinite(now)) {
      throw new RangeError(`now must be a finite number of milliseconds, got ${String(now)}`);
    }
    return this.out.reset();
  }

  /** The peer acknowledges every Ns before `nr` (RFC 2661 §5.8). */
  private onNr(nr: number, now: number): void {
    const acked = (nr - this.una) & 0xffff;
    const sent = (this.max - this.una) & 0xffff;
    // Nothing new, or an Nr we never reached (stale reordering or a broken peer): ignore.
    if (acked === 0 || acked > sent) return;
    // acked ≤ sent ≤ what the ring holds, so there is a ring.
    const ring = this.ring!;
    ring.shift(acked);
    if (ring.count === 0) this.ring = undefined;
    if (((this.nxt - this.una) & 0xffff) < acked) this.nxt = nr;
    this.una = nr;
    // Appendix A counts ACKs received, however many messages one of them acknowledges.
    this.win.onAck();
    // A fresh oldest message gets a fresh budget and the initial timeout.
    this.retries = 0;
    this.rto = this.o.initialTimeout;
    this.rtxAt = sent > acked ? now + this.rto : undefined;
    // RFC 2661 §5.8: the linger after a shutdown runs "for the full retransmission interval
    // after the final message exchange": the ack of our last message (e.g. the StopCCN) is it.
    if (this.lifecycle === 'closing' && this.pending === 0) this.closeAt = later(this.closeAt, now + this.linger);
  }

  private onNs(message: T, ns: number, now: number): void {
    let v: Verdict;
    if (this.rx === undefined && ns === this.nr) {
      // In order with nothing held (the usual case): no receive window needed.
      this.out.hand(message);
      this.nr = (ns + 1) & 0xffff;
      v = 'delivered';
    } else {
      const rx = (this.rx ??= new ReceiveWindow<T>(this.o.receiveWindow, this.nr));
      v = rx.accept(message, ns, this.out);
      this.nr = rx.nr;
      if (rx.count === 0) this.rx = undefined;
    }
    if (v === 'delivered') {
      if (this.ackAt === undefined) this.ackAt = now + this.o.ackDelay;
    } else if (v === 'duplicate') {
      // Its ack was lost. Ack again now, or the peer retransmits until it gives up.
      this.ackNow = true;
    }
    // 'held' waits for the gap to fill; 'dropped' is beyond our receive window (the peer broke it).
  }

  private onTimeout(now: number): void {
    if (this.retries >= this.o.maxRetransmissions) {
      this.fail();
      return;
    }
    this.retries++;
    this.rto = Math.min(this.rto * this.o.backoff, this.o.maxTimeout);
    this.rtxAt = now + this.rto;
    this.win.onTimeout();
    this.nxt = this.una;
  }

  private fail(): void {
    this.isFailed = true;
    this.out.failed = true;
    this.ring = undefined;
    this.una = this.nxt = this.max;
    this.rtxAt = undefined;
  }

  /** Transmit what the window allows, then decide on a separate ack, then on closing. */
  private flush(now: number): void {
    const out = this.out;
    if (this.lifecycle !== 'closed') {
      const limit = this.win.size();
      const ring = this.ring;
      let off = (this.nxt - this.una) & 0xffff;
      while (ring !== undefined && off < ring.count && off < limit) {
        const bytes = ring.at(off);
        if (this.nxt === this.max) {
          put16(bytes, NS_OFFSET, this.nxt);
          this.max = (this.max + 1) & 0xffff;
        }
        put16(bytes, NR_OFFSET, this.nr);
        out.sendNow(bytes);
        this.nxt = (this.nxt + 1) & 0xffff;
        off++;
      }
      if (out.transmit.length !== 0 && this.rtxAt === undefined) this.rtxAt = now + this.rto;
    }
    if (out.transmit.length !== 0) {
      // Every transmission carries the current Nr: that is the (piggybacked) ack.
      this.ackAt = undefined;
      this.ackNow = false;
    } else if (this.ackNow || (this.ackAt !== undefined && this.ackAt <= now)) {
      out.ack = true;
      out.ackNs = this.max;
      out.ackNr = this.nr;
      this.ackAt = undefined;
      this.ackNow = false;
    }
    if (this.lifecycle === 'closing' && this.closeAt !== undefined && now >= this.closeAt && (this.pending === 0 || this.isFailed)) {
      this.lifecycle = 'closed';
      out.closed = true;
      this.ring = undefined;
      this.rx = undefined;
      this.rtxAt = this.ackAt = this.closeAt = undefined;
    }
  }
}
