/**
 * What the observer remembers about one control connection, and how each datagram updates it.
 * Rules read this state as it was *before* the datagram; the observer applies the datagram after.
 *
 * Memory (issue 16: an LNS holds one observer per tunnel, most of them idle): plain fields for
 * what every connection needs; the sets and lists are allocated on first use and dropped when
 * empty; a peer message is remembered by a hash of its body, not a copy, and forgotten once a
 * retransmission cycle has passed since its last copy (the peer gives up retransmitting by then,
 * RFC 2661 §5.8). Once nothing is remembered (every message acked both ways, no hole, no copy,
 * no StopCCN), {@link ConnectionState.rest} packs what is left into three small integers and the
 * observer drops this object until the next datagram ({@link ConnectionState.wake}).
 */
import { u16 } from '../wire/bytes.js';
import { MessageType } from '../wire/message-catalog.js';
import { seqAdd, seqBefore } from '../reliable/serial.js';
import { addCopy, copiesDeadline, expireCopies, findCopy, type CopyStore, type PeerCopy } from './peer-copies.js';
import type { ScannedMessage } from './scan.js';

/** One of our non-ZLB control messages, until the peer acknowledges it. @internal */
export interface SentRecord {
  readonly ns: number;
  readonly type: string;
  readonly tunnelId: number | undefined;
  readonly sessionId: number | undefined;
  readonly firstAt: number;
  /** Set once reported missing, so it is reported once. */
  reported: boolean;
}

/** Timing rules reported at most once per peer message (bits of `PeerCopy.reported`). @internal */
export const ONCE = { 'timing.backoff': 1, 'timing.cap': 2 } as const;

/** FNV-1a (32-bit) of `b[from..to)`: a retransmission's body is compared by it. @internal */
export function bodyHash(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h | 0; // signed: a small integer, stored unboxed
}

const NONE: readonly never[] = Object.freeze([]);

/** How many of the peer's messages are kept for duplicate detection (memory stays bounded). */
const MAX_COPIES = 64;
const AVP_ASSIGNED_TUNNEL_ID = 9;
const AVP_RECEIVE_WINDOW_SIZE = 10;
const AVP_ASSIGNED_SESSION_ID = 14;
const AVP_HOST_NAME = 7;
const AVP_VENDOR_NAME = 8;
const MAX_SESSION_IDS = 4096;
/** Our Session IDs kept in an array (searched in full) before they move to a Set. */
const FEW_SESSION_IDS = 8;
/** Most Ns remembered ahead of a hole (a window is at most 32768; real ones are 4 to 64). */
const MAX_AHEAD = 1024;
/** Most distinct message type names counted in the report; the rest under `other`. */
const MAX_TYPE_NAMES = 64;
/** An interval "grows" when it is at least this much longer than the one before. */
export const GROWTH = 1.25;

/** Bits of {@link ConnectionState}'s flags. */
const TUNNEL_ID_ACKED = 1;
const HAVE_SENT = 2;
const GAP_REPORTED = 4;
const PEER_ACKED_STOP = 8;

/** Bits of {@link Rest.r0} above our next Ns (bits 0–15). */
const R0_VERSION = 16; // version + 1 (0: none seen), 5 bits
const R0_FLAGS = 21; // TUNNEL_ID_ACKED | HAVE_SENT
const R0_TUNNEL_ID = 1 << 23; // our Tunnel ID is known (in r2)
/**
 * Largest Receive Window Size packed at rest: `window - 1` in 14 bits of r1, so every packed
 * word stays a small integer (31-bit on every V8 build) and is stored unboxed. Real windows are
 * 4 to 64; a connection with a larger one simply never rests.
 */
const MAX_REST_WINDOW = 0x4000;

/** What the observer keeps for the report card only (kept only `forReport`). @internal */
export interface PeerCard {
  readonly messages: Record<string, number>;
  hostName: string | undefined;
  vendorName: string | undefined;
}

/** An empty {@link PeerCard}. @internal */
export function newPeerCard(): PeerCard {
  return { messages: Object.create(null) as Record<string, number>, hostName: undefined, vendorName: undefined };
}

/** Session IDs we assigned: one inline, a few in an array, many in a Set. @internal */
export type SessionIds = number | number[] | Set<number>;

/**
 * A connection at rest, packed: r0 = our next Ns | (version + 1) << 16 | flags << 21 | tunnel-ID-known << 23;
 * r1 = the peer's next Ns (also our last Nr: everything is acked) | (our window - 1) << 16;
 * r2 = our Tunnel ID. Every word below 2^30. @internal
 */
