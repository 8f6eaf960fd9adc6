/**
 * A tunnel's data plane: PPP frames (RFC 2661 §5.1, through the FSM for the data header and
 * sequencing) and v3 data messages (RFC 3931 §4.1.2.1, built by the session's pseudowire) go out
 * on the transport; what arrives goes to the session book (v3 data) or to the FSM (the rest).
 * @internal
 * @module
 */
import type { TunnelAction } from '../fsm/types.js';
import { L2tpError } from '../wire/errors.js';
import { isV3DataMessage } from './pseudowire-session.js';
import type { TunnelLoop } from './tunnel-loop.js';

/** Send bytes on the tunnel's transport (`control`: a control message, kept in order). */
export function transportSend(t: TunnelLoop, bytes: Uint8Array, control = false): Promise<void> {
  if (t.phase === 'released') return Promise.reject(new L2tpError('TRANSPORT', 'the tunnel is closed'));
  return t.link.send(bytes, control);
}

/** What the transport received: the `tap` sees it first, then the session book (v3 data) or the FSM. */
export function onTransportMessage(t: TunnelLoop, m: Uint8Array): void {
  if (t.phase === 'released' || t.phase === 'new') return;
  try {
    t.tunnel.tap?.(m);
  } catch (e) {
    void Promise.reject(e);
  }
  if (t.fsm.version === 3 && isV3DataMessage(m)) {
    // RFC 3931 §4.4: Hello is due after a quiet period "without receiving any message (data or
    // control) from the peer". v3 data bypasses the FSM (it names a session, not the control
    // connection), so tell it: the timer is re-armed from nextDeadline() when it fires.
    if (t.book.data(m)) t.fsm.noteActivity(t.o.clock());
    return;
  }
  t.dispatch({ type: 'received', bytes: m });
}

/** A session's PPP frame, framed by the FSM; resolves once the transport took it. */
export function sendFrame(t: TunnelLoop, sessionId: number, frame: Uint8Array): Promise<void> {
  if (t.phase === 'released' || t.stopV !== undefined) return Promise.reject(t.stopV?.error ?? new L2tpError('ABORTED', 'the tunnel is closed'));
  let acts: TunnelAction[];
  try {
    acts = t.fsm.handle({ type: 'sendFrame', sessionId, frame }, t.o.clock());
  } catch (e) {
    return Promise.reject(e);
  }
  let sent: Promise<void> = Promise.resolve();
  for (const a of acts) {
    if (a.type === 'send') sent = transportSend(t, a.bytes);
    else t.queue.push(a);
  }
  t.drain();
  return sent;
}

/** v3: a data message a session's pseudowire built. */
export function sendData(t: TunnelLoop, bytes: Uint8Array): Promise<void> {
  if (t.phase === 'released' || t.stopV !== undefined) return Promise.reject(t.stopV?.error ?? new L2tpError('ABORTED', 'the tunnel is closed'));
  return transportSend(t, bytes);
}
