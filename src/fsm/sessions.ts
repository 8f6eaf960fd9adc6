/**
 * The sessions of one control connection (RFC 2661 §7.4 incoming calls, §7.5 outgoing calls),
 * both roles. Owned by a {@link TunnelFsm}: it sends through the tunnel's Sequencer and reports
 * through the tunnel's actions.
 */
import { assertBytes, assertInt } from '../wire/bytes.js';
import { cdn, iccn, icrp, icrq, occn, ocrp, ocrq, sli, wen, type MessageOptions } from '../wire/builders.js';
import type { ControlMessage } from '../wire/control.js';
import { encodeData } from '../wire/data.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import { CdnResult, GeneralError } from '../wire/result-codes.js';
import type { AccmValue, CallErrorsValue, Q931CauseValue, ResultCodeValue } from '../wire/value-codecs.js';
import { incomingFraming, ocrqRefusal, outgoingTypes } from './capabilities.js';
import { randomId16, type Rejection } from './checks.js';
import { DataSequence, type DataSequenceStats } from './data-sequencing.js';
import type { ResolvedTunnelOptions } from './options.js';
import { SESSION_TRANSITIONS, findTransition, type SessionTableEvent } from './table.js';
import type { CallInfo, CallOptions, PeerInfo, SessionState, TunnelAction } from './types.js';

/** What the sessions need from their tunnel. @internal */
export interface SessionHost {
  /** Header fields and hiding for a message to the peer's `sessionId`. */
  common(sessionId: number): MessageOptions;
  /** Queue a control message on the tunnel's Sequencer. */
  sendControl(bytes: Uint8Array): void;
  emit(action: TunnelAction): void;
  peerTunnelId(): number;
  /** What the peer advertised at tunnel setup (its capabilities). */
  peer(): PeerInfo | undefined;
  /** The time of the handle() call in progress. */
  now(): number;
}

/** One call. @internal */
interface Session {
  readonly localId: number;
  peerId: number;
  readonly kind: CallOptions['kind'];
  readonly origin: 'local' | 'peer';
  state: SessionState;
  /** While waiting for the peer (wait-reply, wait-connect): when the call is given up. */
  deadline: number;
  call: CallInfo;
  /** Data channel sequencing (RFC 2661 §5.4). */
  readonly seq: DataSequence;
  /** For an incoming call we placed: what our ICCN says. */
  readonly iccn?: { txConnectSpeed: number; framingType: number; rxConnectSpeed?: number };
}

/** Default (Tx) Connect Speed we report in ICCN/OCCN: 10 Mb/s (any value is legal, §4.4.5). */
const DEFAULT_CONNECT_SPEED = 10_000_000;

function pickCall(m: ControlMessage): CallInfo {
  const c: Record<string, unknown> = {};
  const keys = [
    'callSerialNumber', 'bearerType', 'framingType', 'txConnectSpeed', 'rxConnectSpeed', 'minimumBps',
    'maximumBps', 'callingNumber', 'calledNumber', 'subAddress', 'physicalChannelId',
  ] as const;
  for (const k of keys) if (m[k] !== undefined) c[k] = m[k];
  return c as CallInfo;
}

/** States in which a call waits for the peer, and so has a deadline. */
function waits(state: SessionState): boolean {
  return state === 'wait-reply' || state === 'wait-connect';
}

/** The map of every tunnel without sessions (an empty Map is ~280 B; most tunnels are idle, issue 16). Never written. */
const NO_SESSIONS: Map<number, Session> = new Map();

/** @internal The session table of one tunnel. */
export class Sessions {
  private map = NO_SESSIONS;
  private serial = 0;
  /** Live sessions in wait-reply or wait-connect: only these have deadlines. */
  private waiting = 0;

  constructor(
    private readonly host: SessionHost,
    private readonly o: ResolvedTunnelOptions,
  ) {}

  /** Live sessions. */
  get size(): number {
    return this.map.size;
  }

  state(id: number): SessionState | undefined {
    return this.map.get(id)?.state;
  }

  ids(): number[] {
    return [...this.map.keys()];
  }

  private allocate(): number {
    return randomId16(this.o.random, (id) => this.map.has(id));
  }

