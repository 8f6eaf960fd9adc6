/**
 * The control-connection state machine (RFC 2661 §7.2), both roles, with its sessions: sans-I/O.
 * `handle(event, now)` returns actions; time is an argument; randomness is injected.
 */
import { Sequencer } from '../reliable/sequencer.js';
import type { SequencerOutput } from '../reliable/types.js';
import { assertBytes, assertInt } from '../wire/bytes.js';
import { challengeResponse, verifyChallengeResponse } from '../wire/challenge.js';
import { hello, sccrp, sccrq, scccn, stopccn, zlb, type MessageOptions } from '../wire/builders.js';
import { parseControl, type ControlMessage } from '../wire/control.js';
import { parseData } from '../wire/data.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import { GeneralError, StopCcnResult } from '../wire/result-codes.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import { compareTieBreakers, knownMessageType, mandatoryProblem, randomId16, sessionMessageType, type Rejection } from './checks.js';
import { resolveTunnelOptions, type ResolvedTunnelOptions, type TunnelOptions } from './options.js';
import { Sessions } from './sessions.js';
import { TUNNEL_TRANSITIONS, findTransition, type TunnelTableEvent } from './table.js';
import type { PeerInfo, SessionState, TunnelAction, TunnelEvent, TunnelRole, TunnelState } from './types.js';

/** Length of the challenges and random vectors we make (16, as MD5 is; RFC 2661 allows any). */
const RANDOM_LENGTH = 16;
/** Error Code of a StopCCN result 5: the highest version we support, 1.0 (RFC 2661 §4.4.2). */
const HIGHEST_VERSION = 0x0100;
/** RFC 2661 §5.8: the peer's window is 4 when it sends no Receive Window Size AVP. */
const DEFAULT_PEER_WINDOW = 4;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One L2TPv2 control connection and its sessions, as a pure state machine (the h11 design):
 * feed it events with {@link handle}, carry out the actions it returns, and call it with a
 * `tick` at {@link nextDeadline}. It never touches a socket or a clock.
 *
 * - Roles are chosen by the first event: `open` makes it the initiator (SCCRQ →
 *   wait-ctl-reply), a received SCCRQ the responder (SCCRP → wait-ctl-conn).
 * - Remote errors (anything the peer sends) never throw: they become actions — an `error`, or a
 *   teardown with StopCCN/CDN and `stopped`/`session-down` carrying an {@link L2tpError}.
 * - Local errors (this API misused: opening a session before `established`, an unknown session
 *   ID, a bad option) throw `TypeError` (wrong state) or `RangeError` (bad value/ID), and
 *   change nothing.
 *
 * Routing is the driver's job: give it the messages whose header Tunnel ID is
 * {@link localTunnelId}, plus (for a responder) the first SCCRQ, and (for an initiator using a
 * Tie Breaker) an SCCRQ the same peer sends while ours is outstanding.
 *
 * @example
 * ```ts
 * const lac = new TunnelFsm({ hostName: 'lac', random: (n) => crypto.getRandomValues(new Uint8Array(n)) });
 * for (const a of lac.handle({ type: 'open' }, Date.now())) if (a.type === 'send') socket.send(a.bytes);
 * ```
 */
export class TunnelFsm {
  /** Our Tunnel ID: the peer writes it in the header of everything it sends us. */
  readonly localTunnelId: number;
  private readonly o: ResolvedTunnelOptions;
  private st: TunnelState = 'idle';
  private roleV: TunnelRole | undefined;
  private peerId = 0;
  private seq: Sequencer<ControlMessage> | undefined;
  private ourChallenge: Uint8Array | undefined;
  private ourTie: Uint8Array | undefined;
  private peer: Mutable<PeerInfo> | undefined;
  private lastHeard = 0;
  private readonly sessions: Sessions;

  // Scratch of the handle() call in progress.
  private acts: TunnelAction[] = [];
  private now = 0;
  private ackDue: { ns: number; nr: number } | undefined;

