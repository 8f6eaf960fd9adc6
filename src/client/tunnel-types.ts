/**
 * What a driven {@link Tunnel} reports: how it ended, and its events.
 * @module
 */
import type { L2tpError } from '../wire/errors.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import type { StopError } from './driver-errors.js';
import type { Session } from './session.js';
import type { Tunnel } from './tunnel.js';

/** How a tunnel ended. */
export interface TunnelStop {
  /** `'peer'` when the peer sent StopCCN; `'local'` otherwise (our close, a timeout, a failure). */
  readonly by: 'local' | 'peer';
  /** The StopCCN's Result Code (RFC 2661 §4.4.2), sent or received, when there was one. */
  readonly result?: ResultCodeValue;
  /**
   * Set unless we closed on request: `PEER_STOPPED` (with `result`), `TIMEOUT`, `AUTH_FAILED`,
   * `PROTOCOL`, `TRANSPORT`, `ABORTED`, or a parse error code.
   */
  readonly error?: StopError;
}

/** Events of a {@link Tunnel}: name → listener arguments. */
export type TunnelEvents = {
  /** The peer placed a call on this tunnel (its ICRQ or OCRQ was answered) and it is up. */
  session: [session: Session];
  /** The control connection is over for the user (StopCCN either way, or a failure). Once. */
  stopped: [stop: TunnelStop];
  /**
   * A problem that did not by itself end the tunnel: a message the FSM dropped, a transport error
   * on a datagram socket (which stays open), a failed send.
   */
  error: [error: Error];
  /** Everything is released (timer cleared, transport closed unless kept). Once, last. */
  closed: [stop: TunnelStop];
};

/**
 * The error of a stop that was a protocol refusal (`AUTH_FAILED`, `PEER_STOPPED`, `PROTOCOL`,
 * a parse error…), or with `any` any stop error; `undefined` otherwise.
 * @internal
 */
export function refusal(stop: TunnelStop | undefined, any = false): L2tpError | undefined {
  const e = stop?.error;
  if (e === undefined) return undefined;
  if (any) return e;
  return e.code === 'TIMEOUT' || e.code === 'ABORTED' || e.code === 'TRANSPORT' ? undefined : e;
}