  private step(s: Session, event: SessionTableEvent): boolean {
    const row = findTransition(SESSION_TRANSITIONS, s.state, event);
    if (row === undefined) return false;
    const was = waits(s.state) && this.map.get(s.localId) === s;
    s.state = row.next;
    if (row.next === 'closed' && this.map.delete(s.localId) && this.map.size === 0) this.map = NO_SESSIONS;
    const now = waits(row.next) && row.next !== 'closed';
    // Every wait for the peer gets a deadline from the message we just sent (handshakeTimeout).
    if (waits(row.next)) s.deadline = this.host.now() + this.o.handshakeTimeout;
    if (was && !now) this.waiting--;
    return true;
  }

  /** Count a session that starts waiting once it is in the map. */
  private track(s: Session): void {
    if (waits(s.state)) this.waiting++;
  }

  /** The earliest deadline of a call being set up, or Infinity. */
  nextDeadline(): number {
    if (this.waiting === 0) return Infinity;
    let d = Infinity;
    for (const s of this.map.values()) if (waits(s.state) && s.deadline < d) d = s.deadline;
    return d;
  }

  /** Give up every call whose peer did not take its next step in time: CDN result 2. */
  expire(now: number): void {
    if (this.waiting === 0) return;
    for (const s of [...this.map.values()]) {
      if (!waits(s.state) || s.deadline > now) continue;
      const want = s.state === 'wait-reply' ? (s.kind === 'incoming' ? 'ICRP' : 'OCRP') : s.kind === 'incoming' ? 'ICCN' : 'OCCN';
      const message = `no ${want} within ${this.o.handshakeTimeout} ms (handshakeTimeout)`;
      this.fail(s, 'timeout', { result: CdnResult.GeneralError, error: GeneralError.NoError, message }, 'TIMEOUT');
    }
  }

