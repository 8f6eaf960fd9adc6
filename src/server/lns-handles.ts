/**
 * The handles the embedded LNS gives out for its tunnels and sessions, and where each tunnel's
 * peer is (a UDP address or a TCP connection).
 * @internal
 */
import type { Pseudowire, PseudowireStats } from '../fsm/pseudowire.js';
import type { Transport, TransportAddress } from '../client/transport.js';
import type { DataSequenceStats, PeerInfo, TunnelEvent, TunnelFsm, TunnelState } from '../fsm/index.js';
import { SmallMap } from '../fsm/small-map.js';
import { assertBytes } from '../wire/bytes.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import { AsyncQueue } from './async-queue.js';
import type { DeadlineOwner } from './deadline-queue.js';
import type { ConformanceObserver } from '../conformance/index.js';
import type { LnsSession, LnsTunnel } from './lns-types.js';

/** Frames a session's `frames()` queue holds before dropping the oldest. */
const FRAME_QUEUE = 64;

/** What the handles need from the LNS that made them. */
export interface LnsCore {
  /** Feed one event to a tunnel's FSM and carry out its actions. */
  feed(t: TunnelEntry, event: TunnelEvent, now?: number): void;
  /** Send a PPP frame on a session; resolves once the socket took it. */
  sendFrame(s: SessionEntry, frame: Uint8Array): Promise<void>;
}

/** One accepted TCP connection: a path that may carry several tunnels. */
export interface TcpConn extends DeadlineOwner {
  readonly transport: Transport;
  readonly key: string;
  readonly tunnels: Set<TunnelEntry>;
  dead: boolean;
}

/** Where a message came from, and so where replies go. */
export type Via = { readonly kind: 'udp'; readonly address: string; readonly port: number } | { readonly kind: 'tcp'; readonly conn: TcpConn };

export function viaKey(v: Via): string {
  return v.kind === 'udp' ? `u|${v.address}|${v.port}` : v.conn.key;
}

export function sameVia(a: Via, b: Via): boolean {
  return a.kind === 'udp' ? b.kind === 'udp' && a.port === b.port && a.address === b.address : b.kind === 'tcp' && a.conn === b.conn;
}

/** The `live` table of every tunnel that has no session yet; stays empty. */
const NO_SESSIONS: SmallMap<number, SessionEntry> = new SmallMap();

/** Bits of {@link TunnelEntry}'s flags: six booleans in one small integer (issue 16: 8 B a field). */
const ALIVE = 1;
const HALF_OPEN = 2;
const UP = 4;
const STOP_ACKED = 8;
const BYE = 16;
const REPORTED = 32;

/** A tunnel of the LNS: the FSM, where its peer is, its sessions. */
export class TunnelEntry implements DeadlineOwner, LnsTunnel {
  due: number | undefined = undefined;
  slot = -1;
  /** ALIVE | HALF_OPEN | UP | STOP_ACKED | BYE | REPORTED, read through the accessors below. */
  private flags = ALIVE | HALF_OPEN;
  info: PeerInfo | undefined;
  /**
   * Its sessions. A tunnel without any shares one empty table, and one with a single call holds
   * it in a small object, not a Map (~180 B; most tunnels of a busy LNS have none or one, issue
   * 16): add with {@link addSession}, never `live.set`.
   */
  live: SmallMap<number, SessionEntry> = NO_SESSIONS;
  addSession(s: SessionEntry): void {
    if (this.live === NO_SESSIONS) this.live = new SmallMap();
    this.live.set(s.id, s);
  }
  /** Ns of our StopCCN, once sent: an Nr past it from the peer is its ack. */
  stopNs: number | undefined;

  private flag(bit: number, on: boolean): void {
    this.flags = on ? this.flags | bit : this.flags & ~bit;
  }
  /** Still in the LNS's table. */
  get alive(): boolean {
    return (this.flags & ALIVE) !== 0;
  }
  set alive(v: boolean) {
    this.flag(ALIVE, v);
  }
  /** Counted among the half-open tunnels (its SCCRQ answered, no SCCCN yet). */
  get halfOpen(): boolean {
    return (this.flags & HALF_OPEN) !== 0;
  }
  set halfOpen(v: boolean) {
    this.flag(HALF_OPEN, v);
  }
  /** Established for the user (counted in `stats.established`). */
  get up(): boolean {
    return (this.flags & UP) !== 0;
  }
  set up(v: boolean) {
    this.flag(UP, v);
  }
  /** The peer acknowledged our StopCCN. */
  get stopAcked(): boolean {
    return (this.flags & STOP_ACKED) !== 0;
  }
  set stopAcked(v: boolean) {
    this.flag(STOP_ACKED, v);
  }
  /** `Lns.close()` sent this tunnel its StopCCN and waits for the ack. */
  get bye(): boolean {
    return (this.flags & BYE) !== 0;
  }
  set bye(v: boolean) {
    this.flag(BYE, v);
  }
  /** Its `conformance-report` event went out (or will not: its observer keeps no report card). */
  get conformanceReported(): boolean {
    return (this.flags & REPORTED) !== 0;
  }
  set conformanceReported(v: boolean) {
    this.flag(REPORTED, v);
  }
  /** Its conformance observer; none under the `lenient` policy. */
  conformance: ConformanceObserver | undefined;

