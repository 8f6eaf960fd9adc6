/**
 * The async driver of one control connection: binds a {@link TunnelFsm} to a {@link Transport}
 * and one timer. It feeds the FSM what arrives, carries out what the FSM returns, and re-arms a
 * single `setTimeout` from `nextDeadline()` and its own waits' deadlines. It never reads bytes
 * itself: all protocol logic stays in the FSM.
 * @module
 */
import { randomId16, randomId32 } from '../fsm/checks.js';
import { TunnelFsm } from '../fsm/tunnel.js';
import type { CallOptions, PeerInfo, TunnelAction, TunnelEvent, TunnelRole, TunnelState } from '../fsm/types.js';
import type { DataSequenceStats } from '../fsm/data-sequencing.js';
import { L2tpError } from '../wire/errors.js';
import type { AccmValue, CallErrorsValue, Q931CauseValue, ResultCodeValue } from '../wire/value-codecs.js';
import { withResult } from './driver-errors.js';
import { Emitter } from './emitter.js';
import { checkWait, type ResolvedDriverOptions, type WaitOptions } from './options.js';
import { TunnelLink } from './link.js';
import type { Pending, PendingHooks } from './pending.js';
import type { AbortSignalLike } from './platform.js';
import { isV3DataMessage } from './pseudowire-session.js';
import { SessionBook } from './session-book.js';
import type { Session, SessionHost } from './session.js';
import { TunnelTimer } from './timer.js';
import { refusal, type TunnelEvents, type TunnelStop } from './tunnel-types.js';
import type { Transport } from './transport.js';

export type { TunnelEvents, TunnelStop } from './tunnel-types.js';

/** Local Tunnel IDs of this process's live tunnels (see the constructor). */
const LIVE_TUNNEL_IDS = new Set<number>();

