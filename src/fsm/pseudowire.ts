/**
 * The data plane of one L2TPv3 session over UDP (RFC 3931 §4.1.2.1, §4.5, §4.6; Ethernet
 * pseudowires: RFC 4719 §3): build the data message for a frame we send, and check each data
 * message we receive — Session ID, cookie, Default L2-Specific Sublayer and its sequence
 * numbers — before handing its frame on. Sans-I/O: bytes in, bytes or frames out; what the peer
 * got wrong is dropped and counted, never thrown.
 *
 * Who chose what (RFC 3931 §4.5, §5.4.4), seen from this end:
 * - Session ID: we put the peer's (its Local Session ID AVP) on what we send; what we receive
 *   carries ours.
 * - Cookie: "All data messages sent to a peer MUST use the Assigned Cookie sent by the peer", so
 *   the peer's Assigned Cookie goes on what we send, and what we receive must carry the cookie we
 *   assigned ("Any received data packets that contain invalid Session IDs or associated Cookie
 *   values MUST be dropped", §4.5).
 * - L2-Specific Sublayer and Data Sequencing: each LCCE says what it requires on the data it
 *   *receives* (AVPs 69 and 70). We send what the peer asked for and parse by what we asked for.
 */
import { u32 } from '../wire/bytes.js';
import { encodeHeader, parseHeader } from '../wire/header.js';
import { L2tpError } from '../wire/errors.js';
import { DEFAULT_L2SS_LENGTH, L2SS_SEQUENCE_MODULUS, readDefaultL2ss, writeDefaultL2ss } from '../wire/l2ss.js';
import { SequenceWindow } from './l2ss-sequence.js';

/** Pseudowire types this module frames (RFC 3931 §5.4.4, IANA "Pseudowire Types"). */
const ETHERNET_VLAN = 0x0004;
const ETHERNET = 0x0005;
/** Destination MAC, source MAC, EtherType: the shortest Ethernet frame without FCS (RFC 4719 §3.1). */
const ETHERNET_HEADER = 14;

/** What each side asked for at session setup; see {@link Pseudowire}. */
export interface PseudowireOptions {
  /** Our Session ID (our Local Session ID AVP): every data message we receive must carry it. 1…2^32−1. */
  localSessionId: number;
  /** The peer's Session ID (its Local Session ID AVP): written on every data message we send. 1…2^32−1. */
  remoteSessionId: number;
  /** The cookie we assigned (our Assigned Cookie AVP, 4 or 8 random bytes): what we receive must carry it. Default none. */
  localCookie?: Uint8Array;
  /** The peer's Assigned Cookie: written on every data message we send. Default none. */
  remoteCookie?: Uint8Array;
  /** Pseudowire Type (AVP 68): 5 Ethernet (default), 4 Ethernet VLAN, or any other (frames are then not inspected). */
  pseudowireType?: number;
  /** The L2-Specific Sublayer we asked for (our AVP 69): 0 none (default), 1 the default sublayer. */
  localL2SpecificSublayer?: 0 | 1;
  /** The L2-Specific Sublayer the peer asked for (its AVP 69): we write it on what we send. */
  remoteL2SpecificSublayer?: 0 | 1;
  /** The Data Sequencing level we asked for (our AVP 70): 0 none (default), 1 non-IP only, 2 all. */
  localDataSequencing?: 0 | 1 | 2;
  /** The Data Sequencing level the peer asked for (its AVP 70): which messages we number. */
  remoteDataSequencing?: 0 | 1 | 2;
  /** How many numbers from the expected one on count as new (RFC 3931 Appendix C). Default 2^23. */
  sequenceWindow?: number;
  /** Old packets in sequence among themselves that reset the expected number (Appendix C, "MUST be configurable"). Default 16. */
  resyncThreshold?: number;
}

/** Why {@link Pseudowire.receive} dropped a message. */
export type PseudowireDrop =
  /** Not an L2TPv3 data message this session can read: too short, another version, a control message. */
  | 'malformed'
  /** The Session ID is not ours (RFC 3931 §4.5). */
  | 'session'
  /** The cookie is wrong, or missing (RFC 3931 §4.5). */
  | 'cookie'
  /** Sequence number already received (RFC 3931 Appendix C: "old" or "duplicate"). */
  | 'duplicate'
  /** Sequence number behind the expected one, not seen before (Appendix C: "old"). */
  | 'out-of-order'
  /** The frame inside is shorter than an Ethernet header (RFC 4719 §3.1). */
  | 'runt';

