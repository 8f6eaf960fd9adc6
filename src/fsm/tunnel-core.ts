/**
 * The state a {@link TunnelFsm} keeps and the plumbing every part of it shares: moving along the
 * transition table, sending through the Sequencer, and the ways a control connection ends.
 * The handshake (handshake.ts) and the received-message dispatch (receive.ts) work on it.
 * @internal
 */
import { Sequencer } from '../reliable/sequencer.js';
import type { SequencerOutput } from '../reliable/types.js';
import type { MessageOptions } from '../wire/builders.js';
import type { ControlMessage } from '../wire/control.js';
import { L2tpError } from '../wire/errors.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import { randomId16, randomId32 } from './checks.js';
import type { Dialect } from './dialect.js';
import { V2 } from './dialect-v2.js';
import { V3 } from './dialect-v3.js';
import type { ResolvedTunnelOptions } from './options.js';
import { Sessions } from './sessions.js';
import { TUNNEL_TRANSITIONS, findTransition, type TunnelTableEvent } from './table.js';
import type { PeerInfo, TunnelAction, TunnelRole, TunnelState } from './types.js';

/** Length of the challenges and random vectors we make (16, as MD5 is; RFC 2661 allows any). */
export const RANDOM_LENGTH = 16;

/** @internal */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The actions array of every tunnel between `handle()` calls: frozen, so a push outside a call
 * throws instead of leaking into another tunnel (one shared array, not an empty one per idle
 * tunnel: issue 16).
 */
/** What {@link TunnelCore.absorb} leaves in a Sequencer output's lists once it has taken them. */
const NO_MESSAGES: readonly never[] = Object.freeze([]);

export const NO_ACTIONS: TunnelAction[] = Object.freeze([]) as unknown as TunnelAction[];

/** @internal The mutable core of one control connection. */
export class TunnelCore {
  /** Our Tunnel ID (v2) or Control Connection ID (v3). */
  readonly localTunnelId: number;
  /** What this version does differently (dialect-v2.ts, dialect-v3.ts). */
  readonly v: Dialect;
  st: TunnelState = 'idle';
  role: TunnelRole | undefined;
  peerId = 0;
  seq: Sequencer<ControlMessage> | undefined;
  /** Challenge, nonces, Tie Breaker and a v3 authentication failure: one object made when one is set (most tunnels have none). */
  private sec: TunnelSecrets | undefined = undefined;
  peer: Mutable<PeerInfo> | undefined;
  lastHeard = 0;
  /**
   * When a half-open tunnel (wait-ctl-reply, wait-ctl-conn) is given up: see `handshakeTimeout`.
   * `undefined` until set, meaning never: `Infinity` would be a 16-byte heap number per tunnel.
   */
  handshakeAt: number | undefined = undefined;
  /** The session table, made with the first session (most tunnels of a busy LNS have none: issue 16). */
  private ss: Sessions | undefined = undefined;

  // Scratch of the handle() call in progress (NO_ACTIONS between calls).
  acts: TunnelAction[] = NO_ACTIONS;
  now = 0;
  ackDue: { ns: number; nr: number } | undefined;

  constructor(readonly o: ResolvedTunnelOptions, localTunnelId?: number) {
    this.v = o.version === 3 ? V3 : V2;
    this.localTunnelId = localTunnelId ?? o.localTunnelId ?? (o.version === 3 ? randomId32 : randomId16)(o.random, () => false);
  }

  /** The session table, made on first use: one object that is also the sessions' host (prototype methods, no closures; issue 16). */
  get sessions(): Sessions {
    return (this.ss ??= new Sessions(this));
  }

  /** The session table if one was ever needed: read-only paths use this and allocate nothing. */
  get sessionsIfAny(): Sessions | undefined {
    return this.ss;
  }

  /** v2: the Challenge we sent (RFC 2661 §4.4.3), until the peer's response is checked. */
  get ourChallenge(): Uint8Array | undefined {
    return this.sec?.ourChallenge;
  }
  set ourChallenge(v: Uint8Array | undefined) {
    if (v !== undefined || this.sec !== undefined) (this.sec ??= new TunnelSecrets()).ourChallenge = v;
  }
  /** v3 with authentication: our Control Message Authentication Nonce (RFC 3931 §5.4.1). */
  get ourNonce(): Uint8Array | undefined {
    return this.sec?.ourNonce;
  }
  set ourNonce(v: Uint8Array | undefined) {
    if (v !== undefined || this.sec !== undefined) (this.sec ??= new TunnelSecrets()).ourNonce = v;
  }
  /** v3 with authentication: the peer's nonce. */
  get peerNonce(): Uint8Array | undefined {
    return this.sec?.peerNonce;
  }
  set peerNonce(v: Uint8Array | undefined) {
    if (v !== undefined || this.sec !== undefined) (this.sec ??= new TunnelSecrets()).peerNonce = v;
  }
  /** The Tie Breaker of our SCCRQ (RFC 2661 §4.4.3), while it can matter. */
  get ourTie(): Uint8Array | undefined {
    return this.sec?.ourTie;
  }
  set ourTie(v: Uint8Array | undefined) {
    if (v !== undefined || this.sec !== undefined) (this.sec ??= new TunnelSecrets()).ourTie = v;
  }

