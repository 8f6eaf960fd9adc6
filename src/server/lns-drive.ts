/**
 * Driving the tunnels' FSMs: each control message is judged by the conformance observer, fed to
 * its tunnel's {@link TunnelFsm}, and the actions it returns are carried out (send, tunnel and
 * session up/down, frames); then the tunnel's deadline is re-armed on the LNS's one timer.
 * @internal
 * @module
 */
import type { TunnelAction, TunnelEvent } from '../fsm/index.js';
import type { L2tpError } from '../wire/errors.js';
import { report, why } from './lns-events.js';
import { SessionEntry, type LnsCore, type TunnelEntry } from './lns-handles.js';
import { LnsState } from './lns-state.js';
import type { LnsEvents } from './lns-types.js';

/** The FSM driving of an embedded LNS: events in, actions carried out. @internal */
export abstract class LnsDriver extends LnsState implements LnsCore {
  /**
   * A control message from the tunnel's peer: judged by its conformance observer first (same
   * `now`), then handled by the FSM; a `strict` refusal is acted on after that.
   */
  protected receive(t: TunnelEntry, bytes: Uint8Array): void {
    const now = this.timer.now();
    const refusal = this.conformance.received(t, bytes, now);
    const before = refusal?.action === 'cdn' ? t.fsm.sessionIds() : undefined;
    this.feed(t, { type: 'received', bytes }, now);
    if (refusal !== undefined) this.conformance.refuse(t, refusal, before);
  }

  /** Feed one event to a tunnel's FSM and carry out what it says. @internal */
  feed(t: TunnelEntry, event: TunnelEvent, now = this.timer.now()): void {
    if (!t.alive) return;
    const acts = t.fsm.handle(event, now);
    this.carry(t, acts, now);
    this.arm(t);
  }

  /** @internal */
  sendFrame(s: SessionEntry, frame: Uint8Array): Promise<void> {
    const t = s.tunnel;
    let sent: Promise<void> = Promise.resolve();
    const acts: TunnelAction[] = s.pw !== undefined ? [{ type: 'send', bytes: s.pw.send(frame) }] : t.fsm.handle({ type: 'sendFrame', sessionId: s.id, frame }, this.timer.now());
    for (const a of acts) {
      if (a.type === 'send') {
        this.c.framesOut++;
        sent = this.fronts.transmit(t.via, a.bytes, true);
      }
    }
    return sent;
  }

  protected carry(t: TunnelEntry, acts: TunnelAction[], now: number): void {
    for (let i = 0; i < acts.length; i++) {
      const a = acts[i]!;
      switch (a.type) {
        case 'send':
          t.noteSent(a.bytes);
          this.conformance.sent(t, a.bytes, now);
          this.fronts.post(t.via, a.bytes);
          break;
        case 'established':
          // The FSM's own record, not the event's copy: one per tunnel, not two (issue 16).
          t.info = t.fsm.peerInfo ?? a.peer;
          this.table.up(t);
          this.c.tunnelsOpened++;
          this.emit('tunnel-up', t);
          break;
        case 'session-up': {
          const s = new SessionEntry(t, a.sessionId, a.peerSessionId, a.kind, a.call, this.queueFrames);
          t.addSession(s);
          if (a.pseudowire !== undefined) this.pseudowires.up(s, a.pseudowire);
          this.table.sessions++;
          this.c.sessionsOpened++;
          this.emit('session-up', s);
          for (const q of this.sessionQueues) q.push(s);
          break;
        }
        case 'session-down': {
          const s = t.live.get(a.sessionId);
          if (s === undefined) break; // a call refused or failed before it came up
          t.live.delete(a.sessionId);
          this.pseudowires.down(s);
          this.table.sessions--;
          s.end();
          this.emit('session-down', s, why(a));
          break;
        }
        case 'frame':
          this.onFrame(t, a.sessionId, a.payload);
          break;
        case 'stopped':
          if (this.table.down(t)) this.emit('tunnel-down', t, why(a));
          else if (t.halfOpen && a.error?.code === 'TIMEOUT') this.report.halfOpen('expired', t, now);
          this.conformance.end(t, now);
          break;
        case 'closed':
          this.forget(t);
          break;
        case 'error':
          this.c.protocolErrors++;
          break;
        default:
          // session-opening (we open no calls), wen, sli: nothing to route.
          break;
      }
    }
  }

  protected onFrame(t: TunnelEntry, sessionId: number, payload: Uint8Array): void {
    const s = t.live.get(sessionId);
    if (s === undefined) return;
    this.c.framesIn++;
    if (s.deliver(payload)) this.c.framesDropped++;
    const cb = this.r.o.onFrame;
    if (cb !== undefined) {
      try {
        cb(s, payload);
      } catch (e) {
        report(e);
      }
    }
    if (this.r.o.echo === true && !s.closed && t.alive) void s.send(payload).catch(() => {});
  }

  /** The FSM said `closed`: free everything of the tunnel. */
  protected forget(t: TunnelEntry): void {
    if (!t.alive) return;
    this.conformance.end(t, this.timer.now());
    t.alive = false;
    for (const s of t.live.values()) {
      s.end();
      this.pseudowires.down(s);
    }
    this.table.remove(t);
    this.timer.drop(t);
    if (t.via.kind === 'tcp') this.idle.watch(t.via.conn);
    // Nothing left to time: drop the timer.
    if (this.table.size === 0 && this.idle.size === 0) this.timer.clear();
    this.ackWaiter?.();
  }

  /**
   * Drop a tunnel now, without the §5.8 linger (the LNS is closing, or the peer's TCP connection
   * is gone): its sessions and the tunnel are reported down, then forgotten.
   */
  protected discard(t: TunnelEntry, error: L2tpError): void {
    if (!t.alive) return;
    for (const s of [...t.live.values()]) {
      t.live.delete(s.id);
      this.table.sessions--;
      s.end();
      this.pseudowires.down(s);
      this.emit('session-down', s, { by: 'local', error });
    }
    if (this.table.down(t)) this.emit('tunnel-down', t, { by: 'local', error });
    this.forget(t);
  }

  protected emit<E extends keyof LnsEvents>(event: E, ...args: LnsEvents[E]): void {
    this.events.emit(event, ...args);
  }
}
