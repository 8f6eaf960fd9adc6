/**
 * PPP frames as L2TP carries them (RFC 2661 §2: the HDLC flags, stuffing and FCS are gone; the
 * Address and Control bytes 0xff 0x03 usually remain). A frame is
 * `[ff 03] protocol(1 or 2) information`. Receivers accept every form whatever was negotiated
 * (RFC 1661 §6.5, §6.6 say a compressing peer may still send the long form).
 */
import { PppError } from './errors.js';

/** A parsed PPP frame: a view over the caller's bytes, nothing copied. */
export interface PppFrame {
  /** The Protocol field (RFC 1661 §2), e.g. 0xc021 for LCP. */
  readonly protocol: number;
  /** The Information field: a view into the input. */
  readonly information: Uint8Array;
  /** Whether the frame began with the Address and Control bytes (0xff 0x03). */
  readonly addressControl: boolean;
  /** Whether the Protocol field was one byte (compressed, RFC 1661 §6.5). */
  readonly protocolCompressed: boolean;
}

/**
 * Parse one PPP frame. The Protocol field must be odd in its low byte and even in its high byte
 * (RFC 1661 §2, the ISO 3309 extension mechanism); a first byte that is odd is a compressed
 * one-byte field.
 * @throws {@link PppError} `TRUNCATED` or `BAD_PROTOCOL`, with the offset.
 * @example
 * ```ts
 * const f = parsePppFrame(Uint8Array.of(0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 8, 0, 0, 0, 0));
 * f.protocol; // 0xc021 (LCP)
 * ```
 */
export function parsePppFrame(bytes: Uint8Array): PppFrame {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`bytes must be a Uint8Array, got ${typeof bytes}`);
  let o = 0;
  const addressControl = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0x03;
  if (addressControl) o = 2;
  if (o >= bytes.length) throw new PppError('TRUNCATED', 'PPP frame has no Protocol field', o);
  const first = bytes[o]!;
  let protocol: number;
  let protocolCompressed = false;
  if (first & 1) {
    protocol = first;
    protocolCompressed = true;
    o += 1;
  } else {
    if (o + 2 > bytes.length) throw new PppError('TRUNCATED', 'PPP frame ends inside its Protocol field', o);
    const second = bytes[o + 1]!;
    if ((second & 1) === 0) throw new PppError('BAD_PROTOCOL', `Protocol field 0x${((first << 8) | second).toString(16)} has an even low byte`, o + 1);
    protocol = (first << 8) | second;
    o += 2;
  }
  return { protocol, information: bytes.subarray(o), addressControl, protocolCompressed };
}

/** How {@link encodePppFrame} writes the header. */
export interface PppFrameOptions {
  /** Write 0xff 0x03 first. Default true (omit only when the peer acked ACFC, RFC 1661 §6.6). */
  readonly addressControl?: boolean;
  /**
   * Write a Protocol below 0x100 in one byte. Default false (only when the peer acked PFC; never
   * for LCP, RFC 1661 §6.5).
   */
  readonly compressProtocol?: boolean;
}

/**
 * Header bytes {@link encodePppFrame} writes before the information.
 * @example
 * ```ts
 * pppHeaderLength(PppProtocol.IPv4, { addressControl: false, compressProtocol: true }); // 1
 * ```
 */
export function pppHeaderLength(protocol: number, options: PppFrameOptions = {}): number {
  return (options.addressControl === false ? 0 : 2) + (options.compressProtocol && protocol < 0x100 ? 1 : 2);
}

/**
 * Build a PPP frame: header then `information`. Writes into `target` at `offset` when given
 * (allocation-free), else into a new array. Returns the frame (a view of `target` when given).
 * @throws `RangeError` for a Protocol outside 1–0xffff or one that breaks the odd/even rule, or no room.
 * @example
 * ```ts
 * encodePppFrame(PppProtocol.LCP, lcpPacket); // ff 03 c0 21 …
 * ```
 */
export function encodePppFrame(
  protocol: number,
  information: Uint8Array,
  options: PppFrameOptions = {},
  target?: Uint8Array,
  offset = 0,
): Uint8Array {
  if (!Number.isInteger(protocol) || protocol < 1 || protocol > 0xffff || (protocol & 1) === 0 || (protocol & 0x100) !== 0) {
    throw new RangeError(`protocol must be a PPP protocol number (odd low byte, even high byte), got ${String(protocol)}`);
  }
  if (!(information instanceof Uint8Array)) throw new TypeError('information must be a Uint8Array');
  // LCP is never compressed: the peer must recognise it before any option is negotiated (§6.5).
  const compress = options.compressProtocol === true && protocol < 0x100;
  const header = pppHeaderLength(protocol, { addressControl: options.addressControl, compressProtocol: compress });
  const size = header + information.length;
  const out = target ?? new Uint8Array(size);
  if (!Number.isInteger(offset) || offset < 0 || offset + size > out.length) throw new RangeError(`target has no room for ${size} bytes at offset ${String(offset)}`);
  let o = offset;
  if (options.addressControl !== false) {
    out[o++] = 0xff;
    out[o++] = 0x03;
  }
  if (!compress) out[o++] = protocol >>> 8;
  out[o++] = protocol & 0xff;
  out.set(information, o);
  return target ? out.subarray(offset, offset + size) : out;
}