/** Lifecycle of the driver, coarser than the FSM's {@link TunnelState}. */
type Phase = 'new' | 'opening' | 'open' | 'closing' | 'released';


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

  private readonly fsm: TunnelFsm;
  private readonly events = new Emitter<TunnelEvents>();
  private readonly book: SessionBook;
  private readonly timer: TunnelTimer;
  private readonly link: TunnelLink;
  private phase: Phase = 'new';
  private peerV: PeerInfo | undefined;
  private rttV = NaN;
  private startedAt = NaN;
  private now = 0;
  private queue: TunnelAction[] = [];
  private draining = false;
  private stopV: TunnelStop | undefined;
  /** Why we are tearing down on our own initiative (timeout, abort, transport), if we are. */
  private reason: L2tpError | undefined;
  private releasing: Promise<void> | undefined;
  private resolveClosed!: (s: TunnelStop) => void;

  /** @internal Use `openTunnel()`. */
  constructor(
    /** The transport this tunnel runs on (owned by the tunnel unless `keepTransport`). */
    readonly transport: Transport,
    private readonly o: ResolvedDriverOptions,
  ) {
    // Our Tunnel IDs are unique among this process's live tunnels: peers such as xl2tpd tell
    // tunnels apart by (address, Tunnel ID) alone, so two of ours sharing an ID get mixed up.
    const id = o.fsm.localTunnelId ?? (o.fsm.version === 3 ? randomId32 : randomId16)(o.fsm.random, (x) => LIVE_TUNNEL_IDS.has(x));
    this.fsm = new TunnelFsm({ ...o.fsm, localTunnelId: id });
    this.localTunnelId = id;
    LIVE_TUNNEL_IDS.add(id);
    this.frameBuffer = o.frameBuffer;
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.book = new SessionBook(this, (s) => this.events.emit('session', s));
    this.timer = new TunnelTimer(o.clock, o.timers, (now) => this.onTimer(now));
    this.link = new TunnelLink(transport, {
      message: (m) => this.onTransportMessage(m),
      sendFailed: (e) => this.onSendFailed(e),
      error: (e) => this.onTransportError(e),
      closed: (e) => this.onTransportClose(e),
    });
  }

  // ------------------------------------------------------------------------------------------
  // Public state

  /** What the peer told us in its SCCRP/SCCRQ (host name, vendor, window…), once established. */
  get peer(): PeerInfo {
    if (this.peerV === undefined) throw new TypeError('tunnel.peer: the tunnel is not established yet');
    return this.peerV;
  }

  /** Milliseconds from our SCCRQ to the peer's SCCRP (NaN for a tunnel the peer opened). */
  get rtt(): number {
    return this.rttV;
  }

  /** The peer's Tunnel ID (its Assigned Tunnel ID; 0 until known). */
  get peerTunnelId(): number {
    return this.fsm.peerTunnelId;
  }

  /**
   * The control connection's state (RFC 2661 §7.2.1 names, plus `closing` and `closed`), or
   * `lingering`: the peer's StopCCN was acked and the tunnel is down for the user (`stopped` has
   * fired, close() resolves at once), but it still acks the peer's retransmitted StopCCN for a
   * full retransmission cycle (§5.7), in case our ack was lost; then `closed`.
   */
  get state(): TunnelState | 'lingering' {
    // Once released (e.g. close() gave up waiting for the StopCCN's ack) nothing runs any more,
    // whatever the state machine was left in.
    if (this.phase === 'released') return 'closed';
    return this.fsm.lingering && this.stopV?.by === 'peer' ? 'lingering' : this.fsm.state;
  }

  /** `initiator` for `openTunnel()`. */
  get role(): TunnelRole | undefined {
    return this.fsm.role;
  }

  /** How the tunnel ended, once it has. */
  get stop(): TunnelStop | undefined {
    return this.stopV;
  }

  /** The sessions that are up. */
  get liveSessions(): Session[] {
    return [...this.book.live.values()];
  }

  // ------------------------------------------------------------------------------------------
  // Events

  /** Listen to `'session'`, `'stopped'`, `'error'` or `'closed'`. Returns a function that unsubscribes. */
  on<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Like {@link on}, for the next event only. */
  once<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): () => void {
    return this.events.once(event, listener);
  }

  /** Remove a listener. */
  off<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): void {
    this.events.off(event, listener);
  }

  // ------------------------------------------------------------------------------------------
  // Operations

  /**
   * @internal Become the initiator (SCCRQ → SCCRP → SCCCN, RFC 2661 §7.2.1) and resolve once
   * established; on failure reject only after everything is released.
   */
  start(): Promise<void> {
    if (this.phase !== 'new') return Promise.reject(new TypeError('start: the tunnel was already started'));
    const { timeout, signal } = this.o;
    const p = this.pending<void>('open tunnel', timeout, signal, {
      giveUp: (_p, error) => this.teardown(error),
      // A refusal (ours of the peer's SCCRP, or the peer's StopCCN) says more than the timeout
      // that may have run out while our StopCCN waited for its ack.
      released: (w) => w.reject(refusal(this.stopV) ?? w.failure ?? refusal(this.stopV, true) ?? new L2tpError('ABORTED', 'the tunnel was closed first')),
    });
    if (p.failure !== undefined) return p.promise; // the signal had already aborted
    this.phase = 'opening';
    this.startedAt = this.o.clock();
    this.openWait = p;
    this.dispatch({ type: 'open' });
    return p.promise;
  }
  private openWait: Pending<void> | undefined;

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
    let id: number;
    let p: Pending<Session>;
    try {
      const { timeout, signal } = checkWait(options, this.o.timeout, 'openSession');
      if (this.phase !== 'open') throw new TypeError(`openSession: the tunnel is ${this.stopV ? 'closed' : this.fsm.state}; open sessions on an established tunnel`);
      if (signal?.aborted) return Promise.reject(new L2tpError('ABORTED', 'open session aborted', undefined, { cause: signal.reason }));
      const acts = this.handle({ type: 'openSession', call });
      id = (acts.find((a) => a.type === 'session-opening') as Extract<TunnelAction, { type: 'session-opening' }>).sessionId;
      p = this.pending<Session>(`open session ${id}`, timeout, signal, {
        giveUp: (_p, error) => {
          // Hang up the half-open call (RFC 2661 §6.12): the session-down that follows rejects.
          if (this.fsm.sessionState(id) !== undefined && this.phase === 'open') this.dispatch({ type: 'closeSession', sessionId: id, result: { result: 3 } });
          else _p.reject(error);
        },
      });
      this.book.opening.set(id, p);
    } catch (e) {
      return Promise.reject(e);
    }
    this.drain();
    this.arm();
    return p.promise;
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
      if (this.phase !== 'open') throw new TypeError(`hello: the tunnel is ${this.stopV ? 'closed' : this.fsm.state}; wait until it is established`);
      this.dispatch({ type: 'hello' });
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
    let timeout: number;
    let signal: AbortSignalLike | undefined;
    try {
      ({ timeout, signal } = checkWait(options, this.o.timeout, 'close'));
      if (result !== undefined && typeof result !== 'number' && (result === null || typeof result !== 'object')) {
        throw new TypeError('close(result): result must be a StopCCN Result Code number or { result, error?, message? }');
      }
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.releasing !== undefined || this.phase === 'released') return this.releasing ?? Promise.resolve();
    // The peer stopped the tunnel and we acked: it is over for the user; the linger that re-acks
    // a retransmitted StopCCN (§5.7) runs on in the background and ends by itself.
    if (this.state === 'lingering') return Promise.resolve();
    const p = this.pending<void>('close', timeout, signal, {
      giveUp: () => this.abandon(undefined),
      released: (q) => q.resolve(),
    });
    if (this.phase !== 'closing') {
      this.phase = 'closing';
      this.dispatch({ type: 'close', result: typeof result === 'number' ? { result } : result });
      if (this.fsm.state === 'closed') this.release();
    }
    return p.promise;
  }

  // ------------------------------------------------------------------------------------------
  // SessionHost (called by Session)

  /** @internal */
  sendFrame(sessionId: number, frame: Uint8Array): Promise<void> {
    if (this.phase === 'released' || this.stopV !== undefined) return Promise.reject(this.stopV?.error ?? new L2tpError('ABORTED', 'the tunnel is closed'));
    let acts: TunnelAction[];
    try {
      acts = this.fsm.handle({ type: 'sendFrame', sessionId, frame }, this.o.clock());
    } catch (e) {
      return Promise.reject(e);
    }
    let sent: Promise<void> = Promise.resolve();
    for (const a of acts) {
      if (a.type === 'send') sent = this.transportSend(a.bytes);
      else this.queue.push(a);
    }
    this.drain();
    return sent;
  }

  /** @internal v3: a data message a session's pseudowire built. */
  sendData(bytes: Uint8Array): Promise<void> {
    if (this.phase === 'released' || this.stopV !== undefined) return Promise.reject(this.stopV?.error ?? new L2tpError('ABORTED', 'the tunnel is closed'));
    return this.transportSend(bytes);
  }

  /** @internal */
  closeSession(sessionId: number, result: ResultCodeValue | undefined, cause: Q931CauseValue | undefined): void {
    if (this.phase === 'released' || this.fsm.sessionState(sessionId) === undefined) return;
    this.dispatch(result === undefined && cause === undefined ? { type: 'closeSession', sessionId } : { type: 'closeSession', sessionId, result: result ?? { result: 3 }, ...(cause ? { cause } : {}) });
  }

  /** @internal */
  sendWen(sessionId: number, callErrors: CallErrorsValue): void {
    this.dispatch({ type: 'sendWen', sessionId, callErrors });
  }

  /** @internal */
  sendSli(sessionId: number, accm: AccmValue): void {
    this.dispatch({ type: 'sendSli', sessionId, accm });
  }

  /** @internal */
  dataStats(sessionId: number): DataSequenceStats | undefined {
    return this.fsm.dataStats(sessionId);
  }

  // ------------------------------------------------------------------------------------------
  // The loop: events in, actions out

  /** Feed the FSM and queue its actions (not yet carried out). Misuse throws, changing nothing. */
  private handle(event: TunnelEvent): TunnelAction[] {
    const now = this.o.clock();
    const acts = this.fsm.handle(event, now);
    this.now = now;
    for (const a of acts) this.queue.push(a);
    return acts;
  }

  private dispatch(event: TunnelEvent): void {
    this.handle(event);
    this.drain();
    this.arm();
  }

  /**
   * Carry out queued actions in order. Re-entrant calls (a listener that sends or closes) queue
   * behind the actions still pending, so events keep the FSM's order.
   */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      let a: TunnelAction | undefined;
      while ((a = this.queue.shift()) !== undefined) this.carry(a);
    } finally {
      this.draining = false;
    }
  }

  private carry(a: TunnelAction): void {
    switch (a.type) {
      case 'send':
        void this.transportSend(a.bytes, true);
        return;
      case 'established':
        this.peerV = a.peer;
        if (a.peer.role === 'initiator') this.rttV = this.now - this.startedAt;
        if (this.phase === 'opening') this.phase = 'open';
        this.openWait?.resolve();
        this.openWait = undefined;
        return;
      case 'session-opening':
        return; // correlated in openSession()
      case 'session-up':
        return this.book.up(a);
      case 'session-down':
        return this.book.down(a);
      case 'wen':
        return this.book.wen(a);
      case 'sli':
        return this.book.sli(a);
      case 'frame':
        return this.book.frame(a);
      case 'stopped': {
        const error = a.error !== undefined ? withResult(a.error, a.result) : this.reason;
        const opening = this.phase === 'opening';
        this.stopped({ by: a.by, ...(a.result ? { result: a.result } : {}), ...(error ? { error } : {}) });
        // A refusal while opening ends it now: openTunnel() settles with the peer's reason
        // instead of after the linger (nothing was set up that a lost ack could strand).
        if (opening && a.by === 'peer') void this.release();
        return;
      }
      case 'closed':
        this.release();
        return;
      case 'error':
        this.events.emit('error', a.error);
        return;
    }
  }

  private stopped(stop: TunnelStop): void {
    if (this.stopV !== undefined) return;
    this.stopV = stop;
    if (this.phase !== 'released') this.phase = 'closing';
    this.events.emit('stopped', stop);
  }

  // ------------------------------------------------------------------------------------------
  // Timer: one per tunnel

  private pending<T>(what: string, timeout: number, signal: AbortSignalLike | undefined, hooks: PendingHooks<T>): Pending<T> {
    return this.timer.pending(what, timeout, signal, hooks, () => this.fsm.nextDeadline());
  }

  /** Re-arm the one timer at the earliest of the FSM's deadline and the waits' deadlines. */
  private arm(): void {
    if (this.phase === 'released') return;
    // A lingering tunnel's timer does not keep a process alive on its own (it only re-acks).
    this.timer.arm(this.fsm.nextDeadline(), this.state === 'lingering');
  }

  private onTimer(now: number): void {
    if (this.phase === 'released') return;
    const d = this.fsm.nextDeadline();
    if (d !== undefined && d <= now) this.dispatch({ type: 'tick' });
    this.timer.expireDue(now);
    this.arm();
  }

  // ------------------------------------------------------------------------------------------
  // Transport

  private transportSend(bytes: Uint8Array, control = false): Promise<void> {
    if (this.phase === 'released') return Promise.reject(new L2tpError('TRANSPORT', 'the tunnel is closed'));
    return this.link.send(bytes, control);
  }

  private onSendFailed(error: L2tpError): void {
    if (this.phase === 'released' || this.releasing !== undefined) return;
    // Before the tunnel is up nothing can come of it; after, a closed transport ends it, while a
    // datagram socket that reported a transient error stays usable and retransmission goes on.
    if (this.phase === 'opening' || this.transport.closed) this.teardown(error);
    else this.events.emit('error', error);
  }

  private onTransportMessage(m: Uint8Array): void {
    if (this.phase === 'released' || this.phase === 'new') return;
    try {
      this.tap?.(m);
    } catch (e) {
      void Promise.reject(e);
    }
    if (this.fsm.version === 3 && isV3DataMessage(m)) return this.book.data(m);
    this.dispatch({ type: 'received', bytes: m });
  }

  private onTransportError(error: L2tpError): void {
    if (this.phase === 'released') return;
    // While opening, an error (ICMP port unreachable on connected UDP: nothing listens there) is
    // the answer. Afterwards a datagram socket stays open: report and let retransmission decide.
    if (this.phase === 'opening' || this.transport.closed) this.teardown(error);
    else this.events.emit('error', error);
  }

  private onTransportClose(error: L2tpError): void {
    if (this.phase === 'released' || this.releasing !== undefined) return;
    this.abandon(error);
  }

  // ------------------------------------------------------------------------------------------
  // Ending

  /**
   * End the tunnel on our own initiative for `error` (timeout, abort, transport failure): a
   * StopCCN when the peer knows us and the transport works, else straight to release.
   */
  private teardown(error: L2tpError): void {
    if (this.releasing !== undefined) return;
    this.reason ??= error;
    if (this.transport.closed) return this.abandon(error);
    // Our StopCCN is already out (we refused the peer): do not wait out its whole
    // retransmission cycle for an ack the peer may never send.
    if (this.fsm.state === 'closing') return this.abandon(error);
    if (this.fsm.state !== 'closed') this.dispatch({ type: 'close', result: { result: 2, error: 0, message: error.message.slice(0, 200) } });
    if (this.fsm.state === 'closed') this.release();
  }

  /** Give up without the FSM (no I/O possible, or a close that took too long): release now. */
  private abandon(error: L2tpError | undefined): void {
    if (this.releasing !== undefined) return;
    if (error !== undefined) this.reason ??= error;
    const stopErr = this.stopV?.error ?? this.reason;
    this.book.allDown({ by: 'local', ...(stopErr ? { error: stopErr } : {}) });
    this.stopped({ by: 'local', ...(this.reason ? { error: this.reason } : {}) });
    this.release();
  }

  /** Clear the timer, settle every wait, close the transport; then `closed`. Idempotent. */
  private release(): Promise<void> {
    this.releasing ??= this.doRelease();
    return this.releasing;
  }

  private async doRelease(): Promise<void> {
    this.timer.clear();
    LIVE_TUNNEL_IDS.delete(this.localTunnelId);
    this.stopped({ by: 'local', ...(this.reason ? { error: this.reason } : {}) });
    const stop = this.stopV!;
    this.phase = 'released';
    await this.link.release(this.o.keepTransport);
    this.book.allDown({ by: stop.by, ...(stop.error ? { error: stop.error } : {}) });
    const fallback = () => stop.error ?? new L2tpError('ABORTED', 'the tunnel was closed first');
    for (const w of [...this.timer.waits]) w.release(fallback);
    this.book.releaseOpening(fallback);
    this.openWait = undefined;
    this.resolveClosed(stop);
    this.events.emit('closed', stop);
    this.events.clear();
  }
}