  /** @throws `TypeError`/`RangeError` for bad options. */
  constructor(options: TunnelOptions) {
    this.o = resolveTunnelOptions(options);
    this.localTunnelId = this.o.localTunnelId ?? randomId16(this.o.random, () => false);
    this.sessions = new Sessions(
      {
        common: (sessionId) => this.common(sessionId),
        sendControl: (bytes) => this.sendControl(bytes),
        emit: (a) => this.acts.push(a),
        peerTunnelId: () => this.peerId,
      },
      this.o,
    );
  }

  /** The control connection's state (RFC 2661 §7.2.1 names, plus `closing` and `closed`). */
  get state(): TunnelState {
    return this.st;
  }

  /** `initiator` after `open`, `responder` after a received SCCRQ; `undefined` while idle. */
  get role(): TunnelRole | undefined {
    return this.roleV;
  }

  /** The peer's Tunnel ID (0 until its SCCRQ/SCCRP arrived). */
  get peerTunnelId(): number {
    return this.peerId;
  }

  /** What the peer told us, once established. */
  get peerInfo(): PeerInfo | undefined {
    return this.st === 'established' || this.st === 'closing' ? this.peer : undefined;
  }

  /** Live sessions on this tunnel. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Local IDs of the live sessions. */
  sessionIds(): number[] {
    return this.sessions.ids();
  }

  /** A session's state, or `undefined` when no live session has this local ID. */
  sessionState(sessionId: number): SessionState | undefined {
    return this.sessions.state(sessionId);
  }

  /** When to send the next `tick` (same clock as `now`), or `undefined` when nothing is pending. */
  nextDeadline(): number | undefined {
    let d = this.seq?.nextDeadline();
    if (this.st === 'established' && this.o.helloInterval > 0) {
      const h = this.lastHeard + this.o.helloInterval;
      if (d === undefined || h < d) d = h;
    }
    return d;
  }

