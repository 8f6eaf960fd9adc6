/**
 * Ending a tunnel: `close()` with a StopCCN (RFC 2661 §5.7) that waits for its ack, a teardown
 * on our own initiative (timeout, abort, transport failure), giving up without the FSM, and the
 * release that clears the timer, settles every wait and closes the transport — then `closed`.
 * @internal
 * @module
 */
import { L2tpError } from '../wire/errors.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import { checkWait, type WaitOptions } from './options.js';
import type { AbortSignalLike } from './platform.js';
import type { TunnelLoop } from './tunnel-loop.js';

/** Local Tunnel IDs of this process's live tunnels: drawn in `TunnelLoop`'s constructor, freed on release. */
export const LIVE_TUNNEL_IDS = new Set<number>();

/** `Tunnel.close()`: see its documentation. */
export function closeTunnel(t: TunnelLoop, result?: ResultCodeValue | number, options?: WaitOptions): Promise<void> {
  let timeout: number;
  let signal: AbortSignalLike | undefined;
  try {
    ({ timeout, signal } = checkWait(options, t.o.timeout, 'close'));
    if (result !== undefined && typeof result !== 'number' && (result === null || typeof result !== 'object')) {
      throw new TypeError('close(result): result must be a StopCCN Result Code number or { result, error?, message? }');
    }
  } catch (e) {
    return Promise.reject(e);
  }
  if (t.releasing !== undefined || t.phase === 'released') return t.releasing ?? Promise.resolve();
  // The peer stopped the tunnel and we acked: it is over for the user; the linger that re-acks
  // a retransmitted StopCCN (§5.7) runs on in the background and ends by itself.
  if (t.state === 'lingering') return Promise.resolve();
  const p = t.pending<void>('close', timeout, signal, {
    giveUp: () => abandon(t, undefined),
    released: (q) => q.resolve(),
  });
  if (t.phase !== 'closing') {
    t.phase = 'closing';
    t.dispatch({ type: 'close', result: typeof result === 'number' ? { result } : result });
    if (t.fsm.state === 'closed') release(t);
  }
  return p.promise;
}

/**
 * End the tunnel on our own initiative for `error` (timeout, abort, transport failure): a
 * StopCCN when the peer knows us and the transport works, else straight to release.
 */
export function teardown(t: TunnelLoop, error: L2tpError): void {
  if (t.releasing !== undefined) return;
  t.reason ??= error;
  if (t.transport.closed) return abandon(t, error);
  // Our StopCCN is already out (we refused the peer): do not wait out its whole
  // retransmission cycle for an ack the peer may never send.
  if (t.fsm.state === 'closing') return abandon(t, error);
  if (t.fsm.state !== 'closed') t.dispatch({ type: 'close', result: { result: 2, error: 0, message: error.message.slice(0, 200) } });
  if (t.fsm.state === 'closed') release(t);
}

/** Give up without the FSM (no I/O possible, or a close that took too long): release now. */
export function abandon(t: TunnelLoop, error: L2tpError | undefined): void {
  if (t.releasing !== undefined) return;
  if (error !== undefined) t.reason ??= error;
  const stopErr = t.stopV?.error ?? t.reason;
  t.book.allDown({ by: 'local', ...(stopErr ? { error: stopErr } : {}) });
  t.stopped({ by: 'local', ...(t.reason ? { error: t.reason } : {}) });
  release(t);
}

/** Clear the timer, settle every wait, close the transport; then `closed`. Idempotent. */
export function release(t: TunnelLoop): Promise<void> {
  t.releasing ??= doRelease(t);
  return t.releasing;
}

async function doRelease(t: TunnelLoop): Promise<void> {
  t.timer.clear();
  LIVE_TUNNEL_IDS.delete(t.localTunnelId);
  t.stopped({ by: 'local', ...(t.reason ? { error: t.reason } : {}) });
  const stop = t.stopV!;
  t.phase = 'released';
  await t.link.release(t.o.keepTransport);
  t.book.allDown({ by: stop.by, ...(stop.error ? { error: stop.error } : {}) });
  const fallback = () => stop.error ?? new L2tpError('ABORTED', 'the tunnel was closed first');
  for (const w of [...t.timer.waits]) w.release(fallback);
  t.book.releaseOpening(fallback);
  t.openWait = undefined;
  t.resolveClosed(stop);
  t.events.emit('closed', stop);
  t.events.clear();
}
