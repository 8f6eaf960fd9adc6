/**
 * Remote protocol errors: what a peer sent wrong, or how it behaved (DESIGN §4).
 *
 * Misuse of this library's own API is never an `L2tpError`: it is a `TypeError` or `RangeError`
 * whose message says what to change (the h11 split between local and remote errors).
 */

/** Every code an {@link L2tpError} can carry. */
export type L2tpErrorCode =
  /** The input ends before a field the header or an AVP says is there. */
  | 'TRUNCATED'
  /** Header version is not 2 (L2TPv2) or 3 (L2TPv3); 1 is L2F. */
  | 'BAD_VERSION'
  /** Header Length disagrees with the bytes given, or is shorter than the header itself. */
  | 'BAD_LENGTH'
  /** Header flag bits break a MUST (e.g. a control message without L or S, or with O or P). */
  | 'BAD_FLAGS'
  /** An AVP's Length is under 6 or runs past the end of the message. */
  | 'BAD_AVP_LENGTH'
  /** An AVP's value has a size or content its definition does not allow. */
  | 'BAD_AVP_VALUE'
  /** The first AVP of a control message is not a Message Type AVP (RFC 2661 §4.4.1). */
  | 'MESSAGE_TYPE_NOT_FIRST'
  /** An AVP the message type requires (RFC 2661 §6) is absent. */
  | 'MISSING_AVP'
  /** An ID the RFC says is non-zero is 0 (RFC 3931 §4.1: an L2TPv3 data message's Session ID). */
  | 'BAD_SESSION_ID'
  /** A hidden AVP arrived but no shared secret was given to unhide it. */
  | 'HIDDEN_WITHOUT_SECRET'
  /** A hidden AVP arrived without a Random Vector AVP before it in the same message (§4.3). */
  | 'HIDDEN_WITHOUT_RANDOM_VECTOR'
  /** The length inside a decrypted hidden AVP does not fit the room the AVP has (§4.3). */
  | 'BAD_HIDDEN_LENGTH'
  /** A wait ran out of time (retransmissions exhausted, no reply). */
  | 'TIMEOUT'
  /** The peer tore the control connection or session down (StopCCN / CDN). */
  | 'PEER_STOPPED'
  /** The peer broke a protocol rule in the exchange (wrong message for the state, bad response). */
  | 'PROTOCOL'
  /** The peer's Challenge Response is wrong or missing (RFC 2661 §5.1.1). */
  | 'AUTH_FAILED'
  /** An L2TPv3 Message Digest AVP does not match the message (RFC 3931 §4.3; StopCCN Result Code 4). */
  | 'BAD_DIGEST'
  /** The operation was aborted through an `AbortSignal`. */
  | 'ABORTED'
  /** The transport closed or failed. */
  | 'TRANSPORT';

/**
 * The one error class for remote protocol errors: malformed bytes, a peer that broke a rule,
 * timeouts. Parsers throw nothing else.
 *
 * @example
 * ```ts
 * try { parseControl(bytes); }
 * catch (e) { if (e instanceof L2tpError) console.log(e.code, e.offset); }
 * ```
 */
export class L2tpError extends Error {
  /** Machine-readable reason. */
  readonly code: L2tpErrorCode;
  /** For parse errors: the byte offset in the input where the problem was found. */
  readonly offset?: number;

  /**
   * Errors that report how a peer or a wait ended (TIMEOUT, PEER_STOPPED, PROTOCOL, AUTH_FAILED, ABORTED, TRANSPORT) carry no stack trace:
   * `stack` is just `L2tpError: message`. They are ordinary events on a busy server (every
   * StopCCN from a peer makes one), the stack would only show this library's internals, and
   * capturing it was 6.6 % of an LNS's CPU. Parse errors keep theirs (they point at your call).
   */
  constructor(code: L2tpErrorCode, message: string, offset?: number, options?: { cause?: unknown }) {
    const limit = OUTCOMES.has(code) ? noStack() : undefined;
    super(offset === undefined ? message : `${message} (at byte ${offset})`, options);
    if (limit !== undefined) errorCtor.stackTraceLimit = limit;
    this.name = 'L2tpError';
    this.code = code;
    if (offset !== undefined) this.offset = offset;
  }
}

/**
 * Codes that are outcomes of an exchange, not faults in bytes: made without a stack trace.
 * @internal
 */
export const OUTCOMES: ReadonlySet<L2tpErrorCode> = new Set<L2tpErrorCode>(['TIMEOUT', 'PEER_STOPPED', 'PROTOCOL', 'AUTH_FAILED', 'ABORTED', 'TRANSPORT']);

const errorCtor = Error as { stackTraceLimit?: number };
/** Whether this runtime lets us turn stack capture off for one construction (V8, JSC: yes). */
const limitWritable = typeof errorCtor.stackTraceLimit === 'number' && Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')?.writable === true;

/** Turn stack capture off; returns the limit to restore, or `undefined` if it cannot be done. */
function noStack(): number | undefined {
  if (!limitWritable) return undefined;
  const limit = errorCtor.stackTraceLimit;
  // Someone (a test runner, a frozen realm) may have changed it since we looked.
  if (typeof limit !== 'number') return undefined;
  errorCtor.stackTraceLimit = 0;
  return limit;
}

/** @internal Throw helper so hot paths stay small. */
export function fail(code: L2tpErrorCode, message: string, offset?: number): never {
  throw new L2tpError(code, message, offset);
}
