/**
 * The control-connection state machine (RFC 2661 §7.2; RFC 3931 §7.2 with `version: 3`), both
 * roles, with its sessions: sans-I/O.
 * `handle(event, now)` returns actions; time is an argument; randomness is injected.
 *
 * This file is the public face; the state and shared plumbing live in tunnel-core.ts, the
 * handshake in handshake.ts, received messages in receive.ts, the sessions in sessions.ts.
 */
import { assertBytes, assertInt } from '../wire/bytes.js';
import { L2tpError } from '../wire/errors.js';
import { CdnResult, StopCcnResult } from '../wire/result-codes.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import { openTunnel } from './handshake.js';
import { resolveTunnelOptions, type TunnelOptions } from './options.js';
import { onReceived } from './receive.js';
import { NO_ACTIONS, TunnelCore } from './tunnel-core.js';
import type { DataSequenceStats } from './data-sequencing.js';
import type { PeerInfo, PseudowireInfo, SessionState, TunnelAction, TunnelEvent, TunnelRole, TunnelState } from './types.js';

/**
 * One L2TP control connection and its sessions, as a pure state machine (the h11 design):
 * L2TPv2 (RFC 2661) by default, L2TPv3 over UDP (RFC 3931) with `version: 3`. One core serves
 * both: the versions differ by rows of the transition and message-rule tables.
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
 * // L2TPv3, authenticated (Message Digest on every message, RFC 3931 §4.3):
 * const lcce = new TunnelFsm({ version: 3, hostName: 'lcce-a', secret: 's3cret', random: (n) => crypto.getRandomValues(new Uint8Array(n)) });
 * ```
 */
export class TunnelFsm {
  private readonly c: TunnelCore;

  /**
   * @param localTunnelId - overrides `options.localTunnelId`: a server picks each tunnel's ID
   *   and shares one options object among all its tunnels.
   * @throws `TypeError`/`RangeError` for bad options.
   */
  constructor(options: TunnelOptions, localTunnelId?: number) {
    const o = resolveTunnelOptions(options);
    if (localTunnelId !== undefined) assertInt(localTunnelId, 1, o.version === 3 ? 0xffffffff : 0xffff, 'localTunnelId');
    this.c = new TunnelCore(o, localTunnelId);
  }

  /** Our Tunnel ID: the peer writes it in the header of everything it sends us. */
  get localTunnelId(): number {
    return this.c.localTunnelId;
  }

  /** The control connection's state (RFC 2661 §7.2.1 names, plus `closing` and `closed`). */
  get state(): TunnelState {
    return this.c.st;
  }

  /** `initiator` after `open`, `responder` after a received SCCRQ; `undefined` while idle. */
  get role(): TunnelRole | undefined {
    return this.c.role;
  }

  /** The peer's Tunnel ID (v3: Control Connection ID; 0 until its SCCRQ/SCCRP arrived). */
  get peerTunnelId(): number {
    return this.c.peerId;
  }

  /** 2 (RFC 2661) or 3 (RFC 3931), from `options.version`. */
  get version(): 2 | 3 {
    return this.c.o.version;
  }

  /** v3 name of {@link localTunnelId}: the Control Connection ID the peer writes in its headers (RFC 3931 §3.2.1). */
  get localControlConnectionId(): number {
    return this.localTunnelId;
  }

  /** v3 name of {@link peerTunnelId}: the peer's Assigned Control Connection ID (0 until known). */
  get peerControlConnectionId(): number {
    return this.c.peerId;
  }

  /** What the peer told us, once established. */
  get peerInfo(): PeerInfo | undefined {
    const c = this.c;
    return c.st === 'established' || c.st === 'closing' ? c.peer : undefined;
  }

  /** Live sessions on this tunnel. */
  get sessionCount(): number {
    return this.c.sessionsIfAny?.size ?? 0;
  }

  /** Local IDs of the live sessions. */
  sessionIds(): number[] {
    return this.c.sessionsIfAny?.ids() ?? [];
  }

  /** A session's state, or `undefined` when no live session has this local ID. */
  sessionState(sessionId: number): SessionState | undefined {
    return this.c.sessionsIfAny?.state(sessionId);
  }

  /**
   * A session's data channel counters (RFC 2661 §5.4 sequencing): whether we send Ns, data
   * messages sent and received, old data dropped, Ns skipped. `undefined` for no live session.
   * @example
   * ```ts
   * const st = fsm.dataStats(sessionId);
   * if (st && st.dropped > 0) console.log(`${st.dropped} reordered or duplicate data messages dropped`);
   * ```
   */
  dataStats(sessionId: number): DataSequenceStats | undefined {
    return this.c.sessionsIfAny?.dataStats(sessionId);
  }

  /**
   * v3: a session's pseudowire as both sides set it up (RFC 3931 §5.4.4): Session IDs, the cookie
   * we assigned and the peer's, the L2-Specific Sublayer and Data Sequencing each side requires.
   * A copy of plain fields; `undefined` for no live session or a v2 tunnel.
   * @example
   * ```ts
   * const pw = fsm.pseudowire(sessionId);
   * if (pw) encodeData({ version: 3, sessionId: pw.remoteSessionId, cookie: pw.remoteCookie, payload: frame });
   * ```
   */
  pseudowire(sessionId: number): PseudowireInfo | undefined {
    return this.c.sessionsIfAny?.pseudowire(sessionId);
  }