/** What {@link Pseudowire.receive} made of one message. */
export type PseudowireReceipt =
  | {
      readonly ok: true;
      /** The tunnelled frame: a view into the received bytes (copy it to keep it). */
      readonly frame: Uint8Array;
      /** Its sequence number, when the sublayer carried a valid one. */
      readonly sequenceNumber: number | undefined;
    }
  | { readonly ok: false; readonly drop: PseudowireDrop };

/** Counters of one session's data plane. Plain numbers: survives JSON.stringify. */
export interface PseudowireStats {
  /** Data messages built by `send`, and how many carried a sequence number. */
  sent: number;
  sentSequenced: number;
  /** Data messages given to `receive`, and frames delivered from them. */
  received: number;
  delivered: number;
  /** Drops by reason (see {@link PseudowireDrop}). */
  droppedMalformed: number;
  droppedSession: number;
  droppedCookie: number;
  droppedDuplicate: number;
  droppedOutOfOrder: number;
  droppedRunt: number;
  /** Sequence numbers jumped over by a new packet: lost, or arriving later (and then dropped as out of order). */
  lost: number;
  /** Times a run of old packets reset the expected sequence number (Appendix C). */
  resyncs: number;
  /** Delivered without a valid sequence number although we asked for Data Sequencing level 2 (counted, still delivered). */
  receivedUnsequenced: number;
}

function checkId(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) throw new RangeError(`${what} must be a whole number in 1…4294967295 (RFC 3931 §4.1: non-zero, 32 bits), got ${String(v)}`);
}

function checkCookie(c: Uint8Array | undefined, what: string): void {
  if (c !== undefined && (!(c instanceof Uint8Array) || (c.length !== 0 && c.length !== 4 && c.length !== 8))) {
    throw new RangeError(`${what} must be a Uint8Array of 0, 4 or 8 bytes (RFC 3931 §5.4.4), got ${c instanceof Uint8Array ? `${c.length} bytes` : typeof c}`);
  }
}

/**
 * Whether an Ethernet frame carries IP (IPv4 0x0800, IPv6 0x86DD), looking through one 802.1Q or
 * 802.1ad tag: Data Sequencing level 1 leaves exactly these unsequenced (RFC 3931 §5.4.4).
 */
function carriesIp(frame: Uint8Array): boolean {
  let o = 12;
  let type = (frame[o]! << 8) | frame[o + 1]!;
  if ((type === 0x8100 || type === 0x88a8) && frame.length >= 18) {
    o += 4;
    type = (frame[o]! << 8) | frame[o + 1]!;
  }
  return type === 0x0800 || type === 0x86dd;
}

/**
 * One L2TPv3 session's data plane over UDP: `send(frame)` gives the datagram to transmit,
 * `receive(datagram)` gives the frame back or says why it was dropped. The control plane fills
 * the options from the session's AVPs (RFC 3931 §5.4.4); the numbers of `stats` are JSON-safe.
 *
 * @example
 * ```ts
 * const cookieA = Uint8Array.of(1, 2, 3, 4), cookieB = Uint8Array.of(5, 6, 7, 8, 9, 10, 11, 12);
 * const a = new Pseudowire({ localSessionId: 1, remoteSessionId: 2, localCookie: cookieA, remoteCookie: cookieB, localL2SpecificSublayer: 1, remoteL2SpecificSublayer: 1, localDataSequencing: 2, remoteDataSequencing: 2 });
 * const b = new Pseudowire({ localSessionId: 2, remoteSessionId: 1, localCookie: cookieB, remoteCookie: cookieA, localL2SpecificSublayer: 1, remoteL2SpecificSublayer: 1, localDataSequencing: 2, remoteDataSequencing: 2 });
 * const frame = new Uint8Array(60); // an Ethernet frame, no FCS
 * const r = b.receive(a.send(frame));
 * if (r.ok) console.log(r.frame.length, r.sequenceNumber); // 60 0
 * ```
 */
export class Pseudowire {
  private readonly o: Required<Omit<PseudowireOptions, 'localCookie' | 'remoteCookie'>>;
  private readonly localCookie: Uint8Array | undefined;
  private readonly remoteCookie: Uint8Array | undefined;
  private readonly headerLength: number;
  private readonly window: SequenceWindow;
  private ns = 0;
  private readonly counts: PseudowireStats = {
    sent: 0,
    sentSequenced: 0,
    received: 0,
    delivered: 0,
    droppedMalformed: 0,
    droppedSession: 0,
    droppedCookie: 0,
    droppedDuplicate: 0,
    droppedOutOfOrder: 0,
    droppedRunt: 0,
    lost: 0,
    resyncs: 0,
    receivedUnsequenced: 0,
  };

