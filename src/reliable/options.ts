/**
 * Sequencer options, their defaults (RFC 2661 §5.8) and their validation.
 */
import { assertInt } from '../wire/bytes.js';
import { MAX_WINDOW } from './serial.js';

/**
 * How the send window grows and shrinks.
 * - `'rfc'`: slow start and congestion avoidance of RFC 2661 Appendix A (window starts at 1,
 *   grows to the peer's Receive Window Size; a retransmission halves the threshold and restarts
 *   from 1).
 * - `'fixed'`: always the peer's Receive Window Size.
 * - `'stop-and-wait'`: one message in flight at a time.
 */
export type CongestionMode = 'rfc' | 'fixed' | 'stop-and-wait';

/**
 * Which ack-only message the owner sends when {@link SequencerOutput.ack} is set.
 * - `'zlb'`: a Zero-Length Body message, the control header alone (RFC 2661 §5.8).
 * - `'ack'`: the L2TPv3 Explicit Acknowledgement message, type 20 (RFC 3931 §4.2), needed
 *   when control message authentication is on and a bare ZLB could not carry a Message Digest.
 *
 * The Sequencer behaves the same either way: it only carries the choice for the owner, which
 * encodes the ack. Both are ack-only and unsequenced: mark received ones `isZlb: true`.
 */
export type AckMessage = 'zlb' | 'ack';

/** Options of a {@link Sequencer}. Times are in milliseconds. */
export interface SequencerOptions {
  /** First retransmission timeout. Default 1000 (RFC 2661 §5.8 recommends 1 s). */
  initialTimeout?: number;
  /** Each further timeout is the previous one times this. Default 2 (§5.8: exponential backoff). */
  backoff?: number;
  /**
   * Cap on the retransmission timeout. Default 8000 (or `initialTimeout` when that is longer).
   * RFC 2661 §5.8: the cap "MUST be no less than 8 seconds per retransmission", so a smaller
   * value is refused (`RangeError`); tests that want speed use a virtual clock instead.
   */
  maxTimeout?: number;
  /**
   * Retransmissions of one message before the control connection is reported failed.
   * Default 5 (§5.8: "a recommended default is 5, but SHOULD be configurable").
   */
  maxRetransmissions?: number;
  /**
   * How long a received message may wait for a piggybacked ack before a ZLB is asked for.
   * Default 0: the ack is due at the end of the same {@link Sequencer.receive} call, and an
   * owner that answers in the same turn (as the FSM does) piggybacks it on the answer instead
   * of sending a ZLB; xl2tpd acks at once too. RFC 2661 §5.8 lets a peer ack by piggyback or
   * by ZLB and sets no delay; a delay only helps an owner whose answer comes later, and costs
   * the peer a round trip (a Hello reads 250 ms instead of ~1 ms), eats into its 1 s
   * retransmission timer, and slows its slow start, which grows per ACK (Appendix A). Set it
   * (below `initialTimeout`) when answers are produced asynchronously.
   */
  ackDelay?: number;
  /**
   * Our receive window: what the owner advertises in the Receive Window Size AVP, and how many
   * out-of-order messages are held at most. 1 to 32768; default 4.
   */
  receiveWindow?: number;
  /**
   * The peer's receive window: most messages we keep unacknowledged. Default 4, the value
   * RFC 2661 §5.8 prescribes when the peer sent no Receive Window Size AVP. 1 to 65535 (values
   * above 32768 act as 32768, the most that serial arithmetic allows). Change it later with
   * {@link Sequencer.setPeerWindow}.
   */
  peerWindow?: number;
  /** Send-window policy. Default `'rfc'` (RFC 2661 Appendix A). */
  congestion?: CongestionMode;
  /** Ack-only message kind for the owner to send. Default `'zlb'`. */
  ackMessage?: AckMessage;
  /**
   * After {@link Sequencer.close}, how long to keep acknowledging the peer's retransmissions
   * after the last message exchange. Default: a full retransmission cycle with these options
   * (31 s with the defaults), as RFC 2661 §5.8 requires for a shutdown.
   */
  closeLinger?: number;
  /** Ns of our first message. Default 0 (RFC 2661 §5.8); other values serve tests and resync. */
  initialNs?: number;
  /** Ns we expect first from the peer. Default 0. */
  initialNr?: number;
}

/** Options with every default filled in. @internal */
export interface ResolvedOptions {
  readonly initialTimeout: number;
  readonly backoff: number;
  readonly maxTimeout: number;
  readonly maxRetransmissions: number;
  readonly ackDelay: number;
  readonly receiveWindow: number;
  readonly peerWindow: number;
  readonly congestion: CongestionMode;
  readonly ackMessage: AckMessage;
  readonly closeLinger: number;
  readonly initialNs: number;
  readonly initialNr: number;
}

/** RFC 2661 §5.8: the cap on the retransmission timeout "MUST be no less than 8 seconds". */
const MIN_TIMEOUT_CAP = 8000;

