/**
 * The L2TPv3 row of the session speech (RFC 3931 §3.4, §5.4.4, §5.4.5, §6.6–§6.14): 32-bit
 * Session IDs carried as Local Session ID (the sender's) and Remote Session ID (the receiver's;
 * 0 in ICRQ/OCRQ) AVPs, a Pseudowire Type from the peer's capabilities, Remote End ID, a random
 * Assigned Cookie of 0/4/8 bytes, the L2-Specific Sublayer and Data Sequencing each side requires
 * on the data it receives, and Circuit Status. No Bearer/Framing, no ACCM.
 * @internal
 */
import { assertBytes, assertInt } from '../wire/bytes.js';
import type { ControlMessage, ControlMessageInit } from '../wire/control.js';
import { CdnResult, GeneralError } from '../wire/result-codes.js';
import { encodeUtf8, utf8Length } from '../wire/utf8.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import { randomId32 } from './checks.js';
import { DataSequence } from './data-sequencing.js';
import { encodeV3 } from './dialect-v3.js';
import type { ResolvedTunnelOptions } from './options.js';
import { DEFAULT_CONNECT_SPEED, type Session, type SessionSpeech } from './session-speech.js';
import type { PseudowireCallOptions } from './types.js';

/** Message types (RFC 3931 §3.1). */
const OCRQ = 7;
const OCRP = 8;
const OCCN = 9;
const ICRQ = 10;
const ICRP = 11;
const ICCN = 12;
const CDN = 14;
const WEN = 15;
const SLI = 16;

/** CDN Result Codes of RFC 3931 §5.4.2 (the RFC 2661 ones stay). */
export const V3CdnResult = {
  /** Session not established due to losing tie breaker. */
  LostTie: 13,
  /** Session not established due to unsupported PW type. */
  UnsupportedPwType: 14,
  /** Session not established, sequencing required without valid L2-Specific Sublayer. */
  SequencingWithoutL2ss: 15,
} as const;

/** Data Sequencing value meaning "all data sequenced" (§5.4.4). */
const SEQUENCE_ALL = 2 as const;
/** Circuit Status bits (§5.4.5): Active and New. */
const ACTIVE_NEW = 3;

function utf8(text: string): Uint8Array {
  const b = new Uint8Array(utf8Length(text));
  encodeUtf8(text, b, 0);
  return b;
}

function l2ssValue(v: 'none' | 'default' | undefined, fallback: 0 | 1): 0 | 1 {
  if (v === undefined) return fallback;
  if (v === 'none') return 0;
  if (v === 'default') return 1;
  throw new TypeError(`l2SpecificSublayer must be 'none' or 'default' (RFC 3931 §4.6), got ${String(v)}`);
}

function cookie(o: ResolvedTunnelOptions, length: number | undefined): Uint8Array {
  const n = length ?? o.cookieLength;
  if (n !== 0 && n !== 4 && n !== 8) throw new RangeError(`cookieLength must be 0, 4 or 8 (RFC 3931 §4.1, §5.4.4), got ${String(n)}`);
  return n === 0 ? new Uint8Array(0) : o.random(n).slice();
}

/** The AVPs of our side of the pseudowire, in every message that may carry them (§6.6–§6.11). */
function ours(s: Session): Partial<ControlMessageInit> {
  const pw = s.pw!;
  const f: Partial<ControlMessageInit> = { localSessionId: s.localId, remoteSessionId: s.peerId };
  if (pw.localCookie.length !== 0) f.assignedCookie = pw.localCookie;
  if (pw.localL2SpecificSublayer !== 0) f.l2SpecificSublayer = pw.localL2SpecificSublayer;
  if (pw.localDataSequencing !== 0) f.dataSequencing = pw.localDataSequencing;
  return f;
}

/** The peer's side: its ID, cookie, L2SS, sequencing and circuit status, as its message says. */
function theirs(s: Session, m: ControlMessage): void {
  const pw = s.pw!;
  if (m.assignedCookie !== undefined) pw.remoteCookie = m.assignedCookie.slice();
  // Values outside these are refused first (sublayerProblem).
  if (m.l2SpecificSublayer !== undefined) pw.remoteL2SpecificSublayer = m.l2SpecificSublayer as 0 | 1;
  if (m.dataSequencing !== undefined) pw.remoteDataSequencing = m.dataSequencing as 0 | 1 | 2;
  if (m.circuitStatus !== undefined) pw.remoteCircuitStatus = m.circuitStatus;
}

