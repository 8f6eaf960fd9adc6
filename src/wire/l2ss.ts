/**
 * The Default L2-Specific Sublayer of L2TPv3 (RFC 3931 §4.6, Figure 4.6), the 4 bytes a session
 * may put between the data header (Session ID, cookie) and the tunnelled frame:
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |x|S|x|x|x|x|x|x|              Sequence Number                  |
 * ```
 *
 * Whether it is there is not written in the message: the receiver asked for it at session setup
 * (L2-Specific Sublayer AVP 69, value 1), so the parser is told, as with the cookie length.
 */
import { fail } from './errors.js';

/**
 * Length in bytes of the Default L2-Specific Sublayer (RFC 3931 §4.6).
 * @example
 * ```ts
 * const frameStart = 8 + cookie.length + DEFAULT_L2SS_LENGTH; // data header over UDP, cookie, sublayer
 * ```
 */
export const DEFAULT_L2SS_LENGTH = 4;

/**
 * Size of the 24-bit sequence number space of the Default L2-Specific Sublayer (RFC 3931 §4.6:
 * "a free-running counter of 2^24 sequence numbers", zero included).
 * @example
 * ```ts
 * const next = (seq + 1) % L2SS_SEQUENCE_MODULUS;
 * ```
 */
export const L2SS_SEQUENCE_MODULUS = 0x1000000;

/** The S bit: the Sequence Number is valid (RFC 3931 §4.6; IANA "Default L2-Specific Sublayer bits", §10.8). */
const S_BIT = 0x40;

/** A parsed Default L2-Specific Sublayer. */
export interface DefaultL2ss {
  /** S bit: `sequenceNumber` is valid. When `false` it "MUST be ignored by the receiver" (§4.6) and reads as `undefined`. */
  readonly sequenced: boolean;
  /** The 24-bit Sequence Number when S=1, otherwise `undefined`. */
  readonly sequenceNumber: number | undefined;
}

/**
 * Write the Default L2-Specific Sublayer at `offset`: S=1 and the sequence number when one is
 * given, otherwise all four bytes zero (S=0; the reserved x bits are always sent as 0, §4.6).
 * @throws `RangeError` when `sequenceNumber` is not a whole number in 0…2^24−1, or the sublayer does not fit.
 * @example
 * ```ts
 * const b = new Uint8Array(4);
 * writeDefaultL2ss(b, 0, 5); // 40 00 00 05
 * ```
 */
export function writeDefaultL2ss(target: Uint8Array, offset: number, sequenceNumber?: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + DEFAULT_L2SS_LENGTH > target.length) {
    throw new RangeError(`the 4-byte Default L2-Specific Sublayer does not fit at offset ${offset} of ${target.length} bytes`);
  }
  if (sequenceNumber === undefined) {
    target.fill(0, offset, offset + DEFAULT_L2SS_LENGTH);
    return;
  }
  if (!Number.isInteger(sequenceNumber) || sequenceNumber < 0 || sequenceNumber >= L2SS_SEQUENCE_MODULUS) {
    throw new RangeError(`sequenceNumber must be a whole number in 0…16777215 (24 bits, RFC 3931 §4.6), got ${String(sequenceNumber)}`);
  }
  target[offset] = S_BIT;
  target[offset + 1] = sequenceNumber >>> 16;
  target[offset + 2] = (sequenceNumber >>> 8) & 0xff;
  target[offset + 3] = sequenceNumber & 0xff;
}

/**
 * Read the Default L2-Specific Sublayer at `offset`. Reserved bits are ignored (§4.6).
 * @throws {@link L2tpError} `TRUNCATED` when fewer than 4 bytes remain.
 * @example
 * ```ts
 * const l2ss = readDefaultL2ss(Uint8Array.of(0x40, 0, 0, 5), 0);
 * console.log(l2ss.sequenceNumber); // 5
 * ```
 */
export function readDefaultL2ss(bytes: Uint8Array, offset: number): DefaultL2ss {
  if (bytes.length - offset < DEFAULT_L2SS_LENGTH) {
    fail('TRUNCATED', 'data message ends inside the 4-byte Default L2-Specific Sublayer (RFC 3931 §4.6)', bytes.length);
  }
  const sequenced = (bytes[offset]! & S_BIT) !== 0;
  return {
    sequenced,
    sequenceNumber: sequenced ? (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]! : undefined,
  };
}
