/**
 * The async driver of one control connection: binds a {@link TunnelFsm} to a {@link Transport}
 * and one timer. It feeds the FSM what arrives, carries out what the FSM returns, and re-arms a
 * single `setTimeout` from `nextDeadline()` and its own waits' deadlines. It never reads bytes
 * itself: all protocol logic stays in the FSM.
 * @module
 */
import type { CallOptions, PeerInfo, TunnelRole, TunnelState } from '../fsm/types.js';
import type { DataSequenceStats } from '../fsm/data-sequencing.js';
import type { AccmValue, CallErrorsValue, Q931CauseValue, ResultCodeValue } from '../wire/value-codecs.js';
import type { ResolvedDriverOptions, WaitOptions } from './options.js';
import type { Session, SessionHost } from './session.js';
import { closeTunnel } from './tunnel-close.js';
import { sendData, sendFrame } from './tunnel-data.js';
import { TunnelLoop } from './tunnel-loop.js';
import { openSession, startTunnel } from './tunnel-open.js';
import type { TunnelEvents, TunnelStop } from './tunnel-types.js';
import type { Transport } from './transport.js';

export type { TunnelEvents, TunnelStop } from './tunnel-types.js';

/**
 * One driven L2TP control connection (RFC 2661 §7.2) and its sessions. Made by `openTunnel()`
 * (and used inside `probe()` and `establishSession()`).
 *
 * Ownership: the tunnel owns its transport and one timer; when it ends, however it ends, the
 * timer is cleared and the transport closed (unless `keepTransport`), and only then do `closed`
 * and the `'closed'` event resolve/fire — and only then does a failed `openTunnel()` reject.
 * @example
 * ```ts
 * const tunnel = await openTunnel(transport, { hostName: 'lac' });
 * tunnel.on('stopped', (stop) => console.log('tunnel down', stop.by, stop.result));
 * await tunnel.close({ result: StopCcnResult.GeneralRequest });
 * ```
 */
export class Tunnel implements SessionHost {
  /** Our Tunnel ID (RFC 2661 §3.1): the peer writes it in every header it sends us. */
  readonly localTunnelId: number;
  /** Resolves (never rejects) once the tunnel has ended and released everything. */
  readonly closed: Promise<TunnelStop>;
  /** @internal Sees every received message before the FSM does (`probe()` reads the SCCRP). */
  tap: ((message: Uint8Array) => void) | undefined;
  /** @internal */
  readonly frameBuffer: number;

  /** The driver's state and loop (tunnel-loop); opening, data and closing work on it. */
  private readonly loop: TunnelLoop;

  /** @internal Use `openTunnel()`. */
  constructor(
    /** The transport this tunnel runs on (owned by the tunnel unless `keepTransport`). */
    readonly transport: Transport,
    o: ResolvedDriverOptions,
  ) {
    this.loop = new TunnelLoop(this, transport, o);
    this.localTunnelId = this.loop.localTunnelId;
    this.frameBuffer = o.frameBuffer;
    this.closed = this.loop.closed;
  }

  // ------------------------------------------------------------------------------------------
  // Public state

  /** What the peer told us in its SCCRP/SCCRQ (host name, vendor, window…), once established. */
  get peer(): PeerInfo {
    if (this.loop.peerV === undefined) throw new TypeError('tunnel.peer: the tunnel is not established yet');
    return this.loop.peerV;
  }

  /** Milliseconds from our SCCRQ to the peer's SCCRP (NaN for a tunnel the peer opened). */
  get rtt(): number {
    return this.loop.rttV;
  }

  /** The peer's Tunnel ID (its Assigned Tunnel ID; 0 until known). */
  get peerTunnelId(): number {
    return this.loop.fsm.peerTunnelId;
  }

  /**
   * The control connection's state (RFC 2661 §7.2.1 names, plus `closing` and `closed`), or
   * `lingering`: the peer's StopCCN was acked and the tunnel is down for the user (`stopped` has
   * fired, close() resolves at once), but it still acks the peer's retransmitted StopCCN for a
   * full retransmission cycle (§5.7), in case our ack was lost; then `closed`.
   */
  get state(): TunnelState | 'lingering' {
    return this.loop.state;
  }

  /** `initiator` for `openTunnel()`. */
  get role(): TunnelRole | undefined {
    return this.loop.fsm.role;
  }

  /** How the tunnel ended, once it has. */
  get stop(): TunnelStop | undefined {
    return this.loop.stopV;
  }

