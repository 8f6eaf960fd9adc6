/**
 * What the observer remembers about one control connection, and how each datagram updates it.
 * Rules read this state as it was *before* the datagram; the observer applies the datagram after.
 */
import { u16 } from '../wire/bytes.js';
import { MessageType } from '../wire/message-catalog.js';
import { seqAdd, seqBefore } from '../reliable/serial.js';
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

/** A message of the peer's, kept to recognise its retransmissions. @internal */
export interface PeerCopy {
  readonly ns: number;
  readonly type: string;
  /** Everything after Ns/Nr: the AVPs. A retransmission repeats them byte for byte. */
  readonly body: Uint8Array;
  /** How many copies arrived so far (1: only the original). */
  count: number;
  /** When the latest copy arrived. */
  lastAt: number;
  /** Interval between the last two copies (0 before the first retransmission). */
  lastInterval: number;
  /** Whether the retransmission interval ever grew (exponential backoff seen). */
  grew: boolean;
  /** Timing rules already reported for this Ns (each once). */
  readonly reported: Set<string>;
}

/** How many of the peer's messages are kept for duplicate detection (memory stays bounded). */
const MAX_COPIES = 64;
const AVP_ASSIGNED_TUNNEL_ID = 9;
const AVP_RECEIVE_WINDOW_SIZE = 10;
const AVP_ASSIGNED_SESSION_ID = 14;
const AVP_HOST_NAME = 7;
const AVP_VENDOR_NAME = 8;
const MAX_SESSION_IDS = 4096;
/** Most Ns remembered ahead of a hole (a window is at most 32768; real ones are 4 to 64). */
const MAX_AHEAD = 1024;
/** Most distinct message type names counted in the report; the rest under `other`. */
const MAX_TYPE_NAMES = 64;
/** An interval "grows" when it is at least this much longer than the one before. */
export const GROWTH = 1.25;

/** The observer's memory of one control connection. @internal */
export class ConnectionState {
  /** Version of the first message seen (2 or 3). */
  version: number | undefined = undefined;
  /** The Tunnel ID we assigned (our Assigned Tunnel ID AVP) and the Ns of the message carrying it. */
  ourTunnelId: number | undefined = undefined;
  ourTunnelIdNs: number | undefined = undefined;
  /** True once the peer acknowledged that message: from then on it must address us by it. */
  ourTunnelIdAcked = false;
  /** Session IDs we assigned (Assigned Session ID in our ICRQ/ICRP/OCRQ/OCRP). */
  readonly ourSessionIds = new Set<number>();
  /** Our advertised Receive Window Size (RFC 2661 §5.8: 4 when we sent none). */
  ourReceiveWindow = 4;
  /** Whether we sent any non-ZLB control message yet, and the Ns our next one will carry. */
  haveSent = false;
  ourNextNs = 0;
  /** Nr of our latest control message: how far we acknowledged the peer. */
  ourLastNr = 0;
  /** Our messages the peer has not acknowledged yet, oldest first. */
  readonly outstanding: SentRecord[] = [];
  /** Next Ns expected in order from the peer, and the Ns received ahead of it. */
  peerExpected = 0;
  readonly peerAhead = new Set<number>();
  /** Since when a hole in the peer's Ns has been open (undefined: no hole). */
  gapSince: number | undefined = undefined;
  gapReported = false;
  readonly copies = new Map<number, PeerCopy>();
  /** Ns of the peer's StopCCN; whether the peer acknowledged ours. */
  peerStopNs: number | undefined = undefined;
  ourStopNs: number | undefined = undefined;
  peerAckedOurStop = false;
  peerHostName: string | undefined = undefined;
  peerVendorName: string | undefined = undefined;
  readonly peerMessages: Record<string, number> = Object.create(null) as Record<string, number>;

  /** Earlier copy of the peer's message with this Ns, if it is a duplicate. */
  duplicateOf(m: ScannedMessage): PeerCopy | undefined {
    if (m.ns === undefined || m.isAck || !m.isControl) return undefined;
    return this.copies.get(m.ns);
  }

  /** Record a datagram from the peer (after the rules have looked at it). */
  applyReceived(m: ScannedMessage, now: number): void {
    // Bounded: a stranger can invent 65536 message types.
    const key = m.typeName in this.peerMessages || Object.keys(this.peerMessages).length < MAX_TYPE_NAMES ? m.typeName : 'other';
    this.peerMessages[key] = (this.peerMessages[key] ?? 0) + 1;
    if (!m.isControl || m.ns === undefined || m.nr === undefined) return;
    this.version ??= m.version;
    this.ackUpTo(m.nr);
    if (m.isAck) return;
    const dup = this.copies.get(m.ns);
    if (dup !== undefined) {
      // O(1) per copy, however often a hostile peer repeats itself.
      const interval = now - dup.lastAt;
      if (dup.count >= 2 && interval >= dup.lastInterval * GROWTH) dup.grew = true;
      dup.lastInterval = interval;
      dup.lastAt = now;
      dup.count++;
      return;
    }
    for (const a of m.avps) {
      if (a.vendorId !== 0 || a.hidden) continue;
      if (a.type === AVP_HOST_NAME) this.peerHostName = text(a.value);
      if (a.type === AVP_VENDOR_NAME) this.peerVendorName = text(a.value);
    }
    if (m.type === MessageType.StopCCN) this.peerStopNs ??= m.ns;
    this.copies.set(m.ns, { ns: m.ns, type: m.typeName, body: m.bytes.slice(12, m.end), count: 1, lastAt: now, lastInterval: 0, grew: false, reported: new Set() });
    if (this.copies.size > MAX_COPIES) this.copies.delete(this.copies.keys().next().value!);
    // In-order delivery bookkeeping (§5.8): advance over everything received contiguously.
    if (m.ns === this.peerExpected) {
      this.peerExpected = seqAdd(this.peerExpected, 1);
      while (this.peerAhead.delete(this.peerExpected)) this.peerExpected = seqAdd(this.peerExpected, 1);
      if (this.peerAhead.size === 0) {
        this.gapSince = undefined;
        this.gapReported = false;
      }
    } else if (seqBefore(this.peerExpected, m.ns)) {
      if (this.peerAhead.size < MAX_AHEAD) this.peerAhead.add(m.ns);
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
    this.outstanding.push({ ns: m.ns, type: m.typeName, tunnelId: m.tunnelId, sessionId: m.sessionId, firstAt: now, reported: false });
    if (m.type === MessageType.StopCCN) this.ourStopNs = m.ns;
    for (const a of m.avps) {
      if (a.vendorId !== 0 || a.hidden || a.value.length < 2) continue;
      const v = u16(a.value, 0);
      if (a.type === AVP_ASSIGNED_TUNNEL_ID && this.ourTunnelId === undefined) {
        this.ourTunnelId = v;
        this.ourTunnelIdNs = m.ns;
      } else if (a.type === AVP_ASSIGNED_SESSION_ID && this.ourSessionIds.size < MAX_SESSION_IDS) {
        this.ourSessionIds.add(v);
      } else if (a.type === AVP_RECEIVE_WINDOW_SIZE && v > 0) {
        this.ourReceiveWindow = v;
      }
    }
  }

  /** The peer's Nr acknowledges every message of ours before it (§5.8). */
  private ackUpTo(nr: number): void {
    while (this.outstanding.length > 0 && seqBefore(this.outstanding[0]!.ns, nr)) {
      const r = this.outstanding.shift()!;
      if (r.ns === this.ourTunnelIdNs) this.ourTunnelIdAcked = true;
      if (r.ns === this.ourStopNs) this.peerAckedOurStop = true;
    }
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
