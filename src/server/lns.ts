/// <reference types="node" />
/**
 * The embedded LNS: many L2TPv2 tunnels and sessions at once over UDP (and TCP), each one a
 * responder {@link TunnelFsm}, all behind one socket per protocol and one timer.
 *
 * Routing (RFC 2661 §3.1, §7.2): every message after the SCCRQ carries *our* Tunnel ID in its
 * header, so tunnels are keyed by it — a LAC whose NAT mapping changes keeps its tunnel, and we
 * reply to wherever it now sends from. An SCCRQ has Tunnel ID 0; it is keyed by where it came
 * from and the LAC's Assigned Tunnel ID (§4.4.3), which tells apart LACs behind one NAT and
 * maps a retransmitted SCCRQ to the tunnel it already opened.
 *
 * The trade-off of following the peer's address: any datagram carrying a tunnel's ID moves that
 * tunnel's replies, so someone able to guess a 16-bit Tunnel ID (and spoof nothing else) can
 * divert them. L2TPv2 control messages carry no per-message authentication to check first
 * (RFC 2661 §9.2 leaves packet-level security to the layer below, e.g. IPsec, RFC 3193);
 * counted in `stats.rebinds`.
 * @module
 */
import type { Transport } from '../client/transport.js';
import { TunnelFsm, type TunnelAction, type TunnelEvent } from '../fsm/index.js';
import { randomId16 } from '../fsm/checks.js';
import { tcpListener, type TcpListener } from '../transports/node-tcp.js';
import { udpListener, type DatagramPeer, type UdpListener } from '../transports/node-udp.js';
import { parseControl, type ControlMessage } from '../wire/control.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import { StopCcnResult } from '../wire/result-codes.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import { AsyncQueue } from './async-queue.js';
import { DeadlineQueue } from './deadline-queue.js';
import { peekHeader, sccrqKey, serialAtOrAfter } from './demux.js';
import { SessionEntry, TunnelEntry, sameVia, viaKey, type LnsCore, type TcpConn, type Via } from './lns-handles.js';
import { resolveLnsOptions, type Resolved } from './lns-options.js';
import type { DownReason, Lns, LnsAddress, LnsEvents, LnsOptions, LnsSession, LnsStats, LnsTunnel } from './lns-types.js';

/** Sessions a `sessions()` iterator holds before dropping the oldest. */
const SESSION_QUEUE = 1024;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Rethrow a user callback's exception outside the LNS, as an `EventEmitter` would surface it. */
function report(e: unknown): void {
  void Promise.reject(e);
}

/**
 * Start an embedded LNS (RFC 2661 responder) on UDP, and TCP when asked.
 *
 * Resolves once every socket is bound. Rejects with `L2tpError('TRANSPORT')` when a bind fails
 * (nothing is left open), `ABORTED` when `signal` fires first, `TypeError`/`RangeError` for bad
 * options. Nothing a peer sends can throw out of it: malformed messages, unknown Tunnel IDs and
 * SCCRQs over the limits are dropped and counted in {@link Lns.stats}.
 *
 * @example
 * ```ts
 * const lns = await createLns({ hostName: 'lns.example', port: 0, echo: true });
 * lns.on('session-up', (s) => console.log('call', s.id, 'on tunnel', s.tunnel.id));
 * console.log('listening on', lns.address());
 * // …
 * await lns.close();
 * ```
 */
export async function createLns(options: LnsOptions): Promise<Lns> {
  const r = resolveLnsOptions(options);
  const random = r.o.random ?? ((n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n)));
  // Check the per-tunnel options once, now, so misuse surfaces here and not at the first SCCRQ.
  const fsmOptions = {
    hostName: r.o.hostName,
    random,
    secret: r.o.secret,
    hideAvps: r.o.hideAvps,
    vendorName: r.o.vendorName ?? 'l2tp-wire',
    firmwareRevision: r.o.firmwareRevision,
    helloInterval: r.o.helloInterval,
    maxSessions: r.o.limits?.maxSessionsPerTunnel,
    sequencer: r.o.sequencer,
  };
  new TunnelFsm({ ...fsmOptions, localTunnelId: 1 });
  const udp = await udpListener({ host: r.host, port: r.port, signal: r.o.signal });
  let tcp: TcpListener | undefined;
  if (r.tcpPort !== undefined) {
    try {
      // Each tunnel needs at most one connection: more would only be idle sockets held open.
      tcp = await tcpListener({ host: r.host, port: r.tcpPort, maxConnections: r.maxTunnels, signal: r.o.signal });
    } catch (e) {
      await udp.close();
      throw e;
    }
  }
  return new EmbeddedLns(r, fsmOptions, udp, tcp);
}