  /** Local: start a call. @throws `RangeError`/`TypeError` for bad options or too many sessions. */
  open(call: CallOptions): number {
    if (call === null || typeof call !== 'object') throw new TypeError('openSession needs call options: { kind: "incoming" } or { kind: "outgoing", calledNumber }');
    if (this.map.size >= this.o.maxSessions) throw new RangeError(`this tunnel already has maxSessions (${this.o.maxSessions}) sessions; close one or raise options.maxSessions`);
    const localId = this.allocate();
    const serial = call.callSerialNumber ?? (this.serial = (this.serial % 0xffffffff) + 1);
    const common = this.host.common(0);
    let bytes: Uint8Array;
    let s: Session;
    if (call.kind === 'incoming') {
      const txConnectSpeed = call.txConnectSpeed ?? DEFAULT_CONNECT_SPEED;
      if (call.framingType !== undefined) assertInt(call.framingType, 0, 0xffffffff, 'call.framingType');
      assertInt(txConnectSpeed, 0, 0xffffffff, 'call.txConnectSpeed');
      // §4.4.3: our ICCN reports a framing the peer accepts; refuse before the ICRQ goes out.
      const framingType = incomingFraming(this.host.peer(), call.framingType);
      if (call.rxConnectSpeed !== undefined) assertInt(call.rxConnectSpeed, 0, 0xffffffff, 'call.rxConnectSpeed');
      bytes = icrq({
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
      const seq = new DataSequence(true, this.o.dataSequencing);
      s = { localId, peerId: 0, kind: 'incoming', origin: 'local', state: 'idle', deadline: Infinity, call: { callSerialNumber: serial }, seq, iccn: iccnInfo };
      this.step(s, 'open-incoming');
    } else if (call.kind === 'outgoing') {
      if (typeof call.calledNumber !== 'string') throw new TypeError('an outgoing call needs calledNumber (RFC 2661 §6.9: OCRQ requires Called Number)');
      if (call.bearerType !== undefined) assertInt(call.bearerType, 0, 0xffffffff, 'call.bearerType');
      if (call.framingType !== undefined) assertInt(call.framingType, 0, 0xffffffff, 'call.framingType');
      // §6.9/§4.4.4: only from a peer that sent Bearer Capabilities, only types it advertised.
      const types = outgoingTypes(this.host.peer(), call.bearerType, call.framingType);
      const req = {
        callSerialNumber: serial,
        minimumBps: call.minimumBps ?? 0,
        maximumBps: call.maximumBps ?? 100_000_000,
        bearerType: types.bearerType,
        framingType: types.framingType,
        calledNumber: call.calledNumber,
        subAddress: call.subAddress,
      };
      bytes = ocrq({ ...common, assignedSessionId: localId, ...req });
      // We ask the peer to place the call: we are its LNS (§5.4).
      const seq = new DataSequence(false, this.o.dataSequencing);
      s = { localId, peerId: 0, kind: 'outgoing', origin: 'local', state: 'idle', deadline: Infinity, call: pickCall(req as never), seq };
      this.step(s, 'open-outgoing');
    } else {
      throw new TypeError(`call.kind must be 'incoming' or 'outgoing', got ${String((call as { kind: unknown }).kind)}`);
    }
    (this.map === NO_SESSIONS ? (this.map = new Map()) : this.map).set(localId, s);
    this.track(s);
    this.host.emit({ type: 'session-opening', sessionId: localId, kind: s.kind });
    this.host.sendControl(bytes);
    return localId;
  }

  /** Local: hang up with a CDN. @throws `RangeError` for an unknown session. */
  close(id: number, result: ResultCodeValue, cause: Q931CauseValue | undefined): void {
    const s = this.live(id);
    const bytes = cdn({ ...this.host.common(s.peerId), assignedSessionId: s.localId, resultCode: result, q931CauseCode: cause });
    this.step(s, 'close');
    this.host.sendControl(bytes);
    this.host.emit(cause === undefined ? { type: 'session-down', sessionId: id, by: 'local', result } : { type: 'session-down', sessionId: id, by: 'local', result, cause });
  }

  /** Local: a PPP frame as a data message. @throws for an unknown or not yet established session. */
  frame(id: number, frame: Uint8Array): Uint8Array {
    assertBytes(frame, 'frame');
    const s = this.established(id, 'sendFrame');
    // §5.4 Ns when sequencing is on; Nr is reserved in data messages (§3.1): 0.
    const ns = s.seq.nextNs();
    if (ns === undefined) return encodeData({ tunnelId: this.host.peerTunnelId(), sessionId: s.peerId, payload: frame, withLength: this.o.dataWithLength });
    return encodeData({ tunnelId: this.host.peerTunnelId(), sessionId: s.peerId, payload: frame, withLength: this.o.dataWithLength, ns, nr: 0 });
  }

  sendWen(id: number, callErrors: CallErrorsValue): void {
    const s = this.established(id, 'sendWen');
    this.host.sendControl(wen({ ...this.host.common(s.peerId), callErrors }));
  }

  sendSli(id: number, accm: AccmValue): void {
    const s = this.established(id, 'sendSli');
    this.host.sendControl(sli({ ...this.host.common(s.peerId), accm }));
  }

  private live(id: number): Session {
    const s = typeof id === 'number' ? this.map.get(id) : undefined;
    if (s === undefined) throw new RangeError(`no live session with local Session ID ${String(id)} on this tunnel (it was never opened, or is already down)`);
    return s;
  }

  private established(id: number, what: string): Session {
    const s = this.live(id);
    if (s.state !== 'established') throw new TypeError(`${what}: session ${id} is ${s.state}; wait for its session-up action`);
    return s;
  }

  /**
   * A received data message for local session `id` (`ns` undefined when S=0; its Nr is ignored,
   * §3.1): delivered only on an established session, and not when it is old data (§5.4).
   */
  onData(id: number, ns: number | undefined, payload: Uint8Array): void {
    const s = this.map.get(id);
    if (s !== undefined && s.state === 'established' && s.seq.receive(ns)) this.host.emit({ type: 'frame', sessionId: id, payload });
  }

  /** A session's data channel counters (§5.4), or undefined for no live session `id`. */
  dataStats(id: number): DataSequenceStats | undefined {
    return this.map.get(id)?.seq.stats();
  }

  /** The tunnel went down: every session with it (§5.7: StopCCN clears all sessions, no CDN). */
  allDown(by: 'local' | 'peer', error: L2tpError | undefined): void {
    for (const s of [...this.map.values()]) {
      this.step(s, 'tunnel-down');
      this.host.emit(error === undefined ? { type: 'session-down', sessionId: s.localId, by } : { type: 'session-down', sessionId: s.localId, by, error });
    }
    this.map.clear();
    this.waiting = 0;
  }

  /** A delivered session-scoped control message (types 7–16), with the tunnel established. */
  onMessage(m: ControlMessage, problem: Rejection | undefined): void {
    const t = m.type;
    if (t === MessageType.ICRQ || t === MessageType.OCRQ) {
      this.onRequest(m, problem);
      return;
    }
    let s = m.sessionId !== 0 ? this.map.get(m.sessionId) : undefined;
    // A CDN may come before the peer learnt our ID from it; find the call by the peer's own ID.
    if (s === undefined && t === MessageType.CDN && m.assignedSessionId !== undefined) {
      for (const c of this.map.values()) if (c.peerId === m.assignedSessionId) s = c;
    }
    // A late message for a call already gone: the Sequencer acked it; nothing else to do.
    if (s === undefined) return;
    if (t === MessageType.CDN && problem === undefined) {
      this.step(s, 'recv-CDN');
      const down: { -readonly [K in keyof Extract<TunnelAction, { type: 'session-down' }>]: Extract<TunnelAction, { type: 'session-down' }>[K] } = {
        type: 'session-down',
        sessionId: s.localId,
        by: 'peer',
      };
      if (m.resultCode !== undefined) down.result = m.resultCode;
      if (m.q931CauseCode !== undefined) down.cause = m.q931CauseCode;
      down.error = new L2tpError('PEER_STOPPED', `peer sent CDN for session ${s.localId}${m.resultCode ? ` (result ${m.resultCode.result})` : ''}`);
      this.host.emit(down);
      return;
    }
    if (problem !== undefined) {
      this.fail(s, 'recv-broken', { result: CdnResult.GeneralError, error: problem.error, message: problem.message });
      return;
    }
    switch (t) {
      case MessageType.ICRP: {
        if (s.kind !== 'incoming' || s.origin !== 'local' || !this.step(s, 'recv-ICRP')) return this.outOfState(s, m);
        if (m.assignedSessionId === undefined) return this.missing(s, m, 'Assigned Session ID');
        s.peerId = m.assignedSessionId;
        const c = s.iccn!;
        const sequencingRequired = s.seq.required ? true : undefined;
        this.host.sendControl(iccn({ ...this.host.common(s.peerId), txConnectSpeed: c.txConnectSpeed, framingType: c.framingType, rxConnectSpeed: c.rxConnectSpeed, sequencingRequired }));
        s.call = { ...s.call, ...c };
        return this.up(s);
      }
      case MessageType.OCRP: {
        if (s.kind !== 'outgoing' || s.origin !== 'local' || !this.step(s, 'recv-OCRP')) return this.outOfState(s, m);
        if (m.assignedSessionId === undefined) return this.missing(s, m, 'Assigned Session ID');
        s.peerId = m.assignedSessionId;
        if (m.physicalChannelId !== undefined) s.call = { ...s.call, physicalChannelId: m.physicalChannelId };
        return;
      }
      case MessageType.ICCN:
      case MessageType.OCCN: {
        const ok = t === MessageType.ICCN ? s.kind === 'incoming' && s.origin === 'peer' : s.kind === 'outgoing' && s.origin === 'local';
        if (!ok || !this.step(s, t === MessageType.ICCN ? 'recv-ICCN' : 'recv-OCCN')) return this.outOfState(s, m);
        s.call = { ...s.call, ...pickCall(m) };
        // §5.4: the LAC asked for sequence numbers on the data channel at all times.
        if (m.sequencingRequired !== undefined) s.seq.require();
        return this.up(s);
      }
      case MessageType.WEN:
        if (!this.step(s, 'recv-WEN')) return this.outOfState(s, m);
        if (m.callErrors !== undefined) this.host.emit({ type: 'wen', sessionId: s.localId, callErrors: m.callErrors });
        return;
      case MessageType.SLI:
        if (!this.step(s, 'recv-SLI')) return this.outOfState(s, m);
        if (m.accm !== undefined) this.host.emit({ type: 'sli', sessionId: s.localId, accm: m.accm });
        return;
    }
  }

  /** The peer's ICRQ (we act as LNS) or OCRQ (we act as LAC). */
  private onRequest(m: ControlMessage, problem: Rejection | undefined): void {
    const peerId = m.assignedSessionId;
    const incoming = m.type === MessageType.ICRQ;
    // Without its Assigned Session ID we cannot even address a CDN to the call.
    if (peerId === undefined) {
      this.host.emit({ type: 'error', error: new L2tpError('MISSING_AVP', `${m.typeName} without Assigned Session ID: ignored`) });
      return;
    }
    let refusal: ResultCodeValue | undefined;
    if (problem !== undefined) refusal = { result: CdnResult.GeneralError, error: problem.error, message: problem.message };
    else if (!this.o.acceptCalls) refusal = { result: CdnResult.Administrative };
    else if (this.map.size >= this.o.maxSessions) refusal = { result: CdnResult.NoFacilitiesTemporary, error: GeneralError.InsufficientResources, message: 'too many sessions' };
    else if (!incoming) refusal = ocrqRefusal(m, this.o);
    const localId = this.allocate();
    // The peer's ICRQ makes us the call's LNS; its OCRQ makes us the LAC that places it (§5.4).
    const seq = new DataSequence(!incoming, this.o.dataSequencing);
    const s: Session = { localId, peerId, kind: incoming ? 'incoming' : 'outgoing', origin: 'peer', state: 'idle', deadline: Infinity, call: pickCall(m), seq };
    if (refusal !== undefined) {
      this.step(s, 'refuse');
      this.host.sendControl(cdn({ ...this.host.common(peerId), assignedSessionId: localId, resultCode: refusal }));
      if (problem !== undefined) this.host.emit({ type: 'error', error: new L2tpError('PROTOCOL', `${m.typeName} refused: ${problem.message}`) });
      return;
    }
    (this.map === NO_SESSIONS ? (this.map = new Map()) : this.map).set(localId, s);
    if (incoming) {
      this.step(s, 'recv-ICRQ');
      this.track(s);
      this.host.sendControl(icrp({ ...this.host.common(peerId), assignedSessionId: localId }));
      return;
    }
    this.step(s, 'recv-OCRQ');
    this.host.sendControl(ocrp({ ...this.host.common(peerId), assignedSessionId: localId }));
    // No bearer to dial: connected at once, at the most the caller allowed, with a framing it offered.
    const framingType = m.framingType !== undefined && (m.framingType & 1) === 0 && (m.framingType & 2) !== 0 ? 2 : 1;
    const txConnectSpeed = m.maximumBps !== undefined && m.maximumBps > 0 ? m.maximumBps : DEFAULT_CONNECT_SPEED;
    const sequencingRequired = seq.required ? true : undefined;
    this.host.sendControl(occn({ ...this.host.common(peerId), txConnectSpeed, framingType, sequencingRequired }));
    s.call = { ...s.call, txConnectSpeed, framingType };
    this.up(s);
  }

  private up(s: Session): void {
    this.host.emit({ type: 'session-up', sessionId: s.localId, peerSessionId: s.peerId, kind: s.kind, origin: s.origin, call: s.call });
  }

  private fail(s: Session, event: SessionTableEvent, result: ResultCodeValue, code: L2tpError['code'] = 'PROTOCOL'): void {
    const bytes = cdn({ ...this.host.common(s.peerId), assignedSessionId: s.localId, resultCode: result });
    this.step(s, event);
    this.host.sendControl(bytes);
    const error = new L2tpError(code, result.message ?? `session ${s.localId} failed`);
    this.host.emit({ type: 'session-down', sessionId: s.localId, by: 'local', result, error });
  }

  private outOfState(s: Session, m: ControlMessage): void {
    this.fail(s, 'recv-out-of-state', { result: CdnResult.GeneralError, error: GeneralError.VendorSpecific, message: `unexpected ${m.typeName} for a ${s.kind} call in state ${s.state}` });
  }

  private missing(s: Session, m: ControlMessage, what: string): void {
    this.fail(s, 'recv-broken', { result: CdnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without ${what}` });
  }
}