export interface Rest {
  readonly r0: number;
  readonly r1: number;
  readonly r2: number;
  readonly ids: SessionIds | undefined;
}

/** The observer's memory of one control connection. @internal */
export class ConnectionState {
  /**
   * @param ackTimeout - a retransmission cycle: how long a peer message is remembered after its last copy.
   * @param card - where to keep what only the report card needs (message counts, peer names), if anything.
   */
  constructor(
    private readonly ackTimeout: number,
    private readonly card: PeerCard | undefined = undefined,
  ) {}

  /**
   * The state a connection {@link rest} left, woken by a new datagram: the same answers to every
   * rule as before it rested.
   */
  static wake(ackTimeout: number, card: PeerCard | undefined, r: Rest): ConnectionState {
    const s = new ConnectionState(ackTimeout, card);
    s.ourNextNs = r.r0 & 0xffff;
    const version = (r.r0 >>> R0_VERSION) & 0x1f;
    s.version = version === 0 ? undefined : version - 1;
    s.flags = (r.r0 >>> R0_FLAGS) & (TUNNEL_ID_ACKED | HAVE_SENT);
    if ((r.r0 & R0_TUNNEL_ID) !== 0) s.ourTunnelId = r.r2;
    s.peerExpected = s.ourLastNr = r.r1 & 0xffff;
    s.ourReceiveWindow = (r.r1 >>> 16) + 1;
    s.sessionIds = r.ids;
    return s;
  }

  /**
   * This state packed, when nothing in it waits for anything (every message acked both ways, no
   * hole, no copy of a peer message, no StopCCN): what the rules still need of it fits {@link Rest}.
   * `undefined` while something is remembered (call {@link expire} first).
   */
  rest(): Rest | undefined {
    if (this.sentRecords !== undefined || this.copies !== undefined || this.peerAhead !== undefined || this.gapSince !== undefined) return undefined;
    if ((this.flags & (GAP_REPORTED | PEER_ACKED_STOP)) !== 0 || this.peerStopNs !== undefined || this.ourStopNs !== undefined) return undefined;
    if (this.ourLastNr !== this.peerExpected || this.ourReceiveWindow > MAX_REST_WINDOW) return undefined;
    // The Ns of the message carrying our Tunnel ID matters only until it is acked.
    if (this.ourTunnelId !== undefined && !this.ourTunnelIdAcked) return undefined;
    if (this.version !== undefined && this.version > 30) return undefined;
    const known = this.ourTunnelId !== undefined ? R0_TUNNEL_ID : 0;
    const r0 = this.ourNextNs | ((this.version === undefined ? 0 : this.version + 1) << R0_VERSION) | ((this.flags & (TUNNEL_ID_ACKED | HAVE_SENT)) << R0_FLAGS) | known;
    return { r0, r1: this.peerExpected | ((this.ourReceiveWindow - 1) << 16), r2: this.ourTunnelId ?? 0, ids: this.sessionIds };
  }

  /**
   * When something remembered next falls due (same clock as `now`): a peer message's copy
   * expires, one of ours counts as never acked, a hole counts as never filled. `undefined` when
   * nothing will.
   */
  nextDeadline(): number | undefined {
    let at = copiesDeadline(this.copies, this.ackTimeout);
    const first = this.sentRecords?.find((r) => !r.reported);
    if (first !== undefined) at = earliest(at, first.firstAt + this.ackTimeout);
    if (this.gapSince !== undefined && !this.gapReported) at = earliest(at, this.gapSince + this.ackTimeout);
    return at;
  }

  /** The booleans below, one bit each: 8 B a field (issue 16: memory per tunnel). */
  private flags = 0;
  private flag(bit: number, on: boolean): void {
    this.flags = on ? this.flags | bit : this.flags & ~bit;
  }

