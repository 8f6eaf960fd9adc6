/**
 * The sessions of one control connection (RFC 2661 §7.4 incoming calls, §7.5 outgoing calls),
 * both roles. Owned by a {@link TunnelFsm}: it sends through the tunnel's Sequencer and reports
 * through the tunnel's actions.
 */
import { assertBytes } from '../wire/bytes.js';
import type { MessageOptions } from '../wire/builders.js';
import type { ControlMessage } from '../wire/control.js';
import { encodeData } from '../wire/data.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import { CdnResult, GeneralError } from '../wire/result-codes.js';
import type { CallErrorsValue, Q931CauseValue, ResultCodeValue } from '../wire/value-codecs.js';
import { compareTieBreakers, type Rejection } from './checks.js';
import type { DataSequenceStats } from './data-sequencing.js';
import type { ResolvedTunnelOptions } from './options.js';
import { SESSION_V2, type Session, type SessionSpeech, type SliEvent } from './session-speech.js';
import { SESSION_V3 } from './session-speech-v3.js';
import { SessionHostOf } from './session-host.js';
import { SmallMap } from './small-map.js';
import { SESSION_TRANSITIONS, findTransition, type SessionTableEvent } from './table.js';
import type { TunnelCore } from './tunnel-core.js';
import type { CallInfo, CallOptions, PeerInfo, PseudowireInfo, SessionState, TunnelAction } from './types.js';

/** What the sessions need from their tunnel. @internal */
export interface SessionHost {
  /** Header fields and hiding for a message to the peer's `sessionId` (v2). */
  common(sessionId: number): MessageOptions;
  /** The tunnel itself, for the v3 encoder (its Control Connection ID, digest and hiding). */
  core(): TunnelCore;
  /** Queue a control message on the tunnel's Sequencer. */
  sendControl(bytes: Uint8Array): void;
  emit(action: TunnelAction): void;
  peerTunnelId(): number;
  /** What the peer advertised at tunnel setup (its capabilities). */
  peer(): PeerInfo | undefined;
  /** The time of the handle() call in progress. */
  now(): number;
}

/** States in which a call waits for the peer, and so has a deadline. */
function waits(state: SessionState): boolean {
  return state === 'wait-reply' || state === 'wait-connect';
}

/** The table of every tunnel without sessions (most tunnels are idle, issue 16). Never written. */
const NO_SESSIONS: SmallMap<number, Session> = new SmallMap();

/** CallInfo's fields in one order (RFC 2661 §4.4.5 AVP order), for {@link settledCall}. */
const CALL_KEYS = [
  'callSerialNumber', 'bearerType', 'framingType', 'txConnectSpeed', 'rxConnectSpeed', 'minimumBps',
  'maximumBps', 'callingNumber', 'calledNumber', 'subAddress', 'physicalChannelId',
] as const satisfies readonly (keyof CallInfo)[];

/**
 * The call record of a session that came up, rebuilt field by field in one order: the records
 * merged message by message with object spread each get a hidden class of their own (~190 B
 * per session, issue 16); built this way, all share one chain of hidden classes. Same fields,
 * same values (an unexpected extra field is kept, after the known ones).
 */
function settledCall(c: CallInfo): CallInfo {
  const r: Record<string, unknown> = {};
  const src = c as Record<string, unknown>;
  for (const k of CALL_KEYS) if (k in src) r[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in r)) r[k] = src[k];
  return r as CallInfo;
}

/** @internal The session table of one tunnel. */
export class Sessions extends SessionHostOf {
  private map = NO_SESSIONS;
  /** What this version's session messages say (session-speech.ts, session-speech-v3.ts). */
  private readonly sp: SessionSpeech;
  private serial = 0;
  /** Live sessions in wait-reply or wait-connect: only these have deadlines. */
  private waiting = 0;

  private readonly o: ResolvedTunnelOptions;

