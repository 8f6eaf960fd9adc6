/**
 * Options of the async driver ({@link openTunnel}, {@link probe}, {@link establishSession}) and
 * their validation. Misuse is a `TypeError`/`RangeError` saying what to change.
 * @module
 */
import type { TunnelOptions } from '../fsm/options.js';
import { retransmissionCycle } from '../reliable/options.js';
import { globalClock, globalRandom, globalTimers, type AbortSignalLike, type Clock, type Timers } from './platform.js';

/**
 * Default overall timeout of a wait (opening a tunnel or a session, closing): 10 s.
 * @example
 * ```ts
 * const tunnel = await openTunnel(transport, { timeout: 3 * DEFAULT_TIMEOUT }); // a slow peer: 30 s
 * ```
 */
export const DEFAULT_TIMEOUT = 10_000;

/** Per-call wait options: every wait the driver offers takes these. */
export interface WaitOptions {
  /** Give up after this many milliseconds (`L2tpError('TIMEOUT')`). Default 10 000. */
  timeout?: number;
  /** Give up when this signal aborts (`L2tpError('ABORTED')`, the signal's reason as `cause`). */
  signal?: AbortSignalLike;
}

/**
 * Options of {@link openTunnel}: the tunnel's own options (see `TunnelOptions`: host name,
 * secret, hidden AVPs, vendor name, hello interval, Sequencer timings…) with `random` made
 * optional, plus the driver's.
 */
export interface OpenTunnelOptions extends Omit<TunnelOptions, 'random' | 'hostName'>, WaitOptions {
  /** Our Host Name AVP (RFC 2661 §4.4.3). Default `'l2tp-wire'`. */
  hostName?: string;
  /** Random bytes for IDs, challenges and Random Vectors. Default: `crypto.getRandomValues`, drawn 4 KiB at a time. */
  random?: (n: number) => Uint8Array;
  /** Monotonic clock in milliseconds. Default: `performance.now()`. */
  clock?: Clock;
  /** Timer functions. Default: the global `setTimeout`/`clearTimeout`. */
  timers?: Timers;
  /**
   * Leave the transport open when the tunnel ends (it is the caller's again; the driver's handlers
   * are replaced by no-ops). Default `false`: the tunnel owns the transport and closes it.
   */
  keepTransport?: boolean;
  /**
   * Frames a session's {@link Session.frames} iterator holds while nobody reads; older ones are
   * dropped (counted in `Session.droppedFrames`), as a busy link would. Default 256.
   */
  frameBuffer?: number;
}

/** @internal Options with the driver's defaults filled in. */
export interface ResolvedDriverOptions {
  readonly fsm: TunnelOptions;
  readonly timeout: number;
  readonly signal: AbortSignalLike | undefined;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly keepTransport: boolean;
  readonly frameBuffer: number;
}

/** @internal Throws `RangeError` unless `v` is a usable timeout. */
export function checkTimeout(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new RangeError(`${what} must be a finite number of milliseconds > 0, got ${String(v)}`);
  return v;
}

/** @internal Throws `TypeError` unless `s` is an AbortSignal (or undefined). */
export function checkSignal(s: unknown, what: string): AbortSignalLike | undefined {
  if (s === undefined) return undefined;
  const o = s as Partial<AbortSignalLike> | null;
  if (o === null || typeof o !== 'object' || typeof o.aborted !== 'boolean' || typeof o.addEventListener !== 'function' || typeof o.removeEventListener !== 'function') {
    throw new TypeError(`${what} must be an AbortSignal (e.g. AbortSignal.timeout(5000) or new AbortController().signal)`);
  }
  return o as AbortSignalLike;
}

/** @internal */
export function checkWait(o: WaitOptions | undefined, defaultTimeout: number, what: string): { timeout: number; signal: AbortSignalLike | undefined } {
  if (o !== undefined && (o === null || typeof o !== 'object')) throw new TypeError(`${what}: options must be an object`);
  return { timeout: checkTimeout(o?.timeout ?? defaultTimeout, `${what}: timeout`), signal: checkSignal(o?.signal, `${what}: signal`) };
}

/**
 * @internal
 * @param stream - the transport is a byte stream: data messages then carry L=1 (see `StreamFramer`).
 */
export function resolveDriverOptions(options: OpenTunnelOptions, stream: boolean, what: string): ResolvedDriverOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`${what}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  const { timeout, signal } = checkWait(options, DEFAULT_TIMEOUT, what);
  const { clock = globalClock, timers = globalTimers, keepTransport = false, frameBuffer = 256, random = globalRandom } = options;
  if (typeof clock !== 'function') throw new TypeError(`${what}: clock must be a function returning milliseconds, e.g. () => performance.now()`);
  if (timers === null || typeof timers !== 'object' || typeof timers.setTimeout !== 'function' || typeof timers.clearTimeout !== 'function') {
    throw new TypeError(`${what}: timers must be an object with setTimeout and clearTimeout`);
  }
  if (!Number.isInteger(frameBuffer) || frameBuffer < 0) throw new RangeError(`${what}: frameBuffer must be an integer ≥ 0, got ${String(frameBuffer)}`);
  const { timeout: _t, signal: _s, clock: _c, timers: _ti, keepTransport: _k, frameBuffer: _f, ...tunnel } = options;
  const seq = tunnel.sequencer;
  const fsm: TunnelOptions = {
    ...tunnel,
    hostName: tunnel.hostName ?? 'l2tp-wire',
    random,
    dataWithLength: tunnel.dataWithLength ?? stream,
    // A client that closes wants its promise back once the StopCCN is acknowledged: the peer has
    // then cleared the tunnel and sends nothing more (RFC 2661 §5.7). Pass sequencer.closeLinger
    // to keep acking for the full retransmission cycle of §5.8 instead.
    sequencer: { ...seq, closeLinger: seq?.closeLinger ?? 0 },
    // The peer's StopCCN is another matter (RFC 2661 §5.7): if our ZLB acking it is lost, the
    // peer retransmits it, so we stay able to ack for a full retransmission cycle — in the
    // background: `stopped` and close() resolve at once; `closed` comes after.
    peerStopLinger: tunnel.peerStopLinger ?? retransmissionCycle(seq),
  };
  return { fsm, timeout, signal, clock, timers, keepTransport: Boolean(keepTransport), frameBuffer };
}