/**
 * What the peer asks of our data that we cannot do: a sublayer other than none or the default
 * (§4.6; e.g. the ATM one, RFC 4454), a Data Sequencing level above 2 (§5.4.4), or sequencing
 * without a sublayer with room for a sequence number (CDN 15).
 */
function sequencingProblem(dataSequencing: number | undefined, l2ss: number | undefined): ResultCodeValue | undefined {
  if (l2ss !== undefined && l2ss > 1) return { result: CdnResult.GeneralError, error: GeneralError.OutOfRange, message: `L2-Specific Sublayer type ${l2ss}: only none (0) and the default (1) are supported (RFC 3931 §4.6)` };
  if (dataSequencing !== undefined && dataSequencing > 2) return { result: CdnResult.GeneralError, error: GeneralError.OutOfRange, message: `Data Sequencing level ${dataSequencing}: 0, 1 or 2 (RFC 3931 §5.4.4)` };
  if ((dataSequencing ?? 0) === 0 || (l2ss ?? 0) !== 0) return undefined;
  return { result: V3CdnResult.SequencingWithoutL2ss, error: GeneralError.NoError, message: 'Data Sequencing required without an L2-Specific Sublayer to carry it (RFC 3931 §5.4.4)' };
}

function newPw(o: ResolvedTunnelOptions, localId: number, peerId: number, pwType: number, remoteEndId: Uint8Array, call: Partial<PseudowireCallOptions>): NonNullable<Session['pw']> {
  const sequencing: 0 | 2 = o.dataSequencing === 'required' ? SEQUENCE_ALL : 0;
  const l2ss = l2ssValue(call.l2SpecificSublayer ?? (sequencing !== 0 ? 'default' : o.l2SpecificSublayer), 0);
  if (sequencing !== 0 && l2ss === 0) throw new TypeError("dataSequencing 'required' needs the default L2-Specific Sublayer (RFC 3931 §4.6): l2SpecificSublayer 'default'");
  const circuitStatus = call.circuitStatus ?? ACTIVE_NEW;
  assertInt(circuitStatus, 0, 0xffff, 'call.circuitStatus');
  return {
    localSessionId: localId,
    remoteSessionId: peerId,
    pseudowireType: pwType,
    remoteEndId,
    localCookie: cookie(o, call.cookieLength),
    remoteCookie: new Uint8Array(0),
    localL2SpecificSublayer: l2ss,
    remoteL2SpecificSublayer: 0,
    localDataSequencing: sequencing,
    remoteDataSequencing: 0,
    circuitStatus,
  };
}