  constructor(c: TunnelCore) {
    super(c);
    this.o = c.o;
    this.sp = c.o.version === 3 ? SESSION_V3 : SESSION_V2;
  }

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
    const elsewhere = this.o.sessionIdTaken;
    return this.sp.allocate(this.o, elsewhere === undefined ? (id) => this.map.has(id) : (id) => this.map.has(id) || elsewhere(id));
  }

  private step(s: Session, event: SessionTableEvent): boolean {
    const row = findTransition(SESSION_TRANSITIONS, s.state, event, this.o.version);
    if (row === undefined) return false;
    const was = waits(s.state) && this.map.get(s.localId) === s;
    s.state = row.next;
    if (row.next === 'closed' && this.map.delete(s.localId) && this.map.size === 0) this.map = NO_SESSIONS;
    const now = waits(row.next) && row.next !== 'closed';
    // Every wait for the peer gets a deadline from the message we just sent (handshakeTimeout).
    if (waits(row.next)) s.deadline = this.now() + this.o.handshakeTimeout;
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
    const { bytes, session: s } = this.sp.request(this, this.o, call, localId, serial);
    this.step(s, s.kind === 'incoming' ? 'open-incoming' : 'open-outgoing');
    (this.map === NO_SESSIONS ? (this.map = new SmallMap()) : this.map).set(localId, s);
    this.track(s);
    this.emit({ type: 'session-opening', sessionId: localId, kind: s.kind });
    this.sendControl(bytes);
    return localId;
  }

  /** Local: hang up with a CDN. @throws `RangeError` for an unknown session. */
  close(id: number, result: ResultCodeValue, cause: Q931CauseValue | undefined): void {
    const s = this.live(id);
    const bytes = this.sp.cdn(this, s, result, cause);
    this.step(s, 'close');
    this.sendControl(bytes);
    this.emit(cause === undefined ? { type: 'session-down', sessionId: id, by: 'local', result } : { type: 'session-down', sessionId: id, by: 'local', result, cause });
  }

  /** Local: a PPP frame as a data message. @throws for an unknown or not yet established session. */
  frame(id: number, frame: Uint8Array): Uint8Array {
    assertBytes(frame, 'frame');
    const s = this.established(id, 'sendFrame');
    // §5.4 Ns when sequencing is on; Nr is reserved in data messages (§3.1): 0.
    const ns = s.seq.nextNs();
    if (ns === undefined) return encodeData({ tunnelId: this.peerTunnelId(), sessionId: s.peerId, payload: frame, withLength: this.o.dataWithLength });
    return encodeData({ tunnelId: this.peerTunnelId(), sessionId: s.peerId, payload: frame, withLength: this.o.dataWithLength, ns, nr: 0 });
  }

  sendWen(id: number, callErrors: CallErrorsValue): void {
    const s = this.established(id, 'sendWen');
    this.sendControl(this.sp.wen(this, s, callErrors));
  }

  sendSli(id: number, e: SliEvent): void {
    const s = this.established(id, 'sendSli');
    this.sendControl(this.sp.sli(this, s, e));
  }

  /** v3: a session's pseudowire (IDs, cookies, sublayer, sequencing), or undefined. */
  pseudowire(id: number): PseudowireInfo | undefined {
    const pw = this.map.get(id)?.pw;
    return pw === undefined ? undefined : publicPw(pw);
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
    if (s !== undefined && s.state === 'established' && s.seq.receive(ns)) this.emit({ type: 'frame', sessionId: id, payload });
  }

  /** A session's data channel counters (§5.4), or undefined for no live session `id`. */
  dataStats(id: number): DataSequenceStats | undefined {
    return this.map.get(id)?.seq.stats();
  }

  /** The tunnel went down: every session with it (§5.7: StopCCN clears all sessions, no CDN). */
  allDown(by: 'local' | 'peer', error: L2tpError | undefined): void {
    for (const s of [...this.map.values()]) {
      this.step(s, 'tunnel-down');
      this.emit(error === undefined ? { type: 'session-down', sessionId: s.localId, by } : { type: 'session-down', sessionId: s.localId, by, error });
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
    const ourId = this.sp.ourIdIn(m);
    let s = ourId !== 0 ? this.map.get(ourId) : undefined;
    // A CDN may come before the peer learnt our ID from it, and a v3 message may lack the Remote
    // Session ID that names ours (RFC 3931 §5.4.4): find the call by the peer's own ID.
    const theirId = t === MessageType.CDN || (ourId === 0 && m.version === 3) ? this.sp.peerIdIn(m) : undefined;
    if (s === undefined && theirId !== undefined) {
      for (const c of this.map.values()) if (c.peerId === theirId) s = c;
    }
    if (s === undefined) {
      // A late message for a call already gone: the Sequencer acked it; nothing else to do. One
      // that is also broken is reported: there is no call to clear with a CDN.
      if (problem !== undefined) this.emit({ type: 'error', error: new L2tpError('PROTOCOL', `${problem.message}: no session of ours to clear, ignored`) });
      return;
    }
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
      this.emit(down);
      return;
    }
    if (problem !== undefined) {
      this.fail(s, 'recv-broken', { result: CdnResult.GeneralError, error: problem.error, message: problem.message });
      return;
    }
    switch (t) {
      case MessageType.ICRP: {
        if (s.kind !== 'incoming' || s.origin !== 'local' || !this.step(s, 'recv-ICRP')) return this.outOfState(s, m);
        const peerId = this.sp.peerIdIn(m);
        if (peerId === undefined) return this.missing(s, m, this.sp.peerIdAvp);
        s.peerId = peerId;
        const refusal = this.sp.noteReply(s, m);
        if (refusal !== undefined) return this.fail(s, 'recv-broken', refusal);
        this.sendControl(this.sp.iccn(this, s));
        return this.up(s);
      }
      case MessageType.OCRP: {
        if (s.kind !== 'outgoing' || s.origin !== 'local' || !this.step(s, 'recv-OCRP')) return this.outOfState(s, m);
        const peerId = this.sp.peerIdIn(m);
        if (peerId === undefined) return this.missing(s, m, this.sp.peerIdAvp);
        s.peerId = peerId;
        const refusal = this.sp.noteReply(s, m);
        if (refusal !== undefined) return this.fail(s, 'recv-broken', refusal);
        return;
      }
      case MessageType.ICCN:
      case MessageType.OCCN: {
        const ok = t === MessageType.ICCN ? s.kind === 'incoming' && s.origin === 'peer' : s.kind === 'outgoing' && s.origin === 'local';
        if (!ok || !this.step(s, t === MessageType.ICCN ? 'recv-ICCN' : 'recv-OCCN')) return this.outOfState(s, m);
        const refusal = this.sp.noteReply(s, m);
        if (refusal !== undefined) return this.fail(s, 'recv-broken', refusal);
        return this.up(s);
      }
      case MessageType.WEN:
        if (!this.step(s, 'recv-WEN')) return this.outOfState(s, m);
        if (m.callErrors !== undefined) this.emit({ type: 'wen', sessionId: s.localId, callErrors: m.callErrors });
        return;
      case MessageType.SLI:
        if (!this.step(s, 'recv-SLI')) return this.outOfState(s, m);
        this.sp.onSli(this, s, m);
        return;
    }
  }

  /** The peer's ICRQ (we act as LNS) or OCRQ (we act as LAC). */
  private onRequest(m: ControlMessage, problem: Rejection | undefined): void {
    const peerId = this.sp.peerIdIn(m);
    const incoming = m.type === MessageType.ICRQ;
    // Without its Assigned / Local Session ID we cannot even address a CDN to the call.
    if (peerId === undefined) {
      this.emit({ type: 'error', error: new L2tpError('MISSING_AVP', `${m.typeName} without ${this.sp.peerIdAvp}: ignored`) });
      return;
    }
    let refusal: ResultCodeValue | undefined = problem === undefined && incoming ? this.tie(m) : undefined;
    if (problem !== undefined) refusal = { result: CdnResult.GeneralError, error: problem.error, message: problem.message };
    else if (refusal !== undefined) {
      // The session tie (RFC 3931 §5.4.4) refuses the peer's call: below.
    } else if (!this.o.acceptCalls) refusal = { result: CdnResult.Administrative };
    else if (this.map.size >= this.o.maxSessions) refusal = { result: CdnResult.NoFacilitiesTemporary, error: GeneralError.InsufficientResources, message: 'too many sessions' };
    else refusal = this.sp.refusal(m, this.o);
    const localId = this.allocate();
    const s = refusal === undefined || this.o.version === 2 ? this.sp.accept(this, this.o, m, localId, peerId) : this.refused(localId, peerId, incoming);
    if (refusal !== undefined) {
      this.step(s, 'refuse');
      this.sendControl(this.sp.cdn(this, s, refusal));
      if (problem !== undefined) this.emit({ type: 'error', error: new L2tpError('PROTOCOL', `${m.typeName} refused: ${problem.message}`) });
      return;
    }
    (this.map === NO_SESSIONS ? (this.map = new SmallMap()) : this.map).set(localId, s);
    if (incoming) {
      this.step(s, 'recv-ICRQ');
      this.track(s);
      this.sendControl(this.sp.icrp(this, s));
      return;
    }
    this.step(s, 'recv-OCRQ');
    this.sendControl(this.sp.ocrp(this, s));
    // No bearer to dial (v2) / the circuit is there (v3): connected at once.
    this.sendControl(this.sp.occn(this, s, m));
    this.up(s);
  }

  /**
   * v3 Session Tie Breaker (RFC 3931 §5.4.4, §7.3.1): the peer's ICRQ `m` names the circuit
   * (Remote End ID) of an ICRQ of ours still waiting for its ICRP. §5.4.4 defines the AVP but
   * not the edge cases; they are settled as §5.4.3 settles crossing SCCRQs: the lower value wins,
   * a value sent by one side only wins (so a peer that breaks ties and one that does not still
   * end with one session), neither value means both calls are wanted, and equal values discard
   * both calls. Returns the CDN result for the peer's call when it must be refused; when ours
   * loses, it is dropped here and the peer's proceeds.
   */
  private tie(m: ControlMessage): ResultCodeValue | undefined {
    const end = m.remoteEndId;
    if (end === undefined || this.o.version !== 3) return undefined;
    const theirs = m.tieBreaker;
    for (const s of this.map.values()) {
      if (s.state !== 'wait-reply' || s.kind !== 'incoming' || s.origin !== 'local' || !sameBytes(s.pw!.remoteEndId, end)) continue;
      const ours = s.pw!.tieBreaker;
      if (ours === undefined && theirs === undefined) continue;
      const cmp = ours === undefined ? 1 : theirs === undefined ? -1 : compareTieBreakers(ours, theirs);
      if (cmp < 0) {
        this.step(s, 'recv-ICRQ-win-tie');
        return { result: 13, error: GeneralError.NoError, message: 'lost the session tie breaker (RFC 3931 §5.4.4)' };
      }
      const equal = cmp === 0;
      this.step(s, equal ? 'recv-ICRQ-equal-tie' : 'recv-ICRQ-lose-tie');
      const why = equal ? 'crossing ICRQs for the same circuit with equal Session Tie Breakers: both calls discarded (RFC 3931 §5.4.3, §5.4.4)' : "the peer's ICRQ for the same circuit won the session tie breaker (RFC 3931 §5.4.4): its call is taken instead";
      this.emit({ type: 'session-down', sessionId: s.localId, by: 'peer', error: new L2tpError('PROTOCOL', why) });
      return equal ? { result: 13, error: GeneralError.NoError, message: 'equal session tie breakers (RFC 3931 §5.4.3, §5.4.4)' } : undefined;
    }
    return undefined;
  }

  /** A v3 session refused before its pseudowire is set up: just enough to address the CDN. */
  private refused(localId: number, peerId: number, incoming: boolean): Session {
    return { localId, peerId, kind: incoming ? 'incoming' : 'outgoing', origin: 'peer', state: 'idle', deadline: 0, call: {}, seq: undefined as never };
  }

  private up(s: Session): void {
    s.call = settledCall(s.call);
    const a: Extract<TunnelAction, { type: 'session-up' }> = { type: 'session-up', sessionId: s.localId, peerSessionId: s.peerId, kind: s.kind, origin: s.origin, call: s.call };
    this.emit(s.pw === undefined ? a : { ...a, pseudowire: publicPw(s.pw) });
  }

  private fail(s: Session, event: SessionTableEvent, result: ResultCodeValue, code: L2tpError['code'] = 'PROTOCOL'): void {
    const bytes = this.sp.cdn(this, s, result);
    this.step(s, event);
    this.sendControl(bytes);
    const error = new L2tpError(code, result.message ?? `session ${s.localId} failed`);
    this.emit({ type: 'session-down', sessionId: s.localId, by: 'local', result, error });
  }

  private outOfState(s: Session, m: ControlMessage): void {
    this.fail(s, 'recv-out-of-state', { result: CdnResult.GeneralError, error: GeneralError.VendorSpecific, message: `unexpected ${m.typeName} for a ${s.kind} call in state ${s.state}` });
  }

  private missing(s: Session, m: ControlMessage, what: string): void {
    this.fail(s, 'recv-broken', { result: CdnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without ${what}` });
  }
}

/** A copy of the pseudowire's public fields (plain data: the session keeps changing its own). */
function publicPw(pw: NonNullable<Session['pw']>): PseudowireInfo {
  const { circuitStatus: _ours, tieBreaker: _tie, ...rest } = pw;
  return { ...rest };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
