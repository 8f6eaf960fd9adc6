/**
 * The driver's side of a tunnel's sessions: the live {@link Session} objects, the calls we are
 * placing (their `openSession()` promises), and how the FSM's session actions reach them.
 * @internal
 * @module
 */
import type { TunnelAction } from '../fsm/types.js';
import { L2tpError } from '../wire/errors.js';
import { withResult } from './driver-errors.js';
import type { Pending } from './pending.js';
import { v3DataSessionId } from './pseudowire-session.js';
import { Session, type SessionDown, type SessionHost } from './session.js';

type Act<K extends TunnelAction['type']> = Extract<TunnelAction, { type: K }>;

/** @internal */
export class SessionBook {
  /** Sessions that are up, by local Session ID. */
  readonly live = new Map<number, Session>();
  /** Calls we placed that are not up yet: their `openSession()` waits. */
  readonly opening = new Map<number, Pending<Session>>();

  constructor(
    private readonly host: SessionHost,
    /** A call the peer placed is up. */
    private readonly onPeerSession: (s: Session) => void,
  ) {}

  up(a: Act<'session-up'>): void {
    const s = new Session(this.host, { localId: a.sessionId, peerId: a.peerSessionId, kind: a.kind, origin: a.origin, call: a.call, pseudowire: a.pseudowire });
    this.live.set(a.sessionId, s);
    const p = this.opening.get(a.sessionId);
    this.opening.delete(a.sessionId);
    if (a.origin === 'peer') this.onPeerSession(s);
    else if (p !== undefined) p.resolve(s);
  }

  down(a: Act<'session-down'>): void {
    const error = a.error !== undefined ? withResult(a.error, a.result) : undefined;
    const down = { by: a.by, ...(a.result ? { result: a.result } : {}), ...(a.cause ? { cause: a.cause } : {}), ...(error ? { error } : {}) };
    const s = this.live.get(a.sessionId);
    this.live.delete(a.sessionId);
    if (s !== undefined) s.markDown(down);
    const p = this.opening.get(a.sessionId);
    this.opening.delete(a.sessionId);
    if (p !== undefined) p.reject(p.failure ?? error ?? new L2tpError('ABORTED', `session ${a.sessionId} was closed before it came up`));
  }

  wen(a: Act<'wen'>): void {
    this.live.get(a.sessionId)?.notify('wen', a.callErrors);
  }

  sli(a: Act<'sli'>): void {
    this.live.get(a.sessionId)?.notify('sli', a.accm);
  }

  /**
   * v3: a data message goes to the session its Session ID names (RFC 3931 §4.1.2.1); others are
   * dropped. True when it came from the peer (see `heardFromPeer`).
   */
  data(bytes: Uint8Array): boolean {
    return this.live.get(v3DataSessionId(bytes))?.receiveData(bytes) ?? false;
  }

  frame(a: Act<'frame'>): void {
    this.live.get(a.sessionId)?.deliver(a.payload);
  }

  /** Every live session is down for the same reason (the tunnel ended). */
  allDown(down: SessionDown): void {
    for (const s of [...this.live.values()]) s.markDown(down);
    this.live.clear();
  }

  /** The tunnel is released: settle every call still being placed. */
  releaseOpening(fallback: () => L2tpError): void {
    for (const p of [...this.opening.values()]) p.release(fallback);
    this.opening.clear();
  }
}