  /** Version of the first message seen (2 or 3). */
  version: number | undefined = undefined;
  /** The Tunnel ID we assigned (our Assigned Tunnel ID AVP) and the Ns of the message carrying it. */
  ourTunnelId: number | undefined = undefined;
  ourTunnelIdNs: number | undefined = undefined;
  /** True once the peer acknowledged that message: from then on it must address us by it. */
  get ourTunnelIdAcked(): boolean {
    return (this.flags & TUNNEL_ID_ACKED) !== 0;
  }
  set ourTunnelIdAcked(v: boolean) {
    this.flag(TUNNEL_ID_ACKED, v);
  }
  /**
   * Session IDs we assigned (Assigned Session ID in our ICRQ/ICRP/OCRQ/OCRP): the first inline
   * (a number), then an array of exactly their number while few (a Set costs ~150 B per tunnel
   * with one call, issue 16), a Set past {@link FEW_SESSION_IDS}. Read with {@link assignedSession}.
   */
  private sessionIds: SessionIds | undefined = undefined;
  /** Our advertised Receive Window Size (RFC 2661 §5.8: 4 when we sent none). */
  ourReceiveWindow = 4;
  /** Whether we sent any non-ZLB control message yet, and the Ns our next one will carry. */
  get haveSent(): boolean {
    return (this.flags & HAVE_SENT) !== 0;
  }
  set haveSent(v: boolean) {
    this.flag(HAVE_SENT, v);
  }
  ourNextNs = 0;
  /** Nr of our latest control message: how far we acknowledged the peer. */
  ourLastNr = 0;
  private sentRecords: SentRecord[] | undefined = undefined;
  /** Next Ns expected in order from the peer, and the Ns received ahead of it (allocated while a hole is open). */
  peerExpected = 0;
  peerAhead: Set<number> | undefined = undefined;
  /** Since when a hole in the peer's Ns has been open (undefined: no hole). */
  gapSince: number | undefined = undefined;
  get gapReported(): boolean {
    return (this.flags & GAP_REPORTED) !== 0;
  }
  set gapReported(v: boolean) {
    this.flag(GAP_REPORTED, v);
  }
  /** The peer's recent messages, oldest first (at most MAX_COPIES; allocated on the first; peer-copies.ts). */
  private copies: CopyStore | undefined = undefined;
  /** Ns of the peer's StopCCN; whether the peer acknowledged ours. */
  peerStopNs: number | undefined = undefined;
  ourStopNs: number | undefined = undefined;
  get peerAckedOurStop(): boolean {
    return (this.flags & PEER_ACKED_STOP) !== 0;
  }
  set peerAckedOurStop(v: boolean) {
    this.flag(PEER_ACKED_STOP, v);
  }
  /** Whether we assigned any Session ID yet. */
  get assignedSessions(): boolean {
    return this.sessionIds !== undefined;
  }

  /** Whether we assigned Session ID `id` (in any message so far). */
  assignedSession(id: number): boolean {
    const ids = this.sessionIds;
    return ids === undefined ? false : typeof ids === 'number' ? ids === id : Array.isArray(ids) ? ids.includes(id) : ids.has(id);
  }

  /** Our messages the peer has not acknowledged yet, oldest first. */
  get outstanding(): readonly SentRecord[] {
    return this.sentRecords ?? NONE;
  }

  /** Earlier copy of the peer's message with this Ns, if it is a duplicate. */
  duplicateOf(m: ScannedMessage): PeerCopy | undefined {
    if (m.ns === undefined || m.isAck || !m.isControl) return undefined;
    return this.copy(m.ns);
  }

  private copy(ns: number): PeerCopy | undefined {
    return findCopy(this.copies, ns);
  }

  /** Forget the peer's messages whose last copy is a retransmission cycle old (§5.8: it gave up on them). */
  expire(now: number): void {
    this.copies = expireCopies(this.copies, now, this.ackTimeout);
  }