type Counters = { -readonly [K in Exclude<keyof LnsStats, 'tunnels' | 'halfOpen' | 'established' | 'lingering' | 'sessions' | 'deadlines' | 'timers'>]: number };

/** The LNS proper. @internal */
class EmbeddedLns implements Lns, LnsCore {
  private readonly tunnelsById = new Map<number, TunnelEntry>();
  /** Tunnels by where their SCCRQ came from and the LAC's Assigned Tunnel ID (see `sccrqKey`). */
  private readonly bySccrq = new Map<string, TunnelEntry>();
  private readonly deadlines = new DeadlineQueue<TunnelEntry>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private halfOpenCount = 0;
  private establishedCount = 0;
  private sessionCount = 0;
  private nextConn = 1;
  private readonly sessionQueues = new Set<AsyncQueue<LnsSession>>();
  private readonly listeners: { [E in keyof LnsEvents]: Set<(...args: LnsEvents[E]) => void> } = {
    'tunnel-up': new Set(),
    'tunnel-down': new Set(),
    'session-up': new Set(),
    'session-down': new Set(),
  };
  private readonly c: Counters = {
    tunnelsOpened: 0,
    sessionsOpened: 0,
    messagesIn: 0,
    framesIn: 0,
    framesOut: 0,
    sccrqOverHalfOpen: 0,
    sccrqOverTunnels: 0,
    sccrqWhileClosing: 0,
    unknownTunnel: 0,
    malformed: 0,
    protocolErrors: 0,
    rebinds: 0,
    sendErrors: 0,
    framesDropped: 0,
  };
  private closing: Promise<void> | undefined;
  /** Woken when a StopCCN sent by `close()` is acked or its tunnel goes. */
  private ackWaiter: (() => void) | undefined;
  private readonly queueFrames: boolean;

  constructor(
    private readonly r: Resolved,
    private readonly fsmOptions: Omit<ConstructorParameters<typeof TunnelFsm>[0], 'localTunnelId'>,
    private readonly udp: UdpListener,
    private readonly tcp: TcpListener | undefined,
  ) {
    this.queueFrames = r.o.onFrame === undefined && r.o.echo !== true;
    udp.onMessage((m, from) => this.onMessage(m, { kind: 'udp', address: from.address, port: from.port }));
    udp.onError(() => this.c.sendErrors++);
    if (tcp !== undefined) {
      tcp.onConnection((t) => this.onConnection(t));
      tcp.onError(() => {});
    }
  }

  // ------------------------------------------------------------------------------------------
  // Public API

  address(): LnsAddress {
    const a: DatagramPeer = this.udp.address();
    const out: Mutable<LnsAddress> = { address: a.address, port: a.port, family: a.family };
    if (this.tcp !== undefined) out.tcp = this.tcp.address();
    return out;
  }

