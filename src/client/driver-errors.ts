/**
 * The remote errors the driver raises itself (DESIGN §4), and the Result Code it attaches to a
 * peer's refusal so callers can read it without parsing the message text.
 * @module
 */
import { L2tpError } from '../wire/errors.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';

/**
 * An {@link L2tpError} that ended a tunnel or a session. When the peer refused or tore down with
 * a StopCCN or CDN (`PEER_STOPPED`), or we did (`AUTH_FAILED`, `PROTOCOL`), `result` holds the
 * Result Code AVP that went on the wire (RFC 2661 §4.4.2), e.g. `{ result: 4 }` for "not
 * authorized".
 */
export interface StopError extends L2tpError {
  readonly result?: ResultCodeValue;
}

/** Attach the Result Code to `error` (a fresh error from the FSM, ours to annotate). @internal */
export function withResult(error: L2tpError, result: ResultCodeValue | undefined): StopError {
  if (result !== undefined && !('result' in error)) Object.defineProperty(error, 'result', { value: result, enumerable: true });
  return error;
}

/** `TIMEOUT` for a wait that ran out. @internal */
export function timeoutError(what: string, ms: number): L2tpError {
  return new L2tpError('TIMEOUT', `${what}: no answer within ${ms} ms`);
}

/** `ABORTED` for a wait ended through its AbortSignal (the signal's reason as `cause`). @internal */
export function abortError(what: string, reason: unknown): L2tpError {
  return new L2tpError('ABORTED', `${what} aborted`, undefined, { cause: reason });
}

/** `TRANSPORT` wrapping what the transport reported (kept as `cause`). @internal */
export function transportFailure(what: string, cause: unknown): L2tpError {
  if (cause instanceof L2tpError && cause.code === 'TRANSPORT') return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new L2tpError('TRANSPORT', `${what}: ${detail}`, undefined, { cause });
}