  /**
   * When to send the next `tick` (same clock as `now`), or `undefined` when nothing is pending.
   * Defined in every state but `idle` (nothing started), `established` with HELLO off and no
   * call being set up, and `closed`: no half-open tunnel or call, and no lingering, lives
   * without a deadline.
   */
  nextDeadline(): number | undefined {
    return this.c.nextDeadline();
  }

  /**
   * Note that data for this tunnel arrived at `now` without passing through {@link handle} (a
   * driver's fast path for data messages): it restarts the HELLO idle timer, which counts "the
   * last data or control message" received (RFC 2661 §6.5). Data given to `handle` counts by itself.
   * @throws `RangeError` for a bad `now`.
   */
  noteActivity(now: number): void {
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new RangeError(`now must be a finite number of milliseconds, got ${String(now)}`);
    const c = this.c;
    if (c.st === 'established' && now > c.lastHeard) c.lastHeard = now;
  }

  /**
   * True while the control connection is down for the user but still acking the peer's
   * retransmissions (state `closing` with nothing of ours left unacknowledged): after acking
   * the peer's StopCCN (§5.7), or after our StopCCN was acked (§5.8).
   */
  get lingering(): boolean {
    return this.c.st === 'closing' && this.c.seq !== undefined && this.c.seq.inFlight + this.c.seq.queued === 0;
  }

  /**
   * Feed one event; returns what to do, in order.
   * @throws `TypeError`/`RangeError` only for local errors (see the class notes); never for
   *   anything in received bytes.
   */
  handle(event: TunnelEvent, now: number): TunnelAction[] {
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new RangeError(`now must be a finite number of milliseconds, got ${String(now)}`);
    if (event === null || typeof event !== 'object') throw new TypeError(`event must be an object with a type, got ${event === null ? 'null' : typeof event}`);
    const c = this.c;
    const acts: TunnelAction[] = (c.acts = []);
    c.now = now;
    c.ackDue = undefined;
    switch (event.type) {
      case 'open':
        openTunnel(c);
        break;
      case 'received':
        assertBytes(event.bytes, 'event.bytes');
        try {
          onReceived(c, event.bytes);
        } catch (e) {
          // Nothing the peer sends may throw out of handle(); a bug here must not kill the driver.
          const error = e instanceof L2tpError ? e : new L2tpError('PROTOCOL', `internal error while handling a received message: ${String(e)}`, undefined, { cause: e });
          acts.push({ type: 'error', error });
        }
        break;
      case 'tick':
        c.tick();
        break;
      case 'close':
        this.onClose(localResult(event.result, CLOSE_RESULT, 'close'));
        break;
      case 'hello':
        c.needEstablished('hello');
        c.sendControl(c.v.hello(c));
        break;
      case 'openSession':
        c.needEstablished('openSession');
        c.sessions.open(event.call);
        break;
      case 'closeSession':
        c.sessions.close(event.sessionId, localResult(event.result, CLOSE_SESSION_RESULT, 'closeSession'), event.cause);
        break;
      case 'sendFrame':
        c.needEstablished('sendFrame');
        acts.push({ type: 'send', bytes: c.sessions.frame(event.sessionId, event.frame) });
        break;
      case 'sendWen':
        c.needEstablished('sendWen');
        c.sessions.sendWen(event.sessionId, event.callErrors);
        break;
      case 'sendSli':
        c.needEstablished('sendSli');
        c.sessions.sendSli(event.sessionId, event);
        break;
      default:
        throw new TypeError(`unknown event type ${String((event as { type: unknown }).type)}`);
    }
    const ack = c.ackDue as { ns: number; nr: number } | undefined;
    if (ack !== undefined && c.st !== 'closed') c.acts.push({ type: 'send', bytes: c.v.ack(c, ack.ns, ack.nr) });
    c.ackDue = undefined; // not kept alive by an idle tunnel
    c.acts = NO_ACTIONS;
    return acts;
  }

  private onClose(result: ResultCodeValue): void {
    const c = this.c;
    if (c.st === 'closing' || c.st === 'closed') return;
    if (c.st === 'idle' || c.st === 'wait-ctl-reply') {
      c.go('close');
      c.stopped('local', result, undefined);
      c.finish();
      return;
    }
    c.teardown('close', result, undefined);
  }
}

// Shared by every tunnel and handed out in actions (stopped, session-down): frozen.
/** RFC 2661 §4.4.2: StopCCN 1 "General request to clear control connection". */
const CLOSE_RESULT: ResultCodeValue = Object.freeze({ result: StopCcnResult.GeneralRequest });
/** RFC 2661 §4.4.2: CDN 3 "Call disconnected for administrative reasons". */
const CLOSE_SESSION_RESULT: ResultCodeValue = Object.freeze({ result: CdnResult.Administrative });

/** The Result Code of a local close: the default when none is given, else a checked Result Code value (null is misuse, not "none"). */
function localResult(result: ResultCodeValue | undefined, fallback: ResultCodeValue, what: string): ResultCodeValue {
  if (result === undefined) return fallback;
  if (result === null || typeof result !== 'object') throw new TypeError(`${what}: result must be a Result Code value { result, error?, message? }, or left out for the default`);
  assertInt(result.result, 0, 0xffff, `${what}: result.result`);
  return result;
}
