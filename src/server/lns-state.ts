/**
 * The embedded LNS's shared state and its one timer: the tunnel table, counters, events, the
 * sockets (fronts) and the deadlines of tunnels' FSMs and idle TCP connections. The layers above
 * (FSM driving, SCCRQ admission, routing, the public API) extend it.
 * @internal
 * @module
 */
import type { TunnelEvent, TunnelFsm } from '../fsm/index.js';
import { AsyncQueue } from './async-queue.js';
import { LnsConformance } from './lns-conformance.js';
import { LnsEmitter } from './lns-events.js';
import { LnsFronts } from './lns-front.js';
import { IdleConnections, LnsReporter } from './lns-guard.js';
import { TunnelEntry, type TcpConn, type Via } from './lns-handles.js';
import type { Resolved } from './lns-options.js';
import { zeroCounters } from './lns-stats.js';
import { TunnelTable } from './lns-table.js';
import { LnsTimer } from './lns-timer.js';
import { LnsPseudowires } from './lns-pseudowire.js';
import type { LnsSession } from './lns-types.js';

/** The LNS's state, timer and sockets; what arrives goes to the subclasses' handlers. @internal */
export abstract class LnsState {
  protected readonly table = new TunnelTable();
  /** Tunnels' FSM deadlines and idle TCP connections' closing times: one timer for both. */
  protected readonly timer = new LnsTimer<TunnelEntry | TcpConn>(
    // Whole milliseconds: small integers are stored unboxed, a fraction costs a 16-byte heap
    // number in every field that holds a time (issue 16: memory per tunnel).
    () => Math.floor(performance.now()),
    (due) => {
      const now = this.timer.now();
      for (const o of due) {
        if (o instanceof TunnelEntry) {
          // Only the tunnels whose deadline fired: an ack that never came is judged by then, and
          // the observer's memory of a message freed once its retransmission cycle is over.
          this.conformance.tick(o, now);
          const fsmAt = o.fsm.nextDeadline();
          if (fsmAt !== undefined && fsmAt <= now) this.feed(o, { type: 'tick' }, now);
          else this.arm(o);
        } else this.idle.over(o);
      }
    },
  );
  protected readonly c = zeroCounters();
  protected readonly events = new LnsEmitter();
  protected readonly report = new LnsReporter(this.c, this.events);
  protected readonly conformance: LnsConformance;
  /** TCP connections carrying no tunnel, each with an idle deadline. */
  protected readonly idle: IdleConnections;
  protected readonly fronts: LnsFronts;
  protected readonly sessionQueues = new Set<AsyncQueue<LnsSession>>();
  protected closing: Promise<void> | undefined;
  /** Woken when a StopCCN sent by `close()` is acked or its tunnel goes. */
  protected ackWaiter: (() => void) | undefined;
  protected readonly queueFrames: boolean;
  protected readonly pseudowires = new LnsPseudowires();

  constructor(
    protected readonly r: Resolved,
    protected readonly fsmOptions: Omit<ConstructorParameters<typeof TunnelFsm>[0], 'localTunnelId'>,
    fronts: (h: ConstructorParameters<typeof LnsFronts>[2]) => LnsFronts,
  ) {
    this.queueFrames = r.o.onFrame === undefined && r.o.echo !== true;
    this.conformance = new LnsConformance(r.o.conformance ?? 'report', r.o.secret, this.c, this.events);
    this.idle = new IdleConnections(this.timer, r.idleTimeout, this.report);
    this.fronts = fronts({
      message: (m, via) => this.onMessage(m, via),
      accepted: () => this.closing === undefined,
      connectionClosed: (conn) => this.onConnectionClosed(conn),
      sendError: () => this.c.sendErrors++,
      limit: (reason, remote) => this.report.connection(reason, remote),
    });
  }

  /** Set the tunnel's one deadline: its FSM's or its conformance observer's, whichever is first. */
  protected arm(t: TunnelEntry): void {
    if (!t.alive) return;
    const fsmAt = t.fsm.nextDeadline();
    const obsAt = t.conformance?.nextDeadline();
    this.timer.set(t, obsAt === undefined || (fsmAt !== undefined && fsmAt <= obsAt) ? fsmAt : obsAt);
  }

  /** Feed one event to a tunnel's FSM and carry out what it says. */
  abstract feed(t: TunnelEntry, event: TunnelEvent, now?: number): void;
  /** A datagram (or TCP-framed message) from a peer. */
  protected abstract onMessage(bytes: Uint8Array, via: Via): void;
  /** A TCP connection went away. */
  protected abstract onConnectionClosed(conn: TcpConn): void;
}