  /** v3: why the peer's last dropped message failed authentication (RFC 3931 §5.4.1), for a timeout to report. */
  get authFailure(): L2tpError | undefined {
    return this.sec?.authFailure;
  }
  set authFailure(v: L2tpError | undefined) {
    if (v !== undefined || this.sec !== undefined) (this.sec ??= new TunnelSecrets()).authFailure = v;
  }

  /** Move along the table; false when the table has no row (the caller decides). */
  go(event: TunnelTableEvent): boolean {
    const row = findTransition(TUNNEL_TRANSITIONS, this.st, event, this.o.version);
    if (row === undefined) return false;
    this.st = row.next;
    return true;
  }

  needEstablished(what: string): void {
    if (this.st !== 'established') throw new TypeError(`${what}: the tunnel is ${this.st}; wait for the established action`);
  }

  /**
   * Header fields (and hiding) for a message we send. SCCRQ and SCCRP go unhidden (`hide`
   * false): real peers (xl2tpd) load the tunnel secret only once the SCCRQ/SCCRP is parsed, so
   * they cannot unhide anything in them and tear the tunnel down ("Invalid Hidden AVP").
   */
  common(sessionId: number, hide = true): MessageOptions {
    const c: { tunnelId: number; sessionId: number; hiding?: MessageOptions['hiding'] } = { tunnelId: this.peerId, sessionId };
    if (hide && this.o.hideAvps) c.hiding = { secret: this.o.hidingKey!, randomVector: this.o.random(RANDOM_LENGTH), pad: this.o.hidePad };
    return c;
  }

  sendControl(bytes: Uint8Array): void {
    const seq = this.seq;
    if (seq === undefined || seq.failed || seq.state !== 'open') return;
    this.absorb(seq.send(bytes, this.now));
  }

  /**
   * Act on a Sequencer output at once: the object is reused by the next call. Its lists are
   * let go here (the caller has copied what it delivers): an idle tunnel would otherwise keep
   * its last message and datagram alive until the next event, ~600 B, and the lists themselves,
   * 32 B each (issue 16). The Sequencer puts fresh ones in at its next call.
   */
  absorb(out: SequencerOutput<ControlMessage>): void {
    const t = out.transmit;
    for (let i = 0; i < t.length; i++) {
      const bytes = t[i]!.slice();
      this.v.seal(this, bytes);
      this.acts.push({ type: 'send', bytes });
    }
    // Whatever went out carries the newest Nr, so it is the ack.
    if (t.length !== 0) {
      this.ackDue = undefined;
      (out as Mutable<SequencerOutput<ControlMessage>>).transmit = NO_MESSAGES;
    }
    if (out.deliver.length !== 0) (out as Mutable<SequencerOutput<ControlMessage>>).deliver = NO_MESSAGES;
    if (out.ack) this.ackDue = { ns: out.ackNs, nr: out.ackNr };
    const failed = out.failed;
    const closed = out.closed;
    if (failed) this.onRetriesExhausted();
    if (closed) this.onLingerOver();
  }

  stopped(by: 'local' | 'peer', result: ResultCodeValue | undefined, error: L2tpError | undefined): void {
    const a: Mutable<Extract<TunnelAction, { type: 'stopped' }>> = { type: 'stopped', by };
    if (result !== undefined) a.result = result;
    if (error !== undefined) a.error = error;
    this.acts.push(a);
  }

  finish(): void {
    this.st = 'closed';
    this.seq = undefined;
    this.ackDue = undefined;
    this.acts.push({ type: 'closed' });
  }

