/**
 * Establishment: the tunnel as initiator (SCCRQ → SCCRP → SCCCN, RFC 2661 §7.2.1), and the calls
 * we place on it (ICRQ → ICRP → ICCN, §7.4; OCRQ → OCRP → OCCN, §7.5), each a wait on the
 * tunnel's timer that the FSM's `established`/`session-up` settles.
 * @internal
 * @module
 */
import type { CallOptions, TunnelAction } from '../fsm/types.js';
import { L2tpError } from '../wire/errors.js';
import { checkWait, type WaitOptions } from './options.js';
import type { Pending } from './pending.js';
import type { Session } from './session.js';
import { teardown } from './tunnel-close.js';
import type { TunnelLoop } from './tunnel-loop.js';
import { refusal } from './tunnel-types.js';

/** `Tunnel.start()`: open as initiator; on failure reject only after everything is released. */
export function startTunnel(t: TunnelLoop): Promise<void> {
  if (t.phase !== 'new') return Promise.reject(new TypeError('start: the tunnel was already started'));
  const { timeout, signal } = t.o;
  const p = t.pending<void>('open tunnel', timeout, signal, {
    giveUp: (_p, error) => teardown(t, error),
    // A refusal (ours of the peer's SCCRP, or the peer's StopCCN) says more than the timeout
    // that may have run out while our StopCCN waited for its ack.
    released: (w) => w.reject(refusal(t.stopV) ?? w.failure ?? refusal(t.stopV, true) ?? new L2tpError('ABORTED', 'the tunnel was closed first')),
  });
  if (p.failure !== undefined) return p.promise; // the signal had already aborted
  t.phase = 'opening';
  t.startedAt = t.o.clock();
  t.openWait = p;
  t.dispatch({ type: 'open' });
  return p.promise;
}

/** `Tunnel.openSession()`: see its documentation. */
export function openSession(t: TunnelLoop, call: CallOptions, options?: WaitOptions): Promise<Session> {
  let id: number;
  let p: Pending<Session>;
  try {
    const { timeout, signal } = checkWait(options, t.o.timeout, 'openSession');
    if (t.phase !== 'open') throw new TypeError(`openSession: the tunnel is ${t.stopV ? 'closed' : t.fsm.state}; open sessions on an established tunnel`);
    if (signal?.aborted) return Promise.reject(new L2tpError('ABORTED', 'open session aborted', undefined, { cause: signal.reason }));
    const acts = t.handle({ type: 'openSession', call });
    id = (acts.find((a) => a.type === 'session-opening') as Extract<TunnelAction, { type: 'session-opening' }>).sessionId;
    p = t.pending<Session>(`open session ${id}`, timeout, signal, {
      giveUp: (_p, error) => {
        // Hang up the half-open call (RFC 2661 §6.12): the session-down that follows rejects.
        if (t.fsm.sessionState(id) !== undefined && t.phase === 'open') t.dispatch({ type: 'closeSession', sessionId: id, result: { result: 3 } });
        else _p.reject(error);
      },
    });
    t.book.opening.set(id, p);
  } catch (e) {
    return Promise.reject(e);
  }
  t.drain();
  t.arm();
  return p.promise;
}