  /** @throws `RangeError` for a Session ID out of 1…2^32−1, a cookie not 0/4/8 bytes, or another out-of-range option. */
  constructor(options: PseudowireOptions) {
    checkId(options.localSessionId, 'localSessionId');
    checkId(options.remoteSessionId, 'remoteSessionId');
    checkCookie(options.localCookie, 'localCookie');
    checkCookie(options.remoteCookie, 'remoteCookie');
    this.o = {
      localSessionId: options.localSessionId,
      remoteSessionId: options.remoteSessionId,
      pseudowireType: options.pseudowireType ?? ETHERNET,
      localL2SpecificSublayer: options.localL2SpecificSublayer ?? 0,
      remoteL2SpecificSublayer: options.remoteL2SpecificSublayer ?? 0,
      localDataSequencing: options.localDataSequencing ?? 0,
      remoteDataSequencing: options.remoteDataSequencing ?? 0,
      sequenceWindow: options.sequenceWindow ?? L2SS_SEQUENCE_MODULUS / 2,
      resyncThreshold: options.resyncThreshold ?? 16,
    };
    for (const k of ['localL2SpecificSublayer', 'remoteL2SpecificSublayer'] as const) {
      if (this.o[k] !== 0 && this.o[k] !== 1) throw new RangeError(`${k} must be 0 (none) or 1 (the Default L2-Specific Sublayer, RFC 3931 §5.4.4), got ${String(this.o[k])}`);
    }
    for (const k of ['localDataSequencing', 'remoteDataSequencing'] as const) {
      if (this.o[k] !== 0 && this.o[k] !== 1 && this.o[k] !== 2) throw new RangeError(`${k} must be 0, 1 or 2 (RFC 3931 §5.4.4), got ${String(this.o[k])}`);
    }
    // §5.4.4: "Data sequencing may only be requested when there is an L2-Specific Sublayer present".
    if (this.o.localDataSequencing !== 0 && this.o.localL2SpecificSublayer === 0) throw new RangeError('localDataSequencing needs localL2SpecificSublayer: 1 (RFC 3931 §5.4.4; the peer would disconnect with Result Code 15)');
    if (this.o.remoteDataSequencing !== 0 && this.o.remoteL2SpecificSublayer === 0) throw new RangeError('remoteDataSequencing needs remoteL2SpecificSublayer: 1 (RFC 3931 §5.4.4: disconnect with Result Code 15)');
    if (!Number.isInteger(this.o.sequenceWindow) || this.o.sequenceWindow < 1 || this.o.sequenceWindow > L2SS_SEQUENCE_MODULUS / 2) throw new RangeError(`sequenceWindow must be a whole number in 1…8388608 (2^23), got ${String(this.o.sequenceWindow)}`);
    if (!Number.isInteger(this.o.resyncThreshold) || this.o.resyncThreshold < 1) throw new RangeError(`resyncThreshold must be a whole number ≥ 1, got ${String(this.o.resyncThreshold)}`);
    this.localCookie = options.localCookie?.length ? options.localCookie.slice() : undefined;
    this.remoteCookie = options.remoteCookie?.length ? options.remoteCookie.slice() : undefined;
    this.headerLength = 8 + (this.remoteCookie?.length ?? 0) + (this.o.remoteL2SpecificSublayer ? DEFAULT_L2SS_LENGTH : 0);
    this.window = new SequenceWindow(this.o.sequenceWindow, this.o.resyncThreshold);
  }

  private get ethernet(): boolean {
    return this.o.pseudowireType === ETHERNET || this.o.pseudowireType === ETHERNET_VLAN;
  }

