/**
 * The LNS's L2TPv3 data plane (RFC 3931 §4.1.2.1, §4.5): v3 data messages name a session, not a
 * control connection, so they are routed by Session ID across all v3 control connections, and
 * each session's {@link Pseudowire} checks and unwraps them.
 * @internal
 * @module
 */
import type { PseudowireInfo } from '../fsm/types.js';
import { heardFromPeer, pseudowireOf, v3DataSessionId } from '../client/pseudowire-session.js';
import type { SessionEntry } from './lns-handles.js';

/** @internal */
export class LnsPseudowires {
  /** Live v3 sessions by our Session ID (the one the peer writes on data, §4.1). */
  private readonly byId = new Map<number, SessionEntry>();
  /** Whether a live v3 session holds this Session ID (new sessions draw another, RFC 3931 §4.1). */
  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** A v3 session is up: give it its pseudowire and route its data. */
  up(s: SessionEntry, info: PseudowireInfo): void {
    s.pw = pseudowireOf(info);
    this.byId.set(s.id, s);
  }

  down(s: SessionEntry): void {
    if (this.byId.get(s.id) === s) this.byId.delete(s.id);
  }

  /**
   * One v3 data message: the session it names, the frame (`undefined` when the session dropped
   * it: a wrong cookie, duplicate… in that session's `pseudowireStats`) and whether it came from
   * the peer (`heardFromPeer`: it restarts the Hello timer), or `'unknown'` for no live session.
   */
  receive(bytes: Uint8Array): { session: SessionEntry; frame: Uint8Array | undefined; heard: boolean } | 'unknown' {
    const s = this.byId.get(v3DataSessionId(bytes));
    if (s === undefined || s.pw === undefined) return 'unknown';
    const r = s.pw.receive(bytes);
    return { session: s, frame: r.ok ? r.frame : undefined, heard: heardFromPeer(r) };
  }
}
