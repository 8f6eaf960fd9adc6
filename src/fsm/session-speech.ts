/**
 * What the sessions of an L2TPv2 and of an L2TPv3 control connection say differently, as one row
 * per version (the session transition table and the message rules are shared): how a session
 * message names its session (v2: the header Session ID and Assigned Session ID, RFC 2661 §6.6;
 * v3: the Remote and Local Session ID AVPs, RFC 3931 §5.4.4), the AVPs of each session message,
 * and what makes a request unacceptable. The v2 row is the RFC 2661 §6.6–§6.14 builders.
 * @internal
 */
import { cdn, iccn, icrp, icrq, occn, ocrp, ocrq, sli, wen } from '../wire/builders.js';
import type { ControlMessage } from '../wire/control.js';
import type { CallErrorsValue, Q931CauseValue, ResultCodeValue } from '../wire/value-codecs.js';
import { incomingFraming, ocrqRefusal, outgoingTypes } from './capabilities.js';
import { randomId16 } from './checks.js';
import { DataSequence } from './data-sequencing.js';
import type { L2tpVersion } from './message-rules.js';
import type { ResolvedTunnelOptions } from './options.js';
import type { SessionHost } from './sessions.js';
import type { CallInfo, CallOptions, PseudowireInfo, SessionState, TunnelEvent } from './types.js';
import { assertInt } from '../wire/bytes.js';
import type { Mutable } from './tunnel-core.js';

/** One call. @internal */
export interface Session {
  readonly localId: number;
  peerId: number;
  readonly kind: 'incoming' | 'outgoing';
  readonly origin: 'local' | 'peer';
  state: SessionState;
  /**
   * While waiting for the peer (wait-reply, wait-connect): when the call is given up; read only
   * then. 0 otherwise (a small integer: `Infinity` here boxed a 16 B number per session, issue 16).
   */
  deadline: number;
  call: CallInfo;
  /** Data channel sequencing (RFC 2661 §5.4). */
  readonly seq: DataSequence;
  /** For an incoming call we placed: what our ICCN says. */
  readonly iccn?: { txConnectSpeed: number; framingType: number; rxConnectSpeed?: number };
  /** v3: the pseudowire (RFC 3931 §5.4.4). */
  readonly pw?: Mutable<PseudowireInfo> & { circuitStatus: number; tieBreaker?: Uint8Array };
}

/** Default (Tx) Connect Speed we report in ICCN/OCCN: 10 Mb/s (any value is legal, §4.4.5). */
export const DEFAULT_CONNECT_SPEED = 10_000_000;

/** The SLI to send: v2 an ACCM, v3 a Circuit Status. */
export type SliEvent = Extract<TunnelEvent, { type: 'sendSli' }>;

/** @internal One version's row. */
export interface SessionSpeech {
  readonly version: L2tpVersion;
  allocate(o: ResolvedTunnelOptions, taken: (id: number) => boolean): number;
  /** Our Session ID a received session message names (0: none, as in an ICRQ/OCRQ). */
  ourIdIn(m: ControlMessage): number;
  /** The peer's own Session ID a received message carries (Assigned / Local Session ID). */
  peerIdIn(m: ControlMessage): number | undefined;
  /** The name of the AVP {@link peerIdIn} reads, for error messages. */
  readonly peerIdAvp: string;
  /** Our ICRQ/OCRQ for a local `open`, and the session it starts. @throws RangeError/TypeError for bad call options. */
  request(h: SessionHost, o: ResolvedTunnelOptions, call: CallOptions, localId: number, serial: number): { bytes: Uint8Array; session: Session };
  /** A version's reason to refuse the peer's ICRQ/OCRQ (CDN result), or undefined. */
  refusal(m: ControlMessage, o: ResolvedTunnelOptions): ResultCodeValue | undefined;
  /** The session the peer's ICRQ/OCRQ starts (our ID chosen). */
  accept(h: SessionHost, o: ResolvedTunnelOptions, m: ControlMessage, localId: number, peerId: number): Session;
  /** Take the peer's ICRP/OCRP/ICCN/OCCN into the session: a CDN result when it is unacceptable. */
  noteReply(s: Session, m: ControlMessage): ResultCodeValue | undefined;
  icrp(h: SessionHost, s: Session): Uint8Array;
  ocrp(h: SessionHost, s: Session): Uint8Array;
  /** Our OCCN answering the peer's OCRQ `m` (we place the call at once); updates `s.call`. */
  occn(h: SessionHost, s: Session, m: ControlMessage): Uint8Array;
  iccn(h: SessionHost, s: Session): Uint8Array;
  cdn(h: SessionHost, s: Session, result: ResultCodeValue, cause?: Q931CauseValue): Uint8Array;
  wen(h: SessionHost, s: Session, callErrors: CallErrorsValue): Uint8Array;
  sli(h: SessionHost, s: Session, e: SliEvent): Uint8Array;
  /** The peer's SLI: the action to report, if any. */
  onSli(h: SessionHost, s: Session, m: ControlMessage): void;
}

