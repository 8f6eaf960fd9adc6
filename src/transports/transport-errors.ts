/**
 * The two remote-error shapes every transport adapter builds (DESIGN §4): a failed I/O operation
 * (`TRANSPORT`, the runtime's error as `cause`) and an aborted wait (`ABORTED`, the signal's reason
 * as `cause`). Isomorphic.
 * @internal
 */
import { L2tpError } from '../wire/errors.js';

/** `L2tpError('TRANSPORT')` wrapping the runtime's error; its code (e.g. `ECONNREFUSED`) is kept in the message. */
export function transportError(what: string, cause: unknown): L2tpError {
  const code = (cause as { code?: unknown } | null)?.code;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new L2tpError('TRANSPORT', `${what}: ${typeof code === 'string' && !detail.includes(code) ? `${code} ` : ''}${detail}`, undefined, { cause });
}

/** `L2tpError('ABORTED')` for a wait ended through an `AbortSignal` (its reason as cause). */
export function abortedError(what: string, reason: unknown): L2tpError {
  return new L2tpError('ABORTED', `${what} aborted`, undefined, { cause: reason });
}