  /**
   * Feed one event; returns what to do, in order.
   * @throws `TypeError`/`RangeError` only for local errors (see the class notes); never for
   *   anything in received bytes.
   */
  handle(event: TunnelEvent, now: number): TunnelAction[] {
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new RangeError(`now must be a finite number of milliseconds, got ${String(now)}`);
    if (event === null || typeof event !== 'object') throw new TypeError(`event must be an object with a type, got ${event === null ? 'null' : typeof event}`);
    const acts: TunnelAction[] = (this.acts = []);
    this.now = now;
    this.ackDue = undefined;
    switch (event.type) {
      case 'open':
        this.onOpen();
        break;
      case 'received':
        assertBytes(event.bytes, 'event.bytes');
        try {
          this.onReceived(event.bytes);
        } catch (e) {
          // Nothing the peer sends may throw out of handle(); a bug here must not kill the driver.
          const error = e instanceof L2tpError ? e : new L2tpError('PROTOCOL', `internal error while handling a received message: ${String(e)}`, undefined, { cause: e });
          acts.push({ type: 'error', error });
        }
        break;
      case 'tick':
        if (this.seq !== undefined) this.absorb(this.seq.tick(now));
        this.helloIfDue();
        break;
      case 'close':
        this.onClose(event.result ?? { result: StopCcnResult.GeneralRequest });
        break;
      case 'hello':
        this.needEstablished('hello');
        this.sendControl(hello(this.common(0)));
        break;
      case 'openSession':
        this.needEstablished('openSession');
        this.sessions.open(event.call);
        break;
      case 'closeSession':
        this.sessions.close(event.sessionId, event.result ?? { result: 3 }, event.cause);
        break;
      case 'sendFrame':
        this.needEstablished('sendFrame');
        acts.push({ type: 'send', bytes: this.sessions.frame(event.sessionId, event.frame) });
        break;
      case 'sendWen':
        this.needEstablished('sendWen');
        this.sessions.sendWen(event.sessionId, event.callErrors);
        break;
      case 'sendSli':
        this.needEstablished('sendSli');
        this.sessions.sendSli(event.sessionId, event.accm);
        break;
      default:
        throw new TypeError(`unknown event type ${String((event as { type: unknown }).type)}`);
    }
    const ack = this.ackDue as { ns: number; nr: number } | undefined;
    if (ack !== undefined && this.st !== 'closed') this.acts.push({ type: 'send', bytes: zlb({ tunnelId: this.peerId, ns: ack.ns, nr: ack.nr }) });
    this.acts = [];
    return acts;
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing

  /** Move along the table; `undefined` when the table has no row (the caller decides). */
  private go(event: TunnelTableEvent): boolean {
    const row = findTransition(TUNNEL_TRANSITIONS, this.st, event);
    if (row === undefined) return false;
    this.st = row.next;
    return true;
  }

  private needEstablished(what: string): void {
    if (this.st !== 'established') throw new TypeError(`${what}: the tunnel is ${this.st}; wait for the established action`);
  }

  /**
   * Header fields (and hiding) for a message we send. SCCRQ and SCCRP go unhidden (`hide`
   * false): real peers (xl2tpd) load the tunnel secret only once the SCCRQ/SCCRP is parsed, so
   * they cannot unhide anything in them and tear the tunnel down ("Invalid Hidden AVP").
   */
  private common(sessionId: number, hide = true): MessageOptions {
    const c: { tunnelId: number; sessionId: number; hiding?: MessageOptions['hiding'] } = { tunnelId: this.peerId, sessionId };
    if (hide && this.o.hideAvps) c.hiding = { secret: this.o.secret!, randomVector: this.o.random(RANDOM_LENGTH), pad: this.o.hidePad };
    return c;
  }

  private sendControl(bytes: Uint8Array): void {
    const seq = this.seq;
    if (seq === undefined || seq.failed || seq.state !== 'open') return;
    this.absorb(seq.send(bytes, this.now));
  }

  /** Act on a Sequencer output at once: the object is reused by the next call. */
  private absorb(out: SequencerOutput<ControlMessage>): void {
    const t = out.transmit;
    for (let i = 0; i < t.length; i++) this.acts.push({ type: 'send', bytes: t[i]!.slice() });
    // Whatever went out carries the newest Nr, so it is the ack.
    if (t.length !== 0) this.ackDue = undefined;
    if (out.ack) this.ackDue = { ns: out.ackNs, nr: out.ackNr };
    const failed = out.failed;
    const closed = out.closed;
    if (failed) this.onRetriesExhausted();
    if (closed) this.onLingerOver();
  }

  private stopped(by: 'local' | 'peer', result: ResultCodeValue | undefined, error: L2tpError | undefined): void {
    const a: Mutable<Extract<TunnelAction, { type: 'stopped' }>> = { type: 'stopped', by };
    if (result !== undefined) a.result = result;
    if (error !== undefined) a.error = error;
    this.acts.push(a);
  }

  private finish(): void {
    this.st = 'closed';
    this.seq = undefined;
    this.ackDue = undefined;
    this.acts.push({ type: 'closed' });
  }

  /**
   * Tear down from our side with a StopCCN carrying `result` (§5.7), keep acking for a full
   * retransmission cycle (§5.8: the Sequencer lingers), then `closed`.
   */
  private teardown(event: TunnelTableEvent, result: ResultCodeValue, error: L2tpError | undefined): void {
    if (!this.go(event)) return;
    this.sessions.allDown('local', error);
    this.stopped('local', result, error);
    if (this.st !== 'closing') {
      this.finish();
      return;
    }
    const seq = this.seq;
    if (seq === undefined || seq.failed) {
      this.finish();
      return;
    }
    this.sendControl(stopccn({ ...this.common(0), assignedTunnelId: this.localTunnelId, resultCode: result }));
    if (this.seq !== undefined && this.st === 'closing') this.absorb(this.seq.close(this.now));
  }

  private refuse(event: TunnelTableEvent, result: number, error: number, message: string, code: L2tpError['code'] = 'PROTOCOL'): void {
    this.teardown(event, { result, error, message }, new L2tpError(code, message));
  }

  private onRetriesExhausted(): void {
    const was = this.st;
    if (!this.go('retries-exhausted')) return;
    if (was !== 'closing') {
      const error = new L2tpError('TIMEOUT', 'no acknowledgement from the peer after every retransmission (RFC 2661 §5.8)');
      this.sessions.allDown('local', error);
      this.stopped('local', undefined, error);
    }
    this.finish();
  }

  private onLingerOver(): void {
    if (this.go('linger-over')) this.finish();
  }

  private helloIfDue(): void {
    if (this.st !== 'established' || this.o.helloInterval <= 0) return;
    if (this.now < this.lastHeard + this.o.helloInterval) return;
    this.go('hello-due');
    // Restart the idle clock so one silence yields one HELLO; the Sequencer retries it.
    this.lastHeard = this.now;
    this.sendControl(hello(this.common(0)));
  }

  // ------------------------------------------------------------------------------------------
  // Local events

  private onOpen(): void {
    if (this.st !== 'idle') throw new TypeError(`open: the tunnel is ${this.st}; open() is only for a fresh (idle) TunnelFsm`);
    this.go('open');
    this.roleV = 'initiator';
    this.seq = new Sequencer<ControlMessage>(this.o.sequencer);
    if (this.o.secret !== undefined) this.ourChallenge = this.o.random(RANDOM_LENGTH);
    const tie = this.o.tieBreaker;
    this.ourTie = tie === true ? this.o.random(8) : tie === false ? undefined : tie;
    this.sendControl(
      sccrq({
        ...this.common(0, false),
        hostName: this.o.hostName,
        assignedTunnelId: this.localTunnelId,
        receiveWindowSize: this.seq.receiveWindow,
        framingCapabilities: this.o.framingCapabilities,
        bearerCapabilities: this.o.bearerCapabilities,
        firmwareRevision: this.o.firmwareRevision,
        vendorName: this.o.vendorName,
        tieBreaker: this.ourTie,
        challenge: this.ourChallenge,
      }),
    );
  }

  private onClose(result: ResultCodeValue): void {
    if (result === null || typeof result !== 'object') throw new TypeError('close: result must be a Result Code value { result, error?, message? }');
    assertInt(result.result, 0, 0xffff, 'close: result.result');
    if (this.st === 'closing' || this.st === 'closed') return;
    if (this.st === 'idle' || this.st === 'wait-ctl-reply') {
      this.go('close');
      this.stopped('local', result, undefined);
      this.finish();
      return;
    }
    this.teardown('close', result, undefined);
  }

  // ------------------------------------------------------------------------------------------
  // Received bytes

  private onReceived(bytes: Uint8Array): void {
    if (this.st === 'closed') return;
    if (bytes.length < 2) {
      this.acts.push({ type: 'error', error: new L2tpError('TRUNCATED', 'message shorter than the 2-byte flags word', bytes.length) });
      return;
    }
    if ((bytes[0]! & 0x80) === 0) {
      this.onData(bytes);
      return;
    }
    let m: ControlMessage;
    try {
      // Required AVPs are checked here, so a missing one gets a StopCCN rather than silence.
      m = parseControl(bytes, { secret: this.o.secret, requireAvps: false });
    } catch (e) {
      this.onMalformed(bytes, e);
      return;
    }
    if (m.version !== 2) {
      this.acts.push({ type: 'error', error: new L2tpError('BAD_VERSION', 'an L2TPv3 control message: this state machine speaks L2TPv2 (RFC 2661)') });
      return;
    }
    const freshSccrq = !m.isZlb && m.type === MessageType.SCCRQ && m.tunnelId === 0;
    if (freshSccrq && this.st === 'idle') {
      this.roleV = 'responder';
      // RFC 2661 §5.8: the first Ns is 0; start from whatever the SCCRQ carries so a peer that starts elsewhere still gets through.
      this.seq = new Sequencer<ControlMessage>({ ...this.o.sequencer, initialNr: m.ns });
    } else if (freshSccrq && this.st === 'wait-ctl-reply') {
      this.onCrossedSccrq(m);
      return;
    } else if (m.tunnelId !== this.localTunnelId && !freshSccrq && !this.refusalOfOurSccrq(m)) {
      // Not addressed to this tunnel (the driver routed it wrongly, or a stray): not ours to act on.
      return;
    }
    const seq = this.seq;
    if (seq === undefined) {
      this.acts.push({ type: 'error', error: new L2tpError('PROTOCOL', `${m.typeName} before any control connection exists (RFC 2661 §7.2.1: only SCCRQ starts one)`) });
      return;
    }
    this.lastHeard = this.now;
    const out = seq.receive(m, this.now);
    const delivered = out.deliver.length === 0 ? undefined : out.deliver.slice();
    this.absorb(out);
    if (delivered === undefined) return;
    for (let i = 0; i < delivered.length; i++) {
      if ((this.st as TunnelState) === 'closed') return;
      this.onMessage(delivered[i]!);
    }
  }

  /**
   * A StopCCN answering our SCCRQ from a peer that could not read our Assigned Tunnel ID:
   * xl2tpd then addresses it to Tunnel ID 0 (as LAC) or 65535 (as LNS). Taking it lets the
   * user see the peer's reason instead of a timeout.
   */
  private refusalOfOurSccrq(m: ControlMessage): boolean {
    return this.st === 'wait-ctl-reply' && !m.isZlb && m.type === MessageType.StopCCN && (m.tunnelId === 0 || m.tunnelId === 0xffff);
  }

  /** A control message that does not parse. */
  private onMalformed(bytes: Uint8Array, e: unknown): void {
    const error = e instanceof L2tpError ? e : new L2tpError('PROTOCOL', String(e), undefined, { cause: e });
    const tid = bytes.length >= 6 ? (bytes[4]! << 8) | bytes[5]! : -1;
    const ours = tid === this.localTunnelId && (this.st === 'wait-ctl-reply' || this.st === 'wait-ctl-conn' || this.st === 'established');
    if (!ours) {
      this.acts.push({ type: 'error', error });
      return;
    }
    // A broken message in our control connection: general error (RFC 2661 §4.4.2), as xl2tpd does.
    const code = error.code === 'BAD_LENGTH' || error.code === 'BAD_AVP_LENGTH' || error.code === 'TRUNCATED' ? GeneralError.BadLength : error.code === 'BAD_AVP_VALUE' || error.code === 'BAD_FLAGS' ? GeneralError.OutOfRange : GeneralError.VendorSpecific;
    this.teardown('recv-broken', { result: StopCcnResult.GeneralError, error: code, message: error.message.slice(0, 200) }, error);
  }

  private onData(bytes: Uint8Array): void {
    if (this.st !== 'established') return;
    let d;
    try {
      d = parseData(bytes);
    } catch (e) {
      this.acts.push({ type: 'error', error: e instanceof L2tpError ? e : new L2tpError('PROTOCOL', String(e)) });
      return;
    }
    // Data for another tunnel or an unknown session is dropped (RFC 2661 §3.1 IDs are ours).
    if (d.version !== 2 || d.tunnelId !== this.localTunnelId) return;
    this.sessions.onData(d.sessionId, d.payload);
  }

  /**
   * We are the initiator and the peer's own SCCRQ crossed ours (RFC 2661 §4.4.3 Tie Breaker):
   * the lower value wins; with one value only, its sender wins; equal values discard both; with
   * none, two tunnels are meant, and this SCCRQ is for another (responder) TunnelFsm.
   */
  private onCrossedSccrq(m: ControlMessage): void {
    const ours = this.ourTie;
    const theirs = m.tieBreaker;
    if (ours === undefined && theirs === undefined) return;
    const c = ours !== undefined && theirs !== undefined ? compareTieBreakers(ours, theirs) : ours !== undefined ? -1 : 1;
    if (c < 0) {
      this.go('recv-SCCRQ-win-tie');
      return;
    }
    if (c === 0) {
      this.go('recv-SCCRQ-equal-tie');
      this.stopped('local', undefined, new L2tpError('PROTOCOL', 'simultaneous SCCRQs with equal Tie Breakers: both tunnels discarded (RFC 2661 §4.4.3)'));
      this.finish();
      return;
    }
    // We lost: silently discard our tunnel and answer theirs as a responder.
    this.go('recv-SCCRQ-lose-tie');
    this.ourChallenge = undefined;
    this.ourTie = undefined;
    this.roleV = 'responder';
    this.seq = new Sequencer<ControlMessage>({ ...this.o.sequencer, initialNr: m.ns });
    this.lastHeard = this.now;
    const out = this.seq.receive(m, this.now);
    const delivered = out.deliver.slice();
    this.absorb(out);
    for (const d of delivered) if ((this.st as TunnelState) !== 'closed') this.onMessage(d);
  }

  /** One delivered control message, in order, exactly once (the Sequencer saw to it). */
  private onMessage(m: ControlMessage): void {
    if (this.st === 'closing') {
      // Only acks matter now (the Sequencer sends them); a crossing StopCCN needs nothing more.
      if (m.type === MessageType.StopCCN) this.go('recv-StopCCN');
      return;
    }
    if (!knownMessageType(m.type)) {
      // §4.4.1: an unknown message type with M=1 clears the tunnel; with M=0 it is ignored.
      if (m.avps[0]!.mandatory) this.broken({ error: GeneralError.OutOfRange, message: `unknown message type ${m.type} with the M bit set` });
      return;
    }
    const problem = mandatoryProblem(m, this.o.secret !== undefined);
    if (m.type === MessageType.StopCCN) {
      this.onStopccn(m);
      return;
    }
    if (sessionMessageType(m.type)) {
      if (this.st !== 'established') return this.outOfState(m);
      this.sessions.onMessage(m, problem);
      return;
    }
    switch (m.type) {
      case MessageType.SCCRQ:
        return this.st === 'idle' ? this.onSccrq(m, problem) : this.outOfState(m);
      case MessageType.SCCRP:
        return this.st === 'wait-ctl-reply' ? this.onSccrp(m, problem) : this.outOfState(m);
      case MessageType.SCCCN:
        return this.st === 'wait-ctl-conn' ? this.onScccn(m, problem) : this.outOfState(m);
      case MessageType.HELLO:
        // The Sequencer acks it; nothing else to do (§6.5). An unknown M=1 AVP in it still tears down.
        if (problem !== undefined) this.broken(problem);
        return;
    }
  }

  private broken(p: Rejection): void {
    this.refuse('recv-broken', StopCcnResult.GeneralError, p.error, p.message);
  }

  private outOfState(m: ControlMessage): void {
    this.refuse('recv-out-of-state', StopCcnResult.FsmError, GeneralError.NoError, `unexpected ${m.typeName} in state ${this.st}`);
  }

  /**
   * Checks shared by SCCRQ and SCCRP (RFC 2661 §6.1, §6.2, §4.4.3): what makes one "not
   * acceptable". Returns the refusal, or `undefined`.
   */
  private startProblem(m: ControlMessage, problem: Rejection | undefined): { result: number; error: number; message: string; code?: L2tpError['code'] } | undefined {
    if (problem !== undefined) return { result: StopCcnResult.GeneralError, ...problem };
    const v = m.protocolVersion;
    if (v === undefined || v.version !== 1 || v.revision !== 0) {
      const got = v === undefined ? 'no Protocol Version AVP' : `protocol version ${v.version}.${v.revision}`;
      return { result: StopCcnResult.UnsupportedVersion, error: HIGHEST_VERSION, message: `${got}; only 1.0 (RFC 2661) is supported` };
    }
    if (m.assignedTunnelId === undefined) return { result: StopCcnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without Assigned Tunnel ID`, code: 'MISSING_AVP' };
    if (m.assignedTunnelId === 0) return { result: StopCcnResult.GeneralError, error: GeneralError.OutOfRange, message: `${m.typeName} with Assigned Tunnel ID 0, which RFC 2661 §4.4.3 reserves`, code: 'PROTOCOL' };
    if (m.hostName === undefined) return { result: StopCcnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without Host Name`, code: 'MISSING_AVP' };
    if (m.framingCapabilities === undefined) return { result: StopCcnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without Framing Capabilities`, code: 'MISSING_AVP' };
    if (m.receiveWindowSize === 0) return { result: StopCcnResult.GeneralError, error: GeneralError.OutOfRange, message: 'Receive Window Size 0 (RFC 2661 §5.8)' };
    if (m.challenge !== undefined && this.o.secret === undefined) {
      return { result: StopCcnResult.NotAuthorized, error: GeneralError.NoError, message: 'challenged, but no tunnel secret is configured here', code: 'AUTH_FAILED' };
    }
    return undefined;
  }

  private notePeer(m: ControlMessage): void {
    const p: Mutable<PeerInfo> = {
      localTunnelId: this.localTunnelId,
      assignedTunnelId: m.assignedTunnelId!,
      role: this.roleV!,
      hostName: m.hostName!,
      protocolVersion: m.protocolVersion!,
      receiveWindowSize: m.receiveWindowSize ?? DEFAULT_PEER_WINDOW,
      challenged: m.challenge !== undefined,
      authenticated: false,
    };
    if (m.vendorName !== undefined) p.vendorName = m.vendorName;
    if (m.firmwareRevision !== undefined) p.firmwareRevision = m.firmwareRevision;
    if (m.framingCapabilities !== undefined) p.framingCapabilities = m.framingCapabilities;
    if (m.bearerCapabilities !== undefined) p.bearerCapabilities = m.bearerCapabilities;
    if (m.tieBreaker !== undefined) p.tieBreaker = m.tieBreaker.slice();
    this.peer = p;
    this.seq!.setPeerWindow(p.receiveWindowSize);
  }

  private established(): void {
    this.lastHeard = this.now;
    this.acts.push({ type: 'established', peer: { ...this.peer! } });
  }

  /** Responder: the peer's SCCRQ (RFC 2661 §7.2.1 idle). */
  private onSccrq(m: ControlMessage, problem: Rejection | undefined): void {
    if (m.assignedTunnelId === undefined || m.assignedTunnelId === 0) {
      // No usable Tunnel ID to address a StopCCN to (0 is reserved, RFC 2661 §4.4.3): forget it.
      this.acts.push({ type: 'error', error: new L2tpError('MISSING_AVP', 'SCCRQ without a usable Assigned Tunnel ID (absent, or the reserved 0): ignored') });
      this.stopped('peer', undefined, new L2tpError('MISSING_AVP', 'SCCRQ without Assigned Tunnel ID'));
      this.finish();
      return;
    }
    this.peerId = m.assignedTunnelId;
    const bad = this.startProblem(m, problem);
    if (bad !== undefined) return this.refuse('recv-SCCRQ-not-acceptable', bad.result, bad.error, bad.message, bad.code);
    this.notePeer(m);
    const secret = this.o.secret;
    if (secret !== undefined) this.ourChallenge = this.o.random(RANDOM_LENGTH);
    this.go('recv-SCCRQ-acceptable');
    this.sendControl(
      sccrp({
        ...this.common(0, false),
        hostName: this.o.hostName,
        assignedTunnelId: this.localTunnelId,
        receiveWindowSize: this.seq!.receiveWindow,
        framingCapabilities: this.o.framingCapabilities,
        bearerCapabilities: this.o.bearerCapabilities,
        firmwareRevision: this.o.firmwareRevision,
        vendorName: this.o.vendorName,
        // §4.2: the response carried in an SCCRP is keyed with the SCCRP's type, 2.
        challengeResponse: m.challenge !== undefined ? challengeResponse(MessageType.SCCRP, secret!, m.challenge) : undefined,
        challenge: this.ourChallenge,
      }),
    );
  }

  /** Initiator: the peer's SCCRP (RFC 2661 §7.2.1 wait-ctl-reply). */
  private onSccrp(m: ControlMessage, problem: Rejection | undefined): void {
    if (m.assignedTunnelId !== undefined) this.peerId = m.assignedTunnelId;
    const bad = this.startProblem(m, problem);
    if (bad !== undefined) return this.refuse('recv-SCCRP-not-acceptable', bad.result, bad.error, bad.message, bad.code);
    const secret = this.o.secret;
    if (this.ourChallenge !== undefined) {
      const r = m.challengeResponse;
      if (r === undefined || !verifyChallengeResponse(MessageType.SCCRP, secret!, this.ourChallenge, r)) {
        const what = r === undefined ? 'no Challenge Response' : 'a wrong Challenge Response';
        return this.refuse('recv-SCCRP-not-acceptable', StopCcnResult.NotAuthorized, GeneralError.NoError, `SCCRP with ${what} (RFC 2661 §5.1.1)`, 'AUTH_FAILED');
      }
    }
    this.notePeer(m);
    this.peer!.authenticated = this.ourChallenge !== undefined;
    this.go('recv-SCCRP-acceptable');
    this.sendControl(
      scccn({
        ...this.common(0),
        challengeResponse: m.challenge !== undefined ? challengeResponse(MessageType.SCCCN, secret!, m.challenge) : undefined,
      }),
    );
    this.established();
  }

  /** Responder: the peer's SCCCN (RFC 2661 §7.2.1 wait-ctl-conn). */
  private onScccn(m: ControlMessage, problem: Rejection | undefined): void {
    if (problem !== undefined) return this.refuse('recv-SCCCN-not-acceptable', StopCcnResult.GeneralError, problem.error, problem.message);
    if (this.ourChallenge !== undefined) {
      const r = m.challengeResponse;
      if (r === undefined || !verifyChallengeResponse(MessageType.SCCCN, this.o.secret!, this.ourChallenge, r)) {
        const what = r === undefined ? 'no Challenge Response' : 'a wrong Challenge Response';
        return this.refuse('recv-SCCCN-not-acceptable', StopCcnResult.NotAuthorized, GeneralError.NoError, `SCCCN with ${what} (RFC 2661 §5.1.1)`, 'AUTH_FAILED');
      }
      this.peer!.authenticated = true;
    }
    this.go('recv-SCCCN-acceptable');
    this.established();
  }

  /**
   * The peer's StopCCN (§5.7): ack at once, clear every session, then linger for a full
   * retransmission cycle so a retransmitted StopCCN (our ZLB lost) is acked again.
   */
  private onStopccn(m: ControlMessage): void {
    if (!this.go('recv-StopCCN')) return;
    const seq = this.seq!;
    if (this.peerId === 0 && m.assignedTunnelId !== undefined) this.peerId = m.assignedTunnelId;
    // Ack now rather than after the ack delay: the peer is waiting for it to let go.
    this.acts.push({ type: 'send', bytes: zlb({ tunnelId: this.peerId, ns: seq.nextNs, nr: seq.nextNr }) });
    const r = m.resultCode;
    const error = new L2tpError('PEER_STOPPED', `peer sent StopCCN${r ? ` (result ${r.result}${r.error !== undefined ? `, error ${r.error}` : ''}${r.message ? `: ${r.message}` : ''})` : ''}`);
    this.sessions.allDown('peer', error);
    this.stopped('peer', r, error);
    if (this.st === 'closing') this.absorb(seq.abandon(this.now));
    else this.finish();
    // The ZLB above already carries this ack.
    this.ackDue = undefined;
  }
}