export function pickCall(m: ControlMessage): CallInfo {
  const c: Record<string, unknown> = {};
  const keys = [
    'callSerialNumber', 'bearerType', 'framingType', 'txConnectSpeed', 'rxConnectSpeed', 'minimumBps',
    'maximumBps', 'callingNumber', 'calledNumber', 'subAddress', 'physicalChannelId',
  ] as const;
  for (const k of keys) if (m[k] !== undefined) c[k] = m[k];
  return c as CallInfo;
}

/** @internal The RFC 2661 row. */
export const SESSION_V2: SessionSpeech = {
  version: 2,
  allocate: (o, taken) => randomId16(o.random, taken),
  ourIdIn: (m) => m.sessionId,
  peerIdIn: (m) => m.assignedSessionId,
  peerIdAvp: 'Assigned Session ID',
  request(h, o, call, localId, serial) {
    const common = h.common(0);
    if (call.kind === 'incoming' && !('remoteEndId' in call)) {
      const txConnectSpeed = call.txConnectSpeed ?? DEFAULT_CONNECT_SPEED;
      if (call.framingType !== undefined) assertInt(call.framingType, 0, 0xffffffff, 'call.framingType');
      assertInt(txConnectSpeed, 0, 0xffffffff, 'call.txConnectSpeed');
      // §4.4.3: our ICCN reports a framing the peer accepts; refuse before the ICRQ goes out.
      const framingType = incomingFraming(h.peer(), call.framingType);
      if (call.rxConnectSpeed !== undefined) assertInt(call.rxConnectSpeed, 0, 0xffffffff, 'call.rxConnectSpeed');
      const bytes = icrq({
        ...common,
        assignedSessionId: localId,
        callSerialNumber: serial,
        bearerType: call.bearerType,
        physicalChannelId: call.physicalChannelId,
        callingNumber: call.callingNumber,
        calledNumber: call.calledNumber,
        subAddress: call.subAddress,
      });
      const iccnInfo = call.rxConnectSpeed === undefined ? { txConnectSpeed, framingType } : { txConnectSpeed, framingType, rxConnectSpeed: call.rxConnectSpeed };
      // We place the incoming call: we are its LAC (§5.4).
      const seq = new DataSequence(true, o.dataSequencing);
      return { bytes, session: { localId, peerId: 0, kind: 'incoming', origin: 'local', state: 'idle', deadline: 0, call: { callSerialNumber: serial }, seq, iccn: iccnInfo } };
    }
    if (call.kind === 'outgoing' && !('remoteEndId' in call)) {
      if (typeof call.calledNumber !== 'string') throw new TypeError('an outgoing call needs calledNumber (RFC 2661 §6.9: OCRQ requires Called Number)');
      if (call.bearerType !== undefined) assertInt(call.bearerType, 0, 0xffffffff, 'call.bearerType');
      if (call.framingType !== undefined) assertInt(call.framingType, 0, 0xffffffff, 'call.framingType');
      // §6.9/§4.4.4: only from a peer that sent Bearer Capabilities, only types it advertised.
      const types = outgoingTypes(h.peer(), call.bearerType, call.framingType);
      const req = {
        callSerialNumber: serial,
        minimumBps: call.minimumBps ?? 0,
        maximumBps: call.maximumBps ?? 100_000_000,
        bearerType: types.bearerType,
        framingType: types.framingType,
        calledNumber: call.calledNumber,
        subAddress: call.subAddress,
      };
      const bytes = ocrq({ ...common, assignedSessionId: localId, ...req });
      // We ask the peer to place the call: we are its LNS (§5.4).
      const seq = new DataSequence(false, o.dataSequencing);
      return { bytes, session: { localId, peerId: 0, kind: 'outgoing', origin: 'local', state: 'idle', deadline: 0, call: pickCall(req as never), seq } };
    }
    if ('remoteEndId' in call) throw new TypeError('remoteEndId makes this an L2TPv3 pseudowire call, and this tunnel speaks L2TPv2: open the tunnel with version: 3');
    throw new TypeError(`call.kind must be 'incoming' or 'outgoing', got ${String((call as { kind: unknown }).kind)}`);
  },
  refusal: (m, o) => (m.type === 7 ? ocrqRefusal(m, o) : undefined),
  accept(_h, o, m, localId, peerId) {
    const incoming = m.type === 10;
    // The peer's ICRQ makes us the call's LNS; its OCRQ makes us the LAC that places it (§5.4).
    const seq = new DataSequence(!incoming, o.dataSequencing);
    return { localId, peerId, kind: incoming ? 'incoming' : 'outgoing', origin: 'peer', state: 'idle', deadline: 0, call: pickCall(m), seq };
  },
  noteReply(s, m) {
    if (m.type === 8 && m.physicalChannelId !== undefined) s.call = { ...s.call, physicalChannelId: m.physicalChannelId };
    if (m.type === 12 || m.type === 9) {
      s.call = { ...s.call, ...pickCall(m) };
      // §5.4: the LAC asked for sequence numbers on the data channel at all times.
      if (m.sequencingRequired !== undefined) s.seq.require();
    }
    return undefined;
  },
  icrp: (h, s) => icrp({ ...h.common(s.peerId), assignedSessionId: s.localId }),
  ocrp: (h, s) => ocrp({ ...h.common(s.peerId), assignedSessionId: s.localId }),
  occn(h, s, m) {
    // No bearer to dial: connected at once, at the most the caller allowed, with a framing it offered.
    const framingType = m.framingType !== undefined && (m.framingType & 1) === 0 && (m.framingType & 2) !== 0 ? 2 : 1;
    const txConnectSpeed = m.maximumBps !== undefined && m.maximumBps > 0 ? m.maximumBps : DEFAULT_CONNECT_SPEED;
    const sequencingRequired = s.seq.required ? true : undefined;
    s.call = { ...s.call, txConnectSpeed, framingType };
    return occn({ ...h.common(s.peerId), txConnectSpeed, framingType, sequencingRequired });
  },
  iccn(h, s) {
    const c = s.iccn!;
    const sequencingRequired = s.seq.required ? true : undefined;
    s.call = { ...s.call, ...c };
    return iccn({ ...h.common(s.peerId), txConnectSpeed: c.txConnectSpeed, framingType: c.framingType, rxConnectSpeed: c.rxConnectSpeed, sequencingRequired });
  },
  cdn: (h, s, result, cause) => cdn({ ...h.common(s.peerId), assignedSessionId: s.localId, resultCode: result, q931CauseCode: cause }),
  wen: (h, s, callErrors) => wen({ ...h.common(s.peerId), callErrors }),
  sli(h, s, e) {
    if (e.accm === undefined) throw new TypeError('sendSli on an L2TPv2 tunnel needs accm (RFC 2661 §6.14)');
    return sli({ ...h.common(s.peerId), accm: e.accm });
  },
  onSli(h, s, m) {
    if (m.accm !== undefined) h.emit({ type: 'sli', sessionId: s.localId, accm: m.accm });
  },
};