  /** Record a datagram from the peer (after the rules have looked at it). */
  applyReceived(m: ScannedMessage, now: number): void {
    const card = this.card;
    if (card !== undefined) {
      // Bounded: a stranger can invent 65536 message types.
      const counts = card.messages;
      const key = m.typeName in counts || Object.keys(counts).length < MAX_TYPE_NAMES ? m.typeName : 'other';
      counts[key] = (counts[key] ?? 0) + 1;
    }
    if (!m.isControl || m.ns === undefined || m.nr === undefined) return;
    this.version ??= m.version;
    this.ackUpTo(m.nr);
    if (m.isAck) return;
    const dup = this.copy(m.ns);
    if (dup !== undefined) {
      // O(1) per copy, however often a hostile peer repeats itself.
      const interval = now - dup.lastAt;
      if (dup.count >= 2 && interval >= dup.lastInterval * GROWTH) dup.grew = true;
      dup.lastInterval = interval;
      dup.lastAt = now;
      dup.count++;
      return;
    }
    if (card !== undefined) {
      for (const a of m.avps) {
        if (a.vendorId !== 0 || a.hidden) continue;
        if (a.type === AVP_HOST_NAME) card.hostName = text(a.value);
        if (a.type === AVP_VENDOR_NAME) card.vendorName = text(a.value);
      }
    }
    if (m.type === MessageType.StopCCN) this.peerStopNs ??= m.ns;
    this.expire(now);
    this.copies = addCopy(this.copies, MAX_COPIES, m.ns, m.typeName, m.end - 12, bodyHash(m.bytes, 12, m.end), now);
    // In-order delivery bookkeeping (§5.8): advance over everything received contiguously.
    if (m.ns === this.peerExpected) {
      this.peerExpected = seqAdd(this.peerExpected, 1);
      const ahead = this.peerAhead;
      if (ahead !== undefined) while (ahead.delete(this.peerExpected)) this.peerExpected = seqAdd(this.peerExpected, 1);
      if (ahead === undefined || ahead.size === 0) {
        this.peerAhead = undefined;
        this.gapSince = undefined;
        this.gapReported = false;
      }
    } else if (seqBefore(this.peerExpected, m.ns)) {
      const ahead = (this.peerAhead ??= new Set());
      if (ahead.size < MAX_AHEAD) ahead.add(m.ns);
      this.gapSince ??= now;
    }
  }

  /** Record a datagram we sent. */
  applySent(m: ScannedMessage, now: number): void {
    if (!m.isControl || m.ns === undefined || m.nr === undefined) return;
    this.version ??= m.version;
    this.ourLastNr = m.nr;
    if (m.isAck) return;
    if (this.haveSent && seqBefore(m.ns, this.ourNextNs)) return; // our own retransmission
    this.haveSent = true;
    this.ourNextNs = seqAdd(m.ns, 1);
    (this.sentRecords ??= []).push({ ns: m.ns, type: m.typeName, tunnelId: m.tunnelId, sessionId: m.sessionId, firstAt: now, reported: false });
    if (m.type === MessageType.StopCCN) this.ourStopNs = m.ns;
    for (const a of m.avps) {
      if (a.vendorId !== 0 || a.hidden || a.value.length < 2) continue;
      const v = u16(a.value, 0);
      if (a.type === AVP_ASSIGNED_TUNNEL_ID && this.ourTunnelId === undefined) {
        this.ourTunnelId = v;
        this.ourTunnelIdNs = m.ns;
      } else if (a.type === AVP_ASSIGNED_SESSION_ID) {
        this.noteSessionId(v);
      } else if (a.type === AVP_RECEIVE_WINDOW_SIZE && v > 0) {
        this.ourReceiveWindow = v;
      }
    }
  }

  private noteSessionId(id: number): void {
    const ids = this.sessionIds;
    if (ids === undefined) this.sessionIds = id;
    else if (typeof ids === 'number') {
      if (ids !== id) this.sessionIds = [ids, id];
    } else if (!Array.isArray(ids)) {
      if (ids.size < MAX_SESSION_IDS) ids.add(id);
    } else if (!ids.includes(id)) {
      // concat, not push: an array grown by push keeps ~16 spare slots.
      this.sessionIds = ids.length < FEW_SESSION_IDS ? ids.concat(id) : new Set(ids).add(id);
    }
  }

  /** The peer's Nr acknowledges every message of ours before it (§5.8). */
  private ackUpTo(nr: number): void {
    const out = this.sentRecords;
    if (out === undefined) return;
    while (out.length > 0 && seqBefore(out[0]!.ns, nr)) {
      const r = out.shift()!;
      if (r.ns === this.ourTunnelIdNs) this.ourTunnelIdAcked = true;
      if (r.ns === this.ourStopNs) this.peerAckedOurStop = true;
    }
    if (out.length === 0) this.sentRecords = undefined;
  }

  /** How many of our messages this Nr newly acknowledges. */
  newlyAcked(nr: number): number {
    let k = 0;
    for (const r of this.outstanding) {
      if (!seqBefore(r.ns, nr)) break;
      k++;
    }
    return k;
  }
}

function text(v: Uint8Array): string {
  let s = '';
  for (let i = 0; i < v.length && i < 256; i++) s += v[i]! >= 0x20 && v[i]! < 0x7f ? String.fromCharCode(v[i]!) : '?';
  return s;
}

function earliest(a: number | undefined, b: number): number {
  return a === undefined || b < a ? b : a;
}

/** A new connection's state at rest: where every observer starts. @internal */
export const AT_START: Rest = Object.freeze(new ConnectionState(0).rest()!);
