/**
 * Errors in PPP bytes a peer sent, with the same discipline as the wire layer's `L2tpError`
 * (DESIGN §4): a machine-readable `code`, the byte `offset` where the problem was found, nothing
 * else thrown by the parsers. A separate class because its codes are PPP's, not L2TP's.
 */

/** Every code a {@link PppError} can carry. */
export type PppErrorCode =
  /** The input ends before a field the frame or packet says is there. */
  | 'TRUNCATED'
  /** A Length field disagrees with the bytes given or is below its minimum (RFC 1661 §5). */
  | 'BAD_LENGTH'
  /** A Protocol field is malformed: its low byte is even or the high byte odd (RFC 1661 §2). */
  | 'BAD_PROTOCOL'
  /** An option's Length is under 2 or runs past the packet (RFC 1661 §6). */
  | 'BAD_OPTION_LENGTH';

/**
 * A malformed PPP frame, control packet or option list.
 * @example
 * ```ts
 * try { parsePppFrame(bytes); }
 * catch (e) { if (e instanceof PppError) console.log(e.code, e.offset); }
 * ```
 */
export class PppError extends Error {
  /** Machine-readable reason. */
  readonly code: PppErrorCode;
  /** The byte offset in the input where the problem was found. */
  readonly offset: number;

  constructor(code: PppErrorCode, message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'PppError';
    this.code = code;
    this.offset = offset;
  }

  /** A plain object for logs (`JSON.stringify` drops an Error's own message otherwise). */
  toJSON(): { name: string; code: PppErrorCode; offset: number; message: string } {
    return { name: this.name, code: this.code, offset: this.offset, message: this.message };
  }
}