  constructor(
    readonly lns: LnsCore,
    readonly fsm: TunnelFsm,
    public via: Via,
    readonly key: string,
    /** The source address of its SCCRQ (what per-source quotas count). */
    readonly source: string,
    /** When its SCCRQ was admitted (the LNS clock). */
    readonly born: number,
  ) {}

  get id(): number {
    return this.fsm.localTunnelId;
  }
  /** A control message we send: remember the Ns of a StopCCN, to see its ack (RFC 2661 §5.7, §5.8). */
  noteSent(b: Uint8Array): void {
    // Control, not a ZLB, Message Type AVP (never hidden, §4.4.1) value at bytes 18–19.
    if (b.length < 20 || (b[0]! & 0x80) === 0) return;
    if (((b[18]! << 8) | b[19]!) !== MessageType.StopCCN) return;
    this.stopNs = (b[8]! << 8) | b[9]!;
  }
  get peer(): PeerInfo | undefined {
    return this.info;
  }
  get remote(): TransportAddress {
    const v = this.via;
    return v.kind === 'udp' ? { address: v.address, port: v.port } : (v.conn.transport.remote ?? { address: '', port: 0 });
  }
  get transport(): 'udp' | 'tcp' {
    return this.via.kind;
  }
  get state(): TunnelState {
    return this.alive ? this.fsm.state : 'closed';
  }
  sessions(): LnsSession[] {
    return [...this.live.values()];
  }
  hello(): void {
    if (!this.alive || this.fsm.state !== 'established') throw new TypeError(`hello: tunnel ${this.id} is ${this.state}; only an established tunnel can send HELLO`);
    this.lns.feed(this, { type: 'hello' });
  }
  close(result?: ResultCodeValue): void {
    if (!this.alive) return;
    const s = this.fsm.state;
    if (s === 'closing' || s === 'closed') return;
    this.lns.feed(this, result === undefined ? { type: 'close' } : { type: 'close', result });
  }
}

/** Bits of {@link SessionEntry}'s flags (issue 16: 8 B a field, per session). */
const CLOSED = 1;
const OUTGOING = 2;
const QUEUE_FROM_START = 4;

/** A session handle. */
export class SessionEntry implements LnsSession {
  /** v3: the session's data plane (set by LnsPseudowires when it comes up). */
  pw: Pseudowire | undefined;
  private queue: AsyncQueue<Uint8Array> | undefined;
  /** CLOSED | OUTGOING | QUEUE_FROM_START. */
  private flags: number;

  /** @param queueFromStart - frames are queued from the start (no `onFrame`, no echo): the queue is made with the first frame. */
  constructor(
    readonly tunnel: TunnelEntry,
    readonly id: number,
    readonly peerId: number,
    kind: 'incoming' | 'outgoing',
    readonly call: LnsSession['call'],
    queueFromStart: boolean,
  ) {
    this.flags = (kind === 'outgoing' ? OUTGOING : 0) | (queueFromStart ? QUEUE_FROM_START : 0);
  }

  get kind(): 'incoming' | 'outgoing' {
    return (this.flags & OUTGOING) !== 0 ? 'outgoing' : 'incoming';
  }
  get closed(): boolean {
    return (this.flags & CLOSED) !== 0;
  }
  private get queueFromStart(): boolean {
    return (this.flags & QUEUE_FROM_START) !== 0;
  }

  frames(): AsyncIterableIterator<Uint8Array> {
    if (this.queue === undefined) {
      this.queue = new AsyncQueue(FRAME_QUEUE);
      if (this.closed) this.queue.end();
    }
    return this.queue;
  }

  get dataStats(): DataSequenceStats | undefined {
    return this.closed ? undefined : this.tunnel.fsm.dataStats(this.id);
  }

  get pseudowireStats(): PseudowireStats | undefined {
    return this.pw?.stats;
  }

  /** @internal A frame arrived; returns whether the queue had to drop one. */
  deliver(frame: Uint8Array): boolean {
    // Allocated on the first frame, not with the session (issue 16: ~140 B per idle session).
    const q = this.queue ?? (this.queueFromStart && !this.closed ? (this.queue = new AsyncQueue(FRAME_QUEUE)) : undefined);
    if (q === undefined || q.done) return false;
    const before = q.dropped;
    // A copy: the frame is a view into the received message, which the queue may outlive.
    q.push(frame.slice());
    return q.dropped !== before;
  }

  /** @internal */
  end(): void {
    this.flags |= CLOSED;
    this.queue?.end();
  }

  send(frame: Uint8Array): Promise<void> {
    assertBytes(frame, 'frame');
    if (this.closed || !this.tunnel.alive) return Promise.reject(new L2tpError('PEER_STOPPED', `session ${this.id} on tunnel ${this.tunnel.id} is down`));
    return this.tunnel.lns.sendFrame(this, frame);
  }

  close(result?: ResultCodeValue): void {
    if (this.closed || !this.tunnel.alive) return;
    this.tunnel.lns.feed(this.tunnel, result === undefined ? { type: 'closeSession', sessionId: this.id } : { type: 'closeSession', sessionId: this.id, result });
  }
}

