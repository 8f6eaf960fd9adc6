/**
 * Control packets (RFC 1661 §5: Code, Identifier, Length, Data) shared by LCP, the NCPs, PAP and
 * CHAP, and Configuration Option lists (§6: Type, Length, Data).
 */
import { PppError } from './errors.js';

/** A control packet: `data` is a view into the input when parsed. */
export interface ControlPacket {
  readonly code: number;
  readonly identifier: number;
  readonly data: Uint8Array;
}

/** A Configuration Option (RFC 1661 §6); `data` excludes the Type and Length bytes. */
export interface PppOption {
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * Parse a control packet from a frame's Information field. Octets past Length are padding and
 * ignored (RFC 1661 §5).
 * @throws {@link PppError} `TRUNCATED` or `BAD_LENGTH`.
 * @example
 * ```ts
 * const p = parseControlPacket(parsePppFrame(frame).information);
 * if (p.code === CpCode.ConfigureRequest) parseOptions(p.data);
 * ```
 */
export function parseControlPacket(bytes: Uint8Array): ControlPacket {
  if (bytes.length < 4) throw new PppError('TRUNCATED', `control packet needs 4 header bytes, has ${bytes.length}`, bytes.length);
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (length < 4) throw new PppError('BAD_LENGTH', `control packet Length ${length} is under 4`, 2);
  if (length > bytes.length) throw new PppError('BAD_LENGTH', `control packet Length ${length} exceeds the ${bytes.length} bytes received`, 2);
  return { code: bytes[0]!, identifier: bytes[1]!, data: bytes.subarray(4, length) };
}

/**
 * Encode a control packet.
 * @example
 * ```ts
 * encodeControlPacket({ code: CpCode.TerminateAck, identifier: 7, data: new Uint8Array() }); // 06 07 00 04
 * ```
 */
export function encodeControlPacket(packet: ControlPacket): Uint8Array {
  const n = 4 + packet.data.length;
  if (n > 0xffff) throw new RangeError(`control packet data must be under 65532 bytes, got ${packet.data.length}`);
  const out = new Uint8Array(n);
  out[0] = packet.code;
  out[1] = packet.identifier;
  out[2] = n >>> 8;
  out[3] = n;
  out.set(packet.data, 4);
  return out;
}

/**
 * Parse a Configuration Option list (the Data of Configure-Request/Ack/Nak/Reject).
 * @throws {@link PppError} `BAD_OPTION_LENGTH` (offset relative to `bytes`).
 * @example
 * ```ts
 * parseOptions(Uint8Array.of(1, 4, 0x05, 0xdc)); // [{ type: 1, data: 05 dc }] (MRU 1500)
 * ```
 */
export function parseOptions(bytes: Uint8Array): PppOption[] {
  const out: PppOption[] = [];
  let o = 0;
  while (o < bytes.length) {
    if (o + 2 > bytes.length) throw new PppError('BAD_OPTION_LENGTH', 'option ends inside its Type/Length', o);
    const len = bytes[o + 1]!;
    if (len < 2 || o + len > bytes.length) throw new PppError('BAD_OPTION_LENGTH', `option Length ${len} is under 2 or runs past the packet`, o + 1);
    out.push({ type: bytes[o]!, data: bytes.subarray(o + 2, o + len) });
    o += len;
  }
  return out;
}

/**
 * Encode a Configuration Option list.
 * @example
 * ```ts
 * encodeOptions([{ type: 1, data: Uint8Array.of(0x05, 0xdc) }]); // 01 04 05 dc
 * ```
 */
export function encodeOptions(options: readonly PppOption[]): Uint8Array {
  let n = 0;
  for (const opt of options) {
    if (opt.data.length > 253) throw new RangeError(`option ${opt.type} data must be at most 253 bytes, got ${opt.data.length}`);
    n += 2 + opt.data.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const opt of options) {
    out[o] = opt.type;
    out[o + 1] = 2 + opt.data.length;
    out.set(opt.data, o + 2);
    o += 2 + opt.data.length;
  }
  return out;
}

/** @internal Big-endian helpers for option values. */
export const u16 = (b: Uint8Array, o = 0): number => (b[o]! << 8) | b[o + 1]!;
/** @internal */
export const u32 = (b: Uint8Array, o = 0): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
/** @internal */
export const be16 = (v: number): Uint8Array => Uint8Array.of(v >>> 8, v & 0xff);
/** @internal */
export const be32 = (v: number): Uint8Array => Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
/** @internal Byte-wise equality. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