  /**
   * Tear down from our side with a StopCCN carrying `result` (§5.7), keep acking for a full
   * retransmission cycle (§5.8: the Sequencer lingers), then `closed`.
   */
  teardown(event: TunnelTableEvent, result: ResultCodeValue, error: L2tpError | undefined): void {
    if (!this.go(event)) return;
    this.ss?.allDown('local', error);
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
    this.sendControl(this.v.stopccn(this, result));
    if (this.seq !== undefined && this.st === 'closing') this.absorb(this.seq.close(this.now));
  }

  refuse(event: TunnelTableEvent, result: number, error: number, message: string, code: L2tpError['code'] = 'PROTOCOL'): void {
    this.teardown(event, { result, error, message }, new L2tpError(code, message));
  }

  onRetriesExhausted(): void {
    const was = this.st;
    if (!this.go('retries-exhausted')) return;
    if (was !== 'closing') {
      const why = 'no acknowledgement from the peer after every retransmission (RFC 2661 §5.8)';
      const auth = was === 'established' ? undefined : this.authFailure;
      const error = auth === undefined ? new L2tpError('TIMEOUT', why) : new L2tpError('AUTH_FAILED', `${why}; the peer's messages failed authentication: ${auth.message}`, undefined, { cause: auth });
      this.ss?.allDown('local', error);
      this.stopped('local', undefined, error);
    }
    this.finish();
  }

  onLingerOver(): void {
    if (this.go('linger-over')) this.finish();
  }

  /** Start the handshake clock: the message that moves us to wait-ctl-* just went out. */
  awaitPeer(): void {
    this.handshakeAt = this.now + this.o.handshakeTimeout;
  }

  /** The earliest deadline: the Sequencer's, the handshake's, HELLO's, a waiting session's. */
  nextDeadline(): number | undefined {
    const st = this.st;
    let d = this.seq?.nextDeadline() ?? Infinity;
    const hs = this.handshakeAt;
    if ((st === 'wait-ctl-reply' || st === 'wait-ctl-conn') && hs !== undefined && hs < d) d = hs;
    if (st === 'established') {
      if (this.o.helloInterval > 0) d = Math.min(d, this.lastHeard + this.o.helloInterval);
      if (this.ss !== undefined) d = Math.min(d, this.ss.nextDeadline());
    }
    return d === Infinity ? undefined : d;
  }

  /** Time passed: retransmit, give up a half-open tunnel or call, send HELLO when due. */
  tick(): void {
    if (this.seq !== undefined) this.absorb(this.seq.tick(this.now));
    const st = this.st;
    if ((st === 'wait-ctl-reply' || st === 'wait-ctl-conn') && this.handshakeAt !== undefined && this.now >= this.handshakeAt) this.handshakeExpired();
    if (this.st === 'established') this.ss?.expire(this.now);
    this.helloIfDue();
  }

  /**
   * No SCCRP (initiator) or SCCCN (responder) within `handshakeTimeout`, however our message was
   * acked: free the tunnel without a word. A peer that never completed the handshake gets no
   * StopCCN (it may be a flood's spoofed source; a real LAC has given up by now too).
   */
  private handshakeExpired(): void {
    const waiting = this.st === 'wait-ctl-reply' ? 'SCCRP' : 'SCCCN';
    if (!this.go('handshake-timeout')) return;
    const why = `no ${waiting} within ${this.o.handshakeTimeout} ms (handshakeTimeout): half-open tunnel freed`;
    const auth = this.authFailure;
    // v3: the peer's messages were dropped for a bad digest (§5.4.1): say so, not just "timeout".
    const error = auth === undefined ? new L2tpError('TIMEOUT', why) : new L2tpError('AUTH_FAILED', `${why}; the peer's messages failed authentication: ${auth.message}`, undefined, { cause: auth });
    this.ss?.allDown('local', error);
    this.stopped('local', undefined, error);
    this.finish();
  }

  helloIfDue(): void {
    if (this.st !== 'established' || this.o.helloInterval <= 0) return;
    if (this.now < this.lastHeard + this.o.helloInterval) return;
    this.go('hello-due');
    // Restart the idle clock so one silence yields one HELLO; the Sequencer retries it.
    this.lastHeard = this.now;
    this.sendControl(this.v.hello(this));
  }
}

/**
 * What a tunnel keeps only with authentication or a Tie Breaker: five fields in one object made
 * on first use, not five per tunnel (issue 16: 8 B a field).
 */
class TunnelSecrets {
  ourChallenge: Uint8Array | undefined = undefined;
  ourNonce: Uint8Array | undefined = undefined;
  peerNonce: Uint8Array | undefined = undefined;
  ourTie: Uint8Array | undefined = undefined;
  authFailure: L2tpError | undefined = undefined;
}