  /**
   * Build the data message carrying `frame` (for Ethernet: the frame without preamble and FCS,
   * RFC 4719 §3.1). Returns a new array the caller owns.
   * @throws `TypeError` when `frame` is not a Uint8Array; `RangeError` for an Ethernet frame
   *   under 14 bytes or a message over 65535 bytes.
   */
  send(frame: Uint8Array): Uint8Array {
    if (!(frame instanceof Uint8Array)) throw new TypeError('frame must be a Uint8Array');
    if (this.ethernet && frame.length < ETHERNET_HEADER) throw new RangeError(`an Ethernet frame is at least 14 bytes (addresses and EtherType, no FCS: RFC 4719 §3.1), got ${frame.length}`);
    const size = this.headerLength + frame.length;
    if (size > 0xffff) throw new RangeError(`data message would be ${size} bytes, more than one UDP datagram holds`);
    const b = new Uint8Array(size);
    encodeHeader({ version: 3, isControl: false, sessionId: this.o.remoteSessionId, cookie: this.remoteCookie }, b, 0);
    if (this.o.remoteL2SpecificSublayer) {
      // §5.4.4 level 1: IP goes unsequenced; a frame we cannot classify is sequenced (level 2).
      const level = this.o.remoteDataSequencing;
      const numbered = level === 2 || (level === 1 && !(this.ethernet && carriesIp(frame)));
      let seq: number | undefined;
      if (numbered) {
        seq = this.ns;
        this.ns = (this.ns + 1) % L2SS_SEQUENCE_MODULUS;
        this.counts.sentSequenced++;
      }
      writeDefaultL2ss(b, this.headerLength - DEFAULT_L2SS_LENGTH, seq);
    }
    b.set(frame, this.headerLength);
    this.counts.sent++;
    return b;
  }

  /**
   * Check one received data message and give its frame, or the reason it was dropped (each
   * drop is counted in {@link stats}). Never throws for what the peer sent.
   * @throws `TypeError` only when `datagram` is not a Uint8Array (our caller's mistake).
   */
  receive(datagram: Uint8Array): PseudowireReceipt {
    if (!(datagram instanceof Uint8Array)) throw new TypeError('datagram must be a Uint8Array');
    this.counts.received++;
    const cookieLength = (this.localCookie?.length ?? 0) as 0 | 4 | 8;
    let headerLength: number;
    try {
      const h = parseHeader(datagram, { cookieLength });
      if (h.version !== 3 || h.isControl) return this.drop('malformed');
      if (h.sessionId !== this.o.localSessionId) return this.drop('session');
      headerLength = h.headerLength;
    } catch (e) {
      if (!(e instanceof L2tpError)) throw e;
      if (e.code === 'BAD_SESSION_ID') return this.drop('session');
      // The 8 fixed bytes are there but not our whole cookie: §4.5 looks the session up first.
      if (e.code === 'TRUNCATED' && datagram.length >= 8) return this.drop(u32(datagram, 4) === this.o.localSessionId ? 'cookie' : 'session');
      return this.drop('malformed');
    }
    if (this.localCookie && !sameBytes(datagram, 8, this.localCookie)) return this.drop('cookie');
    let sequenceNumber: number | undefined;
    let payloadStart = headerLength;
    if (this.o.localL2SpecificSublayer) {
      if (datagram.length < headerLength + DEFAULT_L2SS_LENGTH) return this.drop('malformed');
      // §5.4.4 level 0: "If sequence numbers are sent, they will be ignored upon receipt."
      const l2ss = readDefaultL2ss(datagram, headerLength);
      payloadStart += DEFAULT_L2SS_LENGTH;
      if (this.o.localDataSequencing !== 0 && l2ss.sequenceNumber !== undefined) {
        const v = this.window.check(l2ss.sequenceNumber);
        if (!v.accept) return this.drop(v.duplicate ? 'duplicate' : 'out-of-order');
        this.counts.lost += v.skipped;
        if (v.resynchronised) this.counts.resyncs++;
        sequenceNumber = l2ss.sequenceNumber;
      } else if (this.o.localDataSequencing === 2) {
        // Level 2: "all traffic MUST be sequenced"; delivered anyway (the RFC names no drop), counted.
        this.counts.receivedUnsequenced++;
      }
    }
    const frame = datagram.subarray(payloadStart);
    if (this.ethernet && frame.length < ETHERNET_HEADER) return this.drop('runt');
    this.counts.delivered++;
    return { ok: true, frame, sequenceNumber };
  }

  /** The counters so far: a fresh plain object, safe to log or JSON.stringify. */
  get stats(): PseudowireStats {
    return { ...this.counts };
  }

  private drop(drop: PseudowireDrop): PseudowireReceipt {
    const key = ({ malformed: 'droppedMalformed', session: 'droppedSession', cookie: 'droppedCookie', duplicate: 'droppedDuplicate', 'out-of-order': 'droppedOutOfOrder', runt: 'droppedRunt' } as const)[drop];
    this.counts[key]++;
    return { ok: false, drop };
  }
}

/** Whether `b[at…]` starts with `expected` (a plain compare: the cookie is not a secret MAC, §8.2). */
function sameBytes(b: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (b[at + i] !== expected[i]) return false;
  return true;
}