  get stats(): LnsStats {
    return {
      ...this.c,
      tunnels: this.tunnelsById.size,
      halfOpen: this.halfOpenCount,
      established: this.establishedCount,
      lingering: this.tunnelsById.size - this.halfOpenCount - this.establishedCount,
      sessions: this.sessionCount,
      deadlines: this.deadlines.size,
      timers: this.timer === undefined ? 0 : 1,
    };
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  tunnels(): LnsTunnel[] {
    return [...this.tunnelsById.values()];
  }

  sessions(): AsyncIterableIterator<LnsSession> {
    const q: AsyncQueue<LnsSession> = new AsyncQueue(SESSION_QUEUE, () => this.sessionQueues.delete(q));
    if (this.closing !== undefined) q.end();
    else this.sessionQueues.add(q);
    return q;
  }

  on<E extends keyof LnsEvents>(event: E, listener: (...args: LnsEvents[E]) => void): () => void {
    const set = this.listeners[event] as Set<(...args: LnsEvents[E]) => void> | undefined;
    if (set === undefined) throw new TypeError(`unknown LNS event ${String(event)}; one of ${Object.keys(this.listeners).join(', ')}`);
    if (typeof listener !== 'function') throw new TypeError('on(event, listener): listener must be a function');
    set.add(listener);
    return () => void set.delete(listener);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Error Code 0 ("no general error") must precede the message (RFC 2661 §4.4.2).
    const bye: ResultCodeValue = { result: StopCcnResult.ShuttingDown, error: 0, message: 'LNS is being shut down' };
    for (const t of [...this.tunnelsById.values()]) {
      // Tunnels already closing (StopCCN sent or received) only linger; nobody waits on them.
      if (t.state === 'closing') continue;
      t.bye = true;
      try {
        t.close(bye);
      } catch (e) {
        report(e);
      }
    }
    if (this.r.closeTimeout > 0 && this.pendingAcks() > 0) {
      await new Promise<void>((res) => {
        const limit = setTimeout(done, this.r.closeTimeout);
        const self = this;
        function done() {
          clearTimeout(limit);
          self.ackWaiter = undefined;
          res();
        }
        this.ackWaiter = () => {
          if (this.pendingAcks() === 0) done();
        };
      });
    }
    for (const t of [...this.tunnelsById.values()]) this.discard(t, new L2tpError('TRANSPORT', 'the LNS closed'));
    this.disarm();
    this.deadlines.clear();
    for (const q of this.sessionQueues) q.end();
    this.sessionQueues.clear();
    await Promise.allSettled([this.udp.close(), this.tcp?.close()]);
  }

  /** Tunnels whose StopCCN (sent by `close()`) is not acknowledged yet. */
  private pendingAcks(): number {
    let n = 0;
    for (const t of this.tunnelsById.values()) if (t.bye && !t.stopAcked && t.fsm.state === 'closing') n++;
    return n;
  }

  // ------------------------------------------------------------------------------------------
  // Receiving and routing

  private onConnection(t: Transport): void {
    const conn: TcpConn = { transport: t, key: `t|${this.nextConn++}`, tunnels: new Set(), dead: false };
    if (this.closing !== undefined) {
      void t.close();
      return;
    }
    t.onMessage((m) => this.onMessage(m, { kind: 'tcp', conn }));
    t.onError(() => {});
    t.onClose(() => {
      conn.dead = true;
      // The connection was the only way to the peer: its tunnels cannot be reached any more.
      for (const tun of [...conn.tunnels]) if (tun.via.kind === 'tcp' && tun.via.conn === conn) this.discard(tun, new L2tpError('TRANSPORT', 'the TCP connection closed'));
    });
  }

  private onMessage(bytes: Uint8Array, via: Via): void {
    this.c.messagesIn++;
    if (this.closing !== undefined && this.tunnelsById.size === 0) return;
    const h = peekHeader(bytes);
    if (h === undefined) {
      this.c.malformed++;
      return;
    }
    if (h.tunnelId !== 0) {
      const t = this.tunnelsById.get(h.tunnelId);
      if (t === undefined) {
        // RFC 2661 leaves it open; xl2tpd drops these silently, and answering would help a scanner.
        this.c.unknownTunnel++;
        return;
      }
      if (!sameVia(t.via, via)) this.rebind(t, via);
      if (h.control && t.stopNs !== undefined && !t.stopAcked && serialAtOrAfter(h.nr, (t.stopNs + 1) & 0xffff)) {
        t.stopAcked = true;
        this.ackWaiter?.();
      }
      this.feed(t, { type: 'received', bytes });
      return;
    }
    this.onTunnelZero(bytes, via, h.control);
  }

  /** A message with Tunnel ID 0: an SCCRQ (or its retransmission), or a stray. */
  private onTunnelZero(bytes: Uint8Array, via: Via, control: boolean): void {
    if (!control) {
      this.c.unknownTunnel++;
      return;
    }
    let m: ControlMessage;
    let assigned: number | undefined;
    try {
      m = parseControl(bytes, { secret: this.fsmOptions.secret, requireAvps: false });
      assigned = m.isZlb ? undefined : m.assignedTunnelId;
    } catch {
      this.c.malformed++;
      return;
    }
    if (assigned === undefined || m.version !== 2) {
      // Without the LAC's Tunnel ID there is no one to answer (RFC 2661 §6.1 requires it).
      this.c.malformed++;
      return;
    }
    const key = sccrqKey(viaKey(via), assigned);
    const known = this.bySccrq.get(key);
    if (known !== undefined) {
      // A retransmitted SCCRQ, or a StopCCN sent before the LAC learnt our Tunnel ID.
      this.feed(known, { type: 'received', bytes });
      return;
    }
    if (m.type !== MessageType.SCCRQ) {
      this.c.unknownTunnel++;
      return;
    }
    if (this.closing !== undefined) {
      this.c.sccrqWhileClosing++;
      return;
    }
    if (this.halfOpenCount >= this.r.maxHalfOpen) {
      this.c.sccrqOverHalfOpen++;
      return;
    }
    if (this.tunnelsById.size >= this.r.maxTunnels) {
      this.c.sccrqOverTunnels++;
      return;
    }
    // Our Tunnel IDs are unique across the LNS: they are the routing key.
    const id = randomId16(this.fsmOptions.random, (n) => this.tunnelsById.has(n));
    const fsm = new TunnelFsm({ ...this.fsmOptions, localTunnelId: id, dataWithLength: via.kind === 'tcp' });
    const t = new TunnelEntry(this, fsm, via, key);
    this.tunnelsById.set(id, t);
    this.bySccrq.set(key, t);
    if (via.kind === 'tcp') via.conn.tunnels.add(t);
    this.halfOpenCount++;
    this.feed(t, { type: 'received', bytes });
  }

  /** The peer now sends from elsewhere (NAT rebinding, or a new TCP connection): reply there. */
  private rebind(t: TunnelEntry, via: Via): void {
    this.c.rebinds++;
    if (t.via.kind === 'tcp') t.via.conn.tunnels.delete(t);
    if (via.kind === 'tcp') via.conn.tunnels.add(t);
    t.via = via;
  }

  // ------------------------------------------------------------------------------------------
  // Driving the FSMs

  /** Feed one event to a tunnel's FSM and carry out what it says. @internal */
  feed(t: TunnelEntry, event: TunnelEvent): void {
    if (!t.alive) return;
    const acts = t.fsm.handle(event, performance.now());
    this.carry(t, acts);
    this.schedule(t);
  }

  /** @internal */
  sendFrame(s: SessionEntry, frame: Uint8Array): Promise<void> {
    const t = s.tunnel;
    let sent: Promise<void> = Promise.resolve();
    const acts = t.fsm.handle({ type: 'sendFrame', sessionId: s.id, frame }, performance.now());
    for (const a of acts) {
      if (a.type === 'send') {
        this.c.framesOut++;
        sent = this.transmit(t.via, a.bytes, true);
      }
    }
    return sent;
  }

  private carry(t: TunnelEntry, acts: TunnelAction[]): void {
    for (let i = 0; i < acts.length; i++) {
      const a = acts[i]!;
      switch (a.type) {
        case 'send':
          this.noteStopccn(t, a.bytes);
          void this.transmit(t.via, a.bytes, false);
          break;
        case 'established':
          t.info = a.peer;
          t.up = true;
          this.leaveHalfOpen(t);
          this.establishedCount++;
          this.c.tunnelsOpened++;
          this.emit('tunnel-up', t);
          break;
        case 'session-up': {
          const s = new SessionEntry(t, a.sessionId, a.peerSessionId, a.kind, a.call, this.queueFrames);
          t.live.set(a.sessionId, s);
          this.sessionCount++;
          this.c.sessionsOpened++;
          this.emit('session-up', s);
          for (const q of this.sessionQueues) q.push(s);
          break;
        }
        case 'session-down': {
          const s = t.live.get(a.sessionId);
          if (s === undefined) break; // a call refused or failed before it came up
          t.live.delete(a.sessionId);
          this.sessionCount--;
          s.end();
          this.emit('session-down', s, why(a));
          break;
        }
        case 'frame':
          this.onFrame(t, a.sessionId, a.payload);
          break;
        case 'stopped':
          if (t.up) {
            t.up = false;
            this.establishedCount--;
            this.emit('tunnel-down', t, why(a));
          }
          break;
        case 'closed':
          this.forget(t);
          break;
        case 'error':
          this.c.protocolErrors++;
          break;
        default:
          // session-opening (we open no calls), wen, sli: nothing to route.
          break;
      }
    }
  }

  private onFrame(t: TunnelEntry, sessionId: number, payload: Uint8Array): void {
    const s = t.live.get(sessionId);
    if (s === undefined) return;
    this.c.framesIn++;
    if (s.deliver(payload)) this.c.framesDropped++;
    const cb = this.r.o.onFrame;
    if (cb !== undefined) {
      try {
        cb(s, payload);
      } catch (e) {
        report(e);
      }
    }
    if (this.r.o.echo === true && !s.closed && t.alive) void s.send(payload).catch(() => {});
  }

  /** Remember the Ns of a StopCCN we send, to see its ack (RFC 2661 §5.7, §5.8). */
  private noteStopccn(t: TunnelEntry, b: Uint8Array): void {
    // Control, not a ZLB, Message Type AVP (never hidden, §4.4.1) value at bytes 18–19.
    if (b.length < 20 || (b[0]! & 0x80) === 0) return;
    if (((b[18]! << 8) | b[19]!) !== MessageType.StopCCN) return;
    t.stopNs = (b[8]! << 8) | b[9]!;
  }

  private transmit(via: Via, bytes: Uint8Array, frame: boolean): Promise<void> {
    const p = via.kind === 'udp' ? this.udp.send(bytes, via.address, via.port) : via.conn.dead ? Promise.reject(new L2tpError('TRANSPORT', 'TCP connection closed')) : via.conn.transport.send(bytes);
    return p.catch((e: unknown) => {
      this.c.sendErrors++;
      if (frame) throw e;
    });
  }

  private leaveHalfOpen(t: TunnelEntry): void {
    if (!t.halfOpen) return;
    t.halfOpen = false;
    this.halfOpenCount--;
  }

  /** The FSM said `closed`: free everything of the tunnel. */
  private forget(t: TunnelEntry): void {
    if (!t.alive) return;
    t.alive = false;
    this.leaveHalfOpen(t);
    if (t.up) {
      t.up = false;
      this.establishedCount--;
    }
    for (const s of t.live.values()) {
      s.end();
      this.sessionCount--;
    }
    t.live.clear();
    this.tunnelsById.delete(t.id);
    if (this.bySccrq.get(t.key) === t) this.bySccrq.delete(t.key);
    if (t.via.kind === 'tcp') t.via.conn.tunnels.delete(t);
    this.deadlines.set(t, undefined);
    if (this.tunnelsById.size === 0) {
      // Nothing left to time: drop the stale entries and the timer with them.
      this.deadlines.clear();
      this.disarm();
    }
    this.ackWaiter?.();
  }

  /**
   * Drop a tunnel now, without the §5.8 linger (the LNS is closing, or the peer's TCP connection
   * is gone): its sessions and the tunnel are reported down, then forgotten.
   */
  private discard(t: TunnelEntry, error: L2tpError): void {
    if (!t.alive) return;
    for (const s of [...t.live.values()]) {
      t.live.delete(s.id);
      this.sessionCount--;
      s.end();
      this.emit('session-down', s, { by: 'local', error });
    }
    if (t.up) {
      t.up = false;
      this.establishedCount--;
      this.emit('tunnel-down', t, { by: 'local', error });
    }
    this.forget(t);
  }

  // ------------------------------------------------------------------------------------------
  // The one timer

  private schedule(t: TunnelEntry): void {
    if (!t.alive) return;
    this.deadlines.set(t, t.fsm.nextDeadline());
    this.deadlines.compact(this.tunnelsById.size);
    this.arm();
  }

  private arm(): void {
    const at = this.deadlines.peek();
    if (at === undefined) return this.disarm();
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.disarm();
    this.timerAt = at;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, Math.ceil(at - performance.now())));
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const due = this.deadlines.popDue(performance.now());
    for (const t of due) this.feed(t, { type: 'tick' });
    this.arm();
  }

  private emit<E extends keyof LnsEvents>(event: E, ...args: LnsEvents[E]): void {
    for (const l of this.listeners[event] as Set<(...a: LnsEvents[E]) => void>) {
      try {
        l(...args);
      } catch (e) {
        report(e);
      }
    }
  }
}

function why(a: Extract<TunnelAction, { type: 'stopped' | 'session-down' }>): DownReason {
  const d: Mutable<DownReason> = { by: a.by };
  if (a.result !== undefined) d.result = a.result;
  if (a.error !== undefined) d.error = a.error;
  return d;
}