const MODES: readonly CongestionMode[] = ['rfc', 'fixed', 'stop-and-wait'];
const ACKS: readonly AckMessage[] = ['zlb', 'ack'];

/** Throws a `RangeError` unless `v` is a finite number ≥ `min`. */
export function assertTime(v: unknown, what: string, min = 0): asserts v is number {
  if (!Number.isFinite(v) || (v as number) < min) { // Number.isFinite does not coerce: false for any non-number
    throw new RangeError(`${what} must be a finite number of milliseconds ≥ ${min}, got ${String(v)}`);
  }
}

/**
 * Total time from a message's first transmission until a Sequencer with these options gives
 * up: the sum of every timeout it waits (1 + 2 + 4 + 8 + 8 + 8 = 31 s with the defaults).
 * Also the default `closeLinger`.
 *
 * @throws `RangeError`/`TypeError` for an option out of range.
 * @example
 * ```ts
 * retransmissionCycle();                            // 31000
 * retransmissionCycle({ maxRetransmissions: 3 });   // 15000 (1 + 2 + 4 + 8 s)
 * ```
 */
export function retransmissionCycle(options?: SequencerOptions): number {
  return cycle(resolveOptions(options));
}

function cycle(o: Pick<ResolvedOptions, 'initialTimeout' | 'backoff' | 'maxTimeout' | 'maxRetransmissions'>): number {
  let total = 0;
  let t = o.initialTimeout;
  for (let i = 0; i <= o.maxRetransmissions; i++) {
    total += t;
    t = Math.min(t * o.backoff, o.maxTimeout);
  }
  return total;
}

/** Objects made by {@link resolveOptions}: frozen, so they can be shared without checking again. */
const RESOLVED = new WeakSet<object>();

/**
 * Fill in defaults and validate; misuse throws `RangeError`/`TypeError`. The result is frozen
 * and passing it back returns it as is: a server resolves once and shares it among its
 * Sequencers (one object, not one per tunnel).
 */
export function resolveOptions(options: SequencerOptions | undefined): ResolvedOptions {
  if (options !== undefined && options !== null && RESOLVED.has(options)) return options as ResolvedOptions;
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`options must be an object or undefined, got ${options === null ? 'null' : typeof options}`);
  }
  const o = options ?? {};
  const initialTimeout = o.initialTimeout ?? 1000;
  assertTime(initialTimeout, 'initialTimeout', 1);
  const backoff = o.backoff ?? 2;
  if (!Number.isFinite(backoff) || backoff < 1) {
    throw new RangeError(`backoff must be a finite number ≥ 1, got ${String(backoff)}`);
  }
  const maxTimeout = o.maxTimeout ?? Math.max(MIN_TIMEOUT_CAP, initialTimeout);
  assertTime(maxTimeout, 'maxTimeout', initialTimeout);
  if (maxTimeout < MIN_TIMEOUT_CAP) {
    throw new RangeError(`maxTimeout must be at least ${MIN_TIMEOUT_CAP} ms (RFC 2661 §5.8: the retransmission cap "MUST be no less than 8 seconds"), got ${maxTimeout}; for fast tests drive the Sequencer with a virtual clock`);
  }
  const maxRetransmissions = o.maxRetransmissions ?? 5;
  assertInt(maxRetransmissions, 0, 1000, 'maxRetransmissions');
  const ackDelay = o.ackDelay ?? 0;
  assertTime(ackDelay, 'ackDelay');
  if (ackDelay >= initialTimeout) {
    throw new RangeError(`ackDelay (${ackDelay}) must be shorter than initialTimeout (${initialTimeout}), or the peer retransmits before we ack`);
  }
  const receiveWindow = o.receiveWindow ?? 4;
  assertInt(receiveWindow, 1, MAX_WINDOW, 'receiveWindow');
  const peerWindow = o.peerWindow ?? 4;
  assertInt(peerWindow, 1, 0xffff, 'peerWindow');
  const congestion = o.congestion ?? 'rfc';
  if (!MODES.includes(congestion)) {
    throw new RangeError(`congestion must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${String(congestion)}`);
  }
  const ackMessage = o.ackMessage ?? 'zlb';
  if (!ACKS.includes(ackMessage)) {
    throw new RangeError(`ackMessage must be 'zlb' or 'ack', got ${String(ackMessage)}`);
  }
  const initialNs = o.initialNs ?? 0;
  assertInt(initialNs, 0, 0xffff, 'initialNs');
  const initialNr = o.initialNr ?? 0;
  assertInt(initialNr, 0, 0xffff, 'initialNr');
  const closeLinger = o.closeLinger ?? cycle({ initialTimeout, backoff, maxTimeout, maxRetransmissions });
  assertTime(closeLinger, 'closeLinger');
  const r: ResolvedOptions = Object.freeze({
    initialTimeout, backoff, maxTimeout, maxRetransmissions, ackDelay, receiveWindow,
    peerWindow, congestion, ackMessage, closeLinger, initialNs, initialNr,
  });
  RESOLVED.add(r);
  return r;
}