/** @internal The RFC 3931 row. */
export const SESSION_V3: SessionSpeech = {
  version: 3,
  allocate: (o, taken) => randomId32(o.random, taken),
  ourIdIn: (m) => m.remoteSessionId ?? 0,
  peerIdIn: (m) => m.localSessionId,
  peerIdAvp: 'Local Session ID',
  request(h, o, call, localId, serial) {
    if (!('remoteEndId' in call)) throw new TypeError('an L2TPv3 session is a pseudowire: pass { kind, remoteEndId, pseudowireType? } (RFC 3931 §6.6, §6.9)');
    const c = call as PseudowireCallOptions;
    if (c.kind !== 'incoming' && c.kind !== 'outgoing') throw new TypeError(`call.kind must be 'incoming' or 'outgoing', got ${String(c.kind)}`);
    const remoteEndId = typeof c.remoteEndId === 'string' ? utf8(c.remoteEndId) : c.remoteEndId;
    assertBytes(remoteEndId, 'call.remoteEndId');
    const pwType = c.pseudowireType ?? 5;
    assertInt(pwType, 1, 0xffff, 'call.pseudowireType');
    const caps = h.peer()?.pseudowireCapabilities;
    if (caps !== undefined && !caps.includes(pwType)) {
      throw new RangeError(`call.pseudowireType ${pwType} is not in the peer's Pseudowire Capabilities List (${caps.join(', ')}); pick one it supports (RFC 3931 §5.4.3)`);
    }
    const tie = c.tieBreaker === true ? o.random(8) : c.tieBreaker === false ? undefined : c.tieBreaker;
    if (tie !== undefined && (!(tie instanceof Uint8Array) || tie.length !== 8)) throw new RangeError('call.tieBreaker must be a boolean or 8 bytes (RFC 3931 §5.4.4 Session Tie Breaker)');
    const incoming = c.kind === 'incoming';
    // An ICRQ's sender is the LAC of the call, an OCRQ's the LNS (data sequencing roles, §5.4 of RFC 2661).
    const seq = new DataSequence(incoming, o.dataSequencing);
    const pw = newPw(o, localId, 0, pwType, remoteEndId, c);
    if (tie !== undefined) pw.tieBreaker = tie.slice();
    const session: Session = { localId, peerId: 0, kind: c.kind, origin: 'local', state: 'idle', deadline: Infinity, call: { callSerialNumber: serial }, seq, pw };
    const f = { ...ours(session), callSerialNumber: serial, pseudowireType: pwType, remoteEndId, tieBreaker: tie };
    const bytes = incoming
      ? encodeV3(h.core(), { type: ICRQ, ...f, circuitStatus: pw.circuitStatus })
      : encodeV3(h.core(), { type: OCRQ, ...f });
    return { bytes, session };
  },
  refusal(m, o) {
    const pwType = m.pseudowireType;
    if (pwType === undefined || !o.pseudowireCapabilities.includes(pwType)) {
      const supported = o.pseudowireCapabilities.join(', ');
      const message = pwType === undefined ? `no Pseudowire Type (RFC 3931 §6.6 requires one; we support ${supported})` : `Pseudowire Type ${pwType} is not one we support (${supported})`;
      return { result: V3CdnResult.UnsupportedPwType, error: GeneralError.NoError, message };
    }
    if ((m.remoteSessionId ?? 0) !== 0) return { result: CdnResult.GeneralError, error: GeneralError.OutOfRange, message: `${m.typeName} with Remote Session ID ${m.remoteSessionId}: it must be 0 in a request (RFC 3931 §5.4.4)` };
    return sequencingProblem(m.dataSequencing, m.l2SpecificSublayer);
  },
  accept(_h, o, m, localId, peerId) {
    const incoming = m.type === ICRQ;
    const seq = new DataSequence(!incoming, o.dataSequencing);
    // A lenient LCCE may take a request without the Remote End ID §6.6 requires: it names no circuit.
    const pw = newPw(o, localId, peerId, m.pseudowireType!, m.remoteEndId?.slice() ?? new Uint8Array(0), {});
    const s: Session = { localId, peerId, kind: incoming ? 'incoming' : 'outgoing', origin: 'peer', state: 'idle', deadline: Infinity, call: m.callSerialNumber === undefined ? {} : { callSerialNumber: m.callSerialNumber }, seq, pw };
    theirs(s, m);
    return s;
  },
  noteReply(s, m) {
    const problem = sequencingProblem(m.dataSequencing, m.l2SpecificSublayer);
    if (problem !== undefined) return problem;
    theirs(s, m);
    s.pw!.remoteSessionId = s.peerId;
    return sequencingProblem(m.dataSequencing, m.l2SpecificSublayer);
  },
  icrp: (h, s) => encodeV3(h.core(), { type: ICRP, ...ours(s), circuitStatus: s.pw!.circuitStatus }),
  ocrp: (h, s) => encodeV3(h.core(), { type: OCRP, ...ours(s), circuitStatus: s.pw!.circuitStatus }),
  occn(h, s) {
    s.call = { ...s.call, txConnectSpeed: DEFAULT_CONNECT_SPEED };
    return encodeV3(h.core(), { type: OCCN, localSessionId: s.localId, remoteSessionId: s.peerId });
  },
  iccn: (h, s) => encodeV3(h.core(), { type: ICCN, localSessionId: s.localId, remoteSessionId: s.peerId }),
  cdn: (h, s, result, cause) => encodeV3(h.core(), { type: CDN, resultCode: result, localSessionId: s.localId, remoteSessionId: s.peerId, q931CauseCode: cause }),
  wen: (h, s, callErrors) => encodeV3(h.core(), { type: WEN, localSessionId: s.localId, remoteSessionId: s.peerId, callErrors }),
  sli(h, s, e) {
    if (e.circuitStatus === undefined) throw new TypeError('sendSli on an L2TPv3 tunnel needs circuitStatus (RFC 3931 §6.14, §5.4.5: 1 Active, 2 New)');
    assertInt(e.circuitStatus, 0, 0xffff, 'circuitStatus');
    s.pw!.circuitStatus = e.circuitStatus;
    return encodeV3(h.core(), { type: SLI, localSessionId: s.localId, remoteSessionId: s.peerId, circuitStatus: e.circuitStatus });
  },
  onSli(h, s, m) {
    if (m.circuitStatus === undefined) return;
    s.pw!.remoteCircuitStatus = m.circuitStatus;
    h.emit({ type: 'circuit-status', sessionId: s.localId, circuitStatus: m.circuitStatus });
  },
};