  /** The sessions that are up. */
  get liveSessions(): Session[] {
    return [...this.loop.book.live.values()];
  }

  // ------------------------------------------------------------------------------------------
  // Events

  /** Listen to `'session'`, `'stopped'`, `'error'` or `'closed'`. Returns a function that unsubscribes. */
  on<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): () => void {
    return this.loop.events.on(event, listener);
  }

  /** Like {@link on}, for the next event only. */
  once<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): () => void {
    return this.loop.events.once(event, listener);
  }

  /** Remove a listener. */
  off<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): void {
    this.loop.events.off(event, listener);
  }

  // ------------------------------------------------------------------------------------------
  // Operations

  /**
   * @internal Become the initiator (SCCRQ → SCCRP → SCCCN, RFC 2661 §7.2.1) and resolve once
   * established; on failure reject only after everything is released.
   */
  start(): Promise<void> {
    return startTunnel(this.loop);
  }

  /**
   * Place a call and resolve with the session once it is up. Default: an incoming call (we act
   * as LAC: ICRQ → ICRP → ICCN, RFC 2661 §7.4); `{ kind: 'outgoing', calledNumber }` places an
   * outgoing call (OCRQ → OCRP → OCCN, §7.5).
   *
   * Rejects with `L2tpError`: `PEER_STOPPED` (the peer's CDN; `error.result` holds its Result
   * Code), `TIMEOUT` (default 10 s; a CDN is sent), `ABORTED` (a CDN is sent), or why the tunnel
   * ended. `TypeError`/`RangeError` for misuse (tunnel not established, bad call options).
   */
  openSession(call: CallOptions = { kind: 'incoming' }, options?: WaitOptions): Promise<Session> {
    return openSession(this.loop, call, options);
  }

  /**
   * Send a HELLO now (RFC 2661 §6.5), e.g. to check the peer is alive; the FSM also sends one
   * after `helloInterval` of silence. Resolves once the HELLO is queued for reliable delivery:
   * the Sequencer retransmits it, and if it is never acknowledged the tunnel stops with
   * `TIMEOUT` (a `'stopped'` event).
   * Rejects with `TypeError` unless the tunnel is established.
   */
  hello(): Promise<void> {
    try {
      if (this.loop.phase !== 'open') throw new TypeError(`hello: the tunnel is ${this.loop.stopV ? 'closed' : this.loop.fsm.state}; wait until it is established`);
      this.loop.dispatch({ type: 'hello' });
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Tear the tunnel down with a StopCCN (RFC 2661 §5.7; default result 1, "general request") and
   * resolve once it is acknowledged and everything is released — or, when the peer does not
   * acknowledge, once `timeout` (default: the tunnel's, 10 s) passes or `signal` aborts, then
   * releasing anyway. Never rejects for a network reason; closing twice is harmless.
   */
  close(result?: ResultCodeValue | number, options?: WaitOptions): Promise<void> {
    return closeTunnel(this.loop, result, options);
  }

  // ------------------------------------------------------------------------------------------
  // SessionHost (called by Session)

  /** @internal */
  sendFrame(sessionId: number, frame: Uint8Array): Promise<void> {
    return sendFrame(this.loop, sessionId, frame);
  }

  /** @internal v3: a data message a session's pseudowire built. */
  sendData(bytes: Uint8Array): Promise<void> {
    return sendData(this.loop, bytes);
  }

  /** @internal */
  closeSession(sessionId: number, result: ResultCodeValue | undefined, cause: Q931CauseValue | undefined): void {
    if (this.loop.phase === 'released' || this.loop.fsm.sessionState(sessionId) === undefined) return;
    // The state machine picks the default Result Code and refuses anything that is not one (null included).
    this.loop.dispatch({ type: 'closeSession', sessionId, ...(result === undefined ? {} : { result }), ...(cause ? { cause } : {}) });
  }

  /** @internal */
  sendWen(sessionId: number, callErrors: CallErrorsValue): void {
    this.loop.dispatch({ type: 'sendWen', sessionId, callErrors });
  }

  /** @internal */
  sendSli(sessionId: number, accm: AccmValue): void {
    this.loop.dispatch({ type: 'sendSli', sessionId, accm });
  }

  /** @internal */
  dataStats(sessionId: number): DataSequenceStats | undefined {
    return this.loop.fsm.dataStats(sessionId);
  }
}
