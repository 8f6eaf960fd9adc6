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
import { TunnelFsm, type TunnelAction, type TunnelEvent } from '../fsm/index.js';
import { randomId16, randomId32 } from '../fsm/checks.js';
import { resolveTunnelOptions, type ResolvedTunnelOptions } from '../fsm/options.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import { StopCcnResult } from '../wire/result-codes.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import { AsyncQueue } from './async-queue.js';
import { admit, sourceOf } from './lns-admission.js';
import { flatKey, peekHeader, peekHeaderV3, readTunnelZero, sccrqKey, serialAtOrAfter } from './demux.js';
import { LnsConformance } from './lns-conformance.js';
import { servePppOnLns } from './lns-ppp.js';
import { LnsEmitter, report, why } from './lns-events.js';
import { LnsFronts, openFronts } from './lns-front.js';
import { IdleConnections, LnsReporter } from './lns-guard.js';
import { SessionEntry, TunnelEntry, sameVia, viaKey, type LnsCore, type TcpConn, type Via } from './lns-handles.js';
import { resolveLnsOptions, tunnelOptions, type Resolved } from './lns-options.js';
import { zeroCounters } from './lns-stats.js';
import { TunnelTable } from './lns-table.js';
import { LnsTimer } from './lns-timer.js';
import { LnsPseudowires } from './lns-pseudowire.js';
import { isV3DataMessage } from '../client/pseudowire-session.js';
import type { DownReason, Lns, LnsAddress, LnsEvents, LnsOptions, LnsSession, LnsStats, LnsTunnel } from './lns-types.js';

/** Sessions a `sessions()` iterator holds before dropping the oldest. */
const SESSION_QUEUE = 1024;

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
  const fsmOptions = tunnelOptions(r);
  new TunnelFsm({ ...fsmOptions, localTunnelId: 1 });
  // Checked before any socket opens: a PPP option it refuses leaves nothing bound.
  if (options.ppp !== undefined && options.ppp.addressPool === undefined && options.ppp.peerAddress === undefined) {
    throw new TypeError('createLns: options.ppp needs addressPool or peerAddress');
  }
  const { udp, tcp } = await openFronts(r);
  const lns = new EmbeddedLns(r, fsmOptions, (h) => new LnsFronts(udp, tcp, h));
  if (options.ppp !== undefined) servePppOnLns(lns, options.ppp);
  return lns;
}

/** The LNS proper: routing, the tunnels' FSMs, events. @internal */
class EmbeddedLns implements Lns, LnsCore {
  private readonly table = new TunnelTable();
  /** Tunnels' FSM deadlines and idle TCP connections' closing times: one timer for both. */
  private readonly timer = new LnsTimer<TunnelEntry | TcpConn>(
    // Whole milliseconds: small integers are stored unboxed, a fraction costs a 16-byte heap
    // number in every field that holds a time (issue 16: memory per tunnel).
    () => Math.floor(performance.now()),
    (due) => {
      const now = this.timer.now();
      for (const o of due) {
        if (o instanceof TunnelEntry) {
          // Only the tunnels whose deadline fired: an ack that never came is judged by then.
          o.conformance?.tick(now);
          this.feed(o, { type: 'tick' }, now);
        } else this.idle.over(o);
      }
    },
  );
  private readonly c = zeroCounters();
  private readonly events = new LnsEmitter();
  private readonly report = new LnsReporter(this.c, this.events);
  private readonly conformance: LnsConformance;
  /** TCP connections carrying no tunnel, each with an idle deadline. */
  private readonly idle: IdleConnections;
  private readonly fronts: LnsFronts;
  private readonly sessionQueues = new Set<AsyncQueue<LnsSession>>();
  private closing: Promise<void> | undefined;
  /** Woken when a StopCCN sent by `close()` is acked or its tunnel goes. */
  private ackWaiter: (() => void) | undefined;
  private readonly queueFrames: boolean;
  private readonly pseudowires = new LnsPseudowires();

