/**
 * The loop of one driven control connection: a {@link TunnelFsm}, its transport link and its one
 * timer. Events go in (`handle`/`dispatch`), the FSM's actions come out and are carried out in
 * order (`drain`/`carry`), reaching the session book, the transport and the user's listeners; the
 * timer is re-armed from `nextDeadline()` and the waits' deadlines. The {@link Tunnel} facade and
 * the tunnel-* modules (opening, data, closing) work on this state.
 * @internal
 * @module
 */
import { randomId16, randomId32 } from '../fsm/checks.js';
import { TunnelFsm } from '../fsm/tunnel.js';
import type { PeerInfo, TunnelAction, TunnelEvent, TunnelState } from '../fsm/types.js';
import type { L2tpError } from '../wire/errors.js';
import { withResult } from './driver-errors.js';
import { Emitter } from './emitter.js';
import type { ResolvedDriverOptions } from './options.js';
import { TunnelLink } from './link.js';
import type { Pending, PendingHooks } from './pending.js';
import type { AbortSignalLike } from './platform.js';
import { SessionBook } from './session-book.js';
import { TunnelTimer } from './timer.js';
import { LIVE_TUNNEL_IDS, abandon, release, teardown } from './tunnel-close.js';
import { onTransportMessage, transportSend } from './tunnel-data.js';
import type { TunnelEvents, TunnelStop } from './tunnel-types.js';
import type { Transport } from './transport.js';
import type { Tunnel } from './tunnel.js';

/** Lifecycle of the driver, coarser than the FSM's {@link TunnelState}. */
export type Phase = 'new' | 'opening' | 'open' | 'closing' | 'released';

/** One tunnel's driver state and its events-in, actions-out loop. @internal */
export class TunnelLoop {
  /** Our Tunnel ID (RFC 2661 §3.1): the peer writes it in every header it sends us. */
  readonly localTunnelId: number;
  /** Resolves (never rejects) once the tunnel has ended and released everything. */
  readonly closed: Promise<TunnelStop>;
  readonly fsm: TunnelFsm;
  readonly events = new Emitter<TunnelEvents>();
  readonly book: SessionBook;
  readonly timer: TunnelTimer;
  readonly link: TunnelLink;
  phase: Phase = 'new';
  peerV: PeerInfo | undefined;
  rttV = NaN;
  startedAt = NaN;
  now = 0;
  queue: TunnelAction[] = [];
  draining = false;
  stopV: TunnelStop | undefined;
  /** Why we are tearing down on our own initiative (timeout, abort, transport), if we are. */
  reason: L2tpError | undefined;
  releasing: Promise<void> | undefined;
  resolveClosed!: (s: TunnelStop) => void;
  /** The wait of `start()`, settled by `established` or the release. */
  openWait: Pending<void> | undefined;

  constructor(
    /** The facade: the sessions' host, and its `tap`. */
    readonly tunnel: Tunnel,
    readonly transport: Transport,
    readonly o: ResolvedDriverOptions,
  ) {
    // Our Tunnel IDs are unique among this process's live tunnels: peers such as xl2tpd tell
    // tunnels apart by (address, Tunnel ID) alone, so two of ours sharing an ID get mixed up.
    const id = o.fsm.localTunnelId ?? (o.fsm.version === 3 ? randomId32 : randomId16)(o.fsm.random, (x) => LIVE_TUNNEL_IDS.has(x));
    this.fsm = new TunnelFsm({ ...o.fsm, localTunnelId: id });
    this.localTunnelId = id;
    LIVE_TUNNEL_IDS.add(id);
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.book = new SessionBook(tunnel, (s) => this.events.emit('session', s));
    this.timer = new TunnelTimer(o.clock, o.timers, (now) => this.onTimer(now));
    this.link = new TunnelLink(transport, {
      message: (m) => onTransportMessage(this, m),
      sendFailed: (e) => this.onSendFailed(e),
      error: (e) => this.onTransportError(e),
      closed: (e) => this.onTransportClose(e),
    });
  }

  /** The FSM's state, or `lingering` after the peer's StopCCN was acked (RFC 2661 §5.7); see `Tunnel.state`. */
  get state(): TunnelState | 'lingering' {
    // Once released (e.g. close() gave up waiting for the StopCCN's ack) nothing runs any more,
    // whatever the state machine was left in.
    if (this.phase === 'released') return 'closed';
    return this.fsm.lingering && this.stopV?.by === 'peer' ? 'lingering' : this.fsm.state;
  }

  // ------------------------------------------------------------------------------------------
  // The loop: events in, actions out

  /** Feed the FSM and queue its actions (not yet carried out). Misuse throws, changing nothing. */
  handle(event: TunnelEvent): TunnelAction[] {
    const now = this.o.clock();
    const acts = this.fsm.handle(event, now);
    this.now = now;
    for (const a of acts) this.queue.push(a);
    return acts;
  }

  dispatch(event: TunnelEvent): void {
    this.handle(event);
    this.drain();
    this.arm();
  }

  /**
   * Carry out queued actions in order. Re-entrant calls (a listener that sends or closes) queue
   * behind the actions still pending, so events keep the FSM's order.
   */
  drain(): void {
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
        void transportSend(this, a.bytes, true);
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
        if (opening && a.by === 'peer') void release(this);
        return;
      }
      case 'closed':
        release(this);
        return;
      case 'error':
        this.events.emit('error', a.error);
        return;
    }
  }

  stopped(stop: TunnelStop): void {
    if (this.stopV !== undefined) return;
    this.stopV = stop;
    if (this.phase !== 'released') this.phase = 'closing';
    this.events.emit('stopped', stop);
  }

  // ------------------------------------------------------------------------------------------
  // Timer: one per tunnel

  pending<T>(what: string, timeout: number, signal: AbortSignalLike | undefined, hooks: PendingHooks<T>): Pending<T> {
    return this.timer.pending(what, timeout, signal, hooks, () => this.fsm.nextDeadline());
  }

  /** Re-arm the one timer at the earliest of the FSM's deadline and the waits' deadlines. */
  arm(): void {
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
  // Transport failures

  private onSendFailed(error: L2tpError): void {
    if (this.phase === 'released' || this.releasing !== undefined) return;
    // Before the tunnel is up nothing can come of it; after, a closed transport ends it, while a
    // datagram socket that reported a transient error stays usable and retransmission goes on.
    if (this.phase === 'opening' || this.transport.closed) teardown(this, error);
    else this.events.emit('error', error);
  }

  private onTransportError(error: L2tpError): void {
    if (this.phase === 'released') return;
    // While opening, an error (ICMP port unreachable on connected UDP: nothing listens there) is
    // the answer. Afterwards a datagram socket stays open: report and let retransmission decide.
    if (this.phase === 'opening' || this.transport.closed) teardown(this, error);
    else this.events.emit('error', error);
  }

  private onTransportClose(error: L2tpError): void {
    if (this.phase === 'released' || this.releasing !== undefined) return;
    abandon(this, error);
  }
}
