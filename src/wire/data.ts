/**
 * Data messages (RFC 2661 §3.1 with T=0; RFC 3931 §4.1.2.1): header plus payload, the payload
 * a view into the input (a PPP frame for L2TPv2; for L2TPv3 the L2-specific sublayer, if any,
 * and the frame).
 */
import { assertBytes } from './bytes.js';
import { fail } from './errors.js';
import { encodeHeader, headerLength, parseHeader, type HeaderV2, type DataHeaderV3, type ParseHeaderOptions } from './header.js';

/** A parsed L2TPv2 data message. */
export interface DataMessageV2 extends HeaderV2 {
  readonly isControl: false;
  /** The PPP frame (view into the input; starts after the offset pad). */
  readonly payload: Uint8Array;
}

/** A parsed L2TPv3 data message over UDP. */
export interface DataMessageV3 extends DataHeaderV3 {
  /** Everything after the cookie (view into the input). */
  readonly payload: Uint8Array;
}

/** Any data message {@link parseData} returns. */
export type DataMessage = DataMessageV2 | DataMessageV3;

/**
 * Parse a data message. The payload is a view into `bytes`, ending at Length when L=1.
 * @throws {@link L2tpError} `BAD_FLAGS` for a control message; header errors as {@link parseHeader}.
 * @example
 * ```ts
 * const d = parseData(bytes);
 * if (d.version === 2) deliver(d.sessionId, d.payload);
 * ```
 */
export function parseData(bytes: Uint8Array, options?: ParseHeaderOptions): DataMessage {
  assertBytes(bytes);
  const h = parseHeader(bytes, options);
  if (h.isControl) fail('BAD_FLAGS', 'T bit is 1: a control message, not a data message', 0);
  if (h.version === 2) {
    const end = h.length ?? bytes.length;
    return { ...h, isControl: false, payload: bytes.subarray(h.headerLength, end) };
  }
  return { ...h, payload: bytes.subarray(h.headerLength) };
}

/** What {@link encodeData} writes for L2TPv2. */
export interface DataMessageV2Init {
  version?: 2;
  tunnelId: number;
  sessionId: number;
  /** The PPP frame. */
  payload: Uint8Array;
  /**
   * Write the Length field (L=1). Default `false` over UDP; the stream framing (TCP) needs it,
   * and it is what xl2tpd sends with `length bit = yes`.
   */
  withLength?: boolean;
  /** Write Ns/Nr (S=1; RFC 2661 §5.8 data sequencing) when both are given. */
  ns?: number;
  nr?: number;
  /** Offset Size (O=1) and that many zero pad bytes before the payload. */
  offsetSize?: number;
  priority?: boolean;
}

/** What {@link encodeData} writes for L2TPv3 over UDP. */
export interface DataMessageV3Init {
  version: 3;
  sessionId: number;
  cookie?: Uint8Array;
  payload: Uint8Array;
}

/**
 * Encode a data message into one right-sized array.
 * @throws `RangeError` for out-of-range fields or a message over 65535 bytes with L=1.
 * @example
 * ```ts
 * const bytes = encodeData({ tunnelId: 7, sessionId: 9, payload: pppFrame, withLength: true });
 * ```
 */
export function encodeData(msg: DataMessageV2Init | DataMessageV3Init): Uint8Array {
  assertBytes(msg.payload, 'payload');
  if (msg.version === 3) {
    const init = { version: 3 as const, isControl: false as const, sessionId: msg.sessionId, cookie: msg.cookie };
    const hl = headerLength(init);
    const b = new Uint8Array(hl + msg.payload.length);
    encodeHeader(init, b, 0);
    b.set(msg.payload, hl);
    return b;
  }
  const init = {
    isControl: false,
    tunnelId: msg.tunnelId,
    sessionId: msg.sessionId,
    length: msg.withLength ? 0 : undefined,
    ns: msg.ns,
    nr: msg.nr,
    offsetSize: msg.offsetSize,
    priority: msg.priority,
  };
  const hl = headerLength(init);
  const size = hl + msg.payload.length;
  if (msg.withLength) {
    if (size > 0xffff) throw new RangeError(`data message would be ${size} bytes; the Length field holds at most 65535`);
    init.length = size;
  }
  const b = new Uint8Array(size);
  encodeHeader(init, b, 0);
  b.set(msg.payload, hl);
  return b;
}