  constructor(
    private readonly r: Resolved,
    private readonly fsmOptions: Omit<ConstructorParameters<typeof TunnelFsm>[0], 'localTunnelId'>,
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

  // ------------------------------------------------------------------------------------------
  // Public API

  address(): LnsAddress {
    return this.fronts.address();
  }

  get stats(): LnsStats {
    const t = this.table;
    return {
      ...this.c,
      tunnels: t.size,
      halfOpen: t.halfOpen,
      established: t.established,
      lingering: t.size - t.halfOpen - t.established,
      sessions: t.sessions,
      deadlines: this.timer.entries,
      timers: this.timer.armed,
      connections: this.fronts.connections,
    };
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  tunnels(): LnsTunnel[] {
    return this.table.all();
  }

  sessions(): AsyncIterableIterator<LnsSession> {
    const q: AsyncQueue<LnsSession> = new AsyncQueue(SESSION_QUEUE, () => this.sessionQueues.delete(q));
    if (this.closing !== undefined) q.end();
    else this.sessionQueues.add(q);
    return q;
  }

  on<E extends keyof LnsEvents>(event: E, listener: (...args: LnsEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Error Code 0 ("no general error") must precede the message (RFC 2661 §4.4.2).
    const bye: ResultCodeValue = { result: StopCcnResult.ShuttingDown, error: 0, message: 'LNS is being shut down' };
    for (const t of this.table.all()) {
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
    for (const t of this.table.all()) this.discard(t, new L2tpError('TRANSPORT', 'the LNS closed'));
    this.timer.clear();
    for (const q of this.sessionQueues) q.end();
    this.sessionQueues.clear();
    await this.fronts.close();
  }

  /** Tunnels whose StopCCN (sent by `close()`) is not acknowledged yet. */
  private pendingAcks(): number {
    let n = 0;
    for (const t of this.table.values()) if (t.bye && !t.stopAcked && t.fsm.state === 'closing') n++;
    return n;
  }

  // ------------------------------------------------------------------------------------------
  // Receiving and routing

  private onConnectionClosed(conn: TcpConn): void {
    this.idle.closed(conn);
    if (this.table.size === 0 && this.idle.size === 0) this.timer.clear();
    // The connection was the only way to the peer: its tunnels cannot be reached any more.
    for (const tun of [...conn.tunnels]) if (tun.via.kind === 'tcp' && tun.via.conn === conn) this.discard(tun, new L2tpError('TRANSPORT', 'the TCP connection closed'));
  }

  private onMessage(bytes: Uint8Array, via: Via): void {
    this.c.messagesIn++;
    if (this.closing !== undefined && this.table.size === 0) return;
    // The version nibble (RFC 3931 §3.2.1) tells v2 and v3 apart; a version we were not asked to
    // serve (createLns({ versions })) is as good as garbage here.
    const version = bytes.length >= 2 ? bytes[1]! & 0x0f : 0;
    if (version === 3 && this.r.versions.includes(3) && isV3DataMessage(bytes)) return this.onPseudowireData(bytes);
    const h = version === 2 || (version === 3 && this.r.versions.includes(3)) ? (version === 2 ? peekHeader(bytes) : peekHeaderV3(bytes)) : undefined;
    if (h === undefined || (version === 2 && !this.r.versions.includes(2))) {
      this.c.malformed++;
      return;
    }
    if (h.tunnelId !== 0) {
      const t = this.table.get(h.tunnelId);
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
      if (h.control) this.receive(t, bytes);
      else this.feed(t, { type: 'received', bytes });
    } else {
      this.onTunnelZero(bytes, via, h.control);
    }
    if (via.kind === 'tcp') this.idle.watch(via.conn);
  }

  /** Free a half-open tunnel without a word: the oldest, to admit a newer SCCRQ. */
  private evict(t: TunnelEntry): void {
    this.report.halfOpen('oldest', t, this.timer.now());
    this.forget(t);
  }

  /** A message with Tunnel ID 0: an SCCRQ (or its retransmission), or a stray. */
  private onTunnelZero(bytes: Uint8Array, via: Via, control: boolean): void {
    if (!control) {
      this.c.unknownTunnel++;
      return;
    }
    const m = readTunnelZero(bytes, this.fsmOptions.secret);
    if (m === undefined) {
      // Does not parse, or no Assigned Tunnel ID: no one to answer (RFC 2661 §6.1 requires it).
      this.c.malformed++;
      return;
    }
    const { type, assigned, version } = m;
    const key = sccrqKey(viaKey(via), assigned, version);
    const known = this.table.bySccrqKey(key);
    if (known !== undefined) {
      // A retransmitted SCCRQ, or a StopCCN sent before the LAC learnt our Tunnel ID.
      this.receive(known, bytes);
      return;
    }
    if (type !== MessageType.SCCRQ) {
      this.c.unknownTunnel++;
      return;
    }
    if (this.closing !== undefined) return this.report.refused('closing', via);
    const source = sourceOf(via);
    const a = admit(this.table.halfOpenSet, this.table.size, source, this.r);
    if (!a.admit) return this.report.refused(a.reason, via);
    if (a.evict !== undefined) this.evict(a.evict);
    // Our Tunnel IDs are unique across the LNS: they are the routing key. v3 Control Connection
    // IDs are drawn above 0xffff, so no v2 header's Tunnel ID ever names a v3 tunnel.
    const id = version === 2 ? randomId16(this.fsmOptions.random, (n) => this.table.has(n)) : randomId32(this.fsmOptions.random, (n) => n <= 0xffff || this.table.has(n));
    const fsm = new TunnelFsm(this.sharedFsmOptions(via.kind === 'tcp', version), id);
    const t = new TunnelEntry(this, fsm, via, flatKey(key), source, this.timer.now());
    this.table.add(t);
    // The conformance observer knows RFC 2661's rules only.
    if (version === 2) this.conformance.attach(t);
    this.receive(t, bytes);
  }

  /** The tunnels' FSM options, resolved once per transport and shared by all (issue 16: no per-tunnel copy). */
  private readonly fsmShared: (ResolvedTunnelOptions | undefined)[] = [undefined, undefined, undefined, undefined];
  private sharedFsmOptions(tcp: boolean, version: 2 | 3 = 2): ResolvedTunnelOptions {
    // v3 data names only the session (RFC 3931 §4.1): our Session IDs are unique across the LNS.
    const sessionIdTaken = version === 3 ? (id: number) => this.pseudowires.has(id) : undefined;
    return (this.fsmShared[(tcp ? 1 : 0) + (version === 3 ? 2 : 0)] ??= resolveTunnelOptions({ ...this.fsmOptions, dataWithLength: tcp, version, sessionIdTaken }));
  }

  /** The peer now sends from elsewhere (NAT rebinding, or a new TCP connection): reply there. */
  private rebind(t: TunnelEntry, via: Via): void {
    this.c.rebinds++;
    const was = t.via;
    if (was.kind === 'tcp') was.conn.tunnels.delete(t);
    if (via.kind === 'tcp') via.conn.tunnels.add(t);
    t.via = via;
    if (was.kind === 'tcp') this.idle.watch(was.conn);
  }

  // ------------------------------------------------------------------------------------------
  // Driving the FSMs

  /**
   * A control message from the tunnel's peer: judged by its conformance observer first (same
   * `now`), then handled by the FSM; a `strict` refusal is acted on after that.
   */
  private receive(t: TunnelEntry, bytes: Uint8Array): void {
    const now = this.timer.now();
    const refusal = this.conformance.received(t, bytes, now);
    const before = refusal?.action === 'cdn' ? t.fsm.sessionIds() : undefined;
    this.feed(t, { type: 'received', bytes }, now);
    if (refusal !== undefined) this.conformance.refuse(t, refusal, before);
  }

  /** Feed one event to a tunnel's FSM and carry out what it says. @internal */
  feed(t: TunnelEntry, event: TunnelEvent, now = this.timer.now()): void {
    if (!t.alive) return;
    const acts = t.fsm.handle(event, now);
    this.carry(t, acts, now);
    if (t.alive) this.timer.set(t, t.fsm.nextDeadline());
  }

  /** @internal */
  sendFrame(s: SessionEntry, frame: Uint8Array): Promise<void> {
    const t = s.tunnel;
    let sent: Promise<void> = Promise.resolve();
    const acts: TunnelAction[] = s.pw !== undefined ? [{ type: 'send', bytes: s.pw.send(frame) }] : t.fsm.handle({ type: 'sendFrame', sessionId: s.id, frame }, this.timer.now());
    for (const a of acts) {
      if (a.type === 'send') {
        this.c.framesOut++;
        sent = this.fronts.transmit(t.via, a.bytes, true);
      }
    }
    return sent;
  }

  private carry(t: TunnelEntry, acts: TunnelAction[], now: number): void {
    for (let i = 0; i < acts.length; i++) {
      const a = acts[i]!;
      switch (a.type) {
        case 'send':
          t.noteSent(a.bytes);
          t.conformance?.sent(a.bytes, now);
          this.fronts.post(t.via, a.bytes);
          break;
        case 'established':
          // The FSM's own record, not the event's copy: one per tunnel, not two (issue 16).
          t.info = t.fsm.peerInfo ?? a.peer;
          this.table.up(t);
          this.c.tunnelsOpened++;
          this.emit('tunnel-up', t);
          break;
        case 'session-up': {
          const s = new SessionEntry(t, a.sessionId, a.peerSessionId, a.kind, a.call, this.queueFrames);
          t.addSession(s);
          if (a.pseudowire !== undefined) this.pseudowires.up(s, a.pseudowire);
          this.table.sessions++;
          this.c.sessionsOpened++;
          this.emit('session-up', s);
          for (const q of this.sessionQueues) q.push(s);
          break;
        }
        case 'session-down': {
          const s = t.live.get(a.sessionId);
          if (s === undefined) break; // a call refused or failed before it came up
          t.live.delete(a.sessionId);
          this.pseudowires.down(s);
          this.table.sessions--;
          s.end();
          this.emit('session-down', s, why(a));
          break;
        }
        case 'frame':
          this.onFrame(t, a.sessionId, a.payload);
          break;
        case 'stopped':
          if (this.table.down(t)) this.emit('tunnel-down', t, why(a));
          else if (t.halfOpen && a.error?.code === 'TIMEOUT') this.report.halfOpen('expired', t, now);
          this.conformance.end(t, now);
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

  /** v3 data (RFC 3931 §4.1.2.1): routed by Session ID; drops are counted, never thrown. */
  private onPseudowireData(bytes: Uint8Array): void {
    const got = this.pseudowires.receive(bytes);
    if (got === 'unknown') this.c.unknownTunnel++;
    else if (got !== undefined) this.onFrame(got.session.tunnel, got.session.id, got.frame);
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

  /** The FSM said `closed`: free everything of the tunnel. */
  private forget(t: TunnelEntry): void {
    if (!t.alive) return;
    this.conformance.end(t, this.timer.now());
    t.alive = false;
    for (const s of t.live.values()) {
      s.end();
      this.pseudowires.down(s);
    }
    this.table.remove(t);
    this.timer.drop(t);
    if (t.via.kind === 'tcp') this.idle.watch(t.via.conn);
    // Nothing left to time: drop the timer.
    if (this.table.size === 0 && this.idle.size === 0) this.timer.clear();
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
      this.table.sessions--;
      s.end();
      this.pseudowires.down(s);
      this.emit('session-down', s, { by: 'local', error });
    }
    if (this.table.down(t)) this.emit('tunnel-down', t, { by: 'local', error });
    this.forget(t);
  }

  private emit<E extends keyof LnsEvents>(event: E, ...args: LnsEvents[E]): void {
    this.events.emit(event, ...args);
  }
}
