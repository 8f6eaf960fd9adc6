/**
 * The generic AVP layer (RFC 2661 §4.1): TLV decode/encode and a zero-allocation cursor.
 *
 * ```
 *  0                   1                   2                   3
 * |M|H| rsvd  |      Length       |           Vendor ID           |
 * |         Attribute Type        |        Attribute Value ...
 * ```
 */
import { assertBytes, assertInt, put16, u16, u32 } from './bytes.js';
import { fail } from './errors.js';
import { bytesToHex } from './json.js';

/**
 * AVP header bits (RFC 2661 §4.1).
 * @example
 * ```ts
 * const w = (bytes[o] << 8) | bytes[o + 1];
 * const mandatory = (w & AvpFlag.Mandatory) !== 0, length = w & AvpFlag.Length;
 * ```
 */
export const AvpFlag = {
  /** M: mandatory. */
  Mandatory: 0x8000,
  /** H: hidden (§4.3). */
  Hidden: 0x4000,
  /** The four reserved bits; non-zero means "treat the AVP as unrecognised" (§4.1). */
  Reserved: 0x3c00,
  /** Length: the whole AVP, header included. */
  Length: 0x03ff,
} as const;

/**
 * Size of the AVP header (flags/length, Vendor ID, Attribute Type).
 * @example
 * ```ts
 * const valueLength = (w & AvpFlag.Length) - AVP_HEADER_LENGTH; // w: the AVP's first 16-bit word
 * ```
 */
export const AVP_HEADER_LENGTH = 6;
/**
 * Largest value an AVP can carry: the 10-bit Length minus the 6-byte header.
 * @example
 * ```ts
 * if (hostName.length > AVP_MAX_VALUE_LENGTH) throw new RangeError('Host Name too long');
 * ```
 */
export const AVP_MAX_VALUE_LENGTH = 0x3ff - AVP_HEADER_LENGTH;

/**
 * One AVP as it is on the wire: always keyed on (`vendorId`, `type`), so a vendor AVP is never
 * mistaken for an IETF one. For a hidden AVP `value` is the hidden (encrypted) bytes.
 */
export interface Avp {
  readonly mandatory: boolean;
  readonly hidden: boolean;
  /** The 4 reserved bits (0–15), present only when the peer set any (RFC 2661 §4.1). */
  readonly reserved?: number;
  /** 0 for IETF AVPs; otherwise the vendor's SMI Network Management Private Enterprise Code. */
  readonly vendorId: number;
  readonly type: number;
  /** The value bytes (a view into the message they were parsed from). */
  readonly value: Uint8Array;
}

/**
 * An AVP parsed from a message: a thin record over the message bytes whose `value` view is made
 * on demand (a `subarray` per AVP would cost more than parsing the AVP).
 * @example
 * ```ts
 * const avp = new ParsedAvp(bytes, 12);   // the first AVP of a control message
 * if (avp.vendorId === 0 && avp.type === AvpType.MessageType) console.log(avp.value);
 * ```
 */
export class ParsedAvp implements Avp {
  // The getters below write AvpFlag's bits and AVP_HEADER_LENGTH (6) as literals: a module
  // constant is a context load (and an object's property a map check) in a bundle, per call.
  // `declare`: the constructor is the only store of each field (a class field declaration would
  // first define it as undefined, a second store per field and an untyped field, per record).
  /** Offset of this AVP's header in the message. */
  declare readonly offset: number;
  /** @internal */
  declare readonly bytes: Uint8Array;
  /** @internal The header's first 16-bit word (M, H, reserved bits, Length); the rest is read on access. */
  declare readonly word: number;

  constructor(bytes: Uint8Array, offset: number) {
    // Three stores: a message's AVP list is built in one walk, and most readers look at a few
    // fields of a few AVPs, so each field is derived from the bytes on access.
    this.bytes = bytes;
    this.offset = offset;
    this.word = (bytes[offset]! << 8) | bytes[offset + 1]!;
  }

  get mandatory(): boolean {
    return (this.word & 0x8000) !== 0;
  }

  get hidden(): boolean {
    return (this.word & 0x4000) !== 0;
  }

  /** The 4 reserved bits (1–15), or undefined when the peer set none (RFC 2661 §4.1). */
  get reserved(): number | undefined {
    const r = (this.word & 0x3c00) >>> 10;
    return r === 0 ? undefined : r;
  }

  get vendorId(): number {
    return (this.bytes[this.offset + 2]! << 8) | this.bytes[this.offset + 3]!;
  }

  get type(): number {
    return (this.bytes[this.offset + 4]! << 8) | this.bytes[this.offset + 5]!;
  }

  /** Length of the value in bytes (AVP Length minus 6). */
  get valueLength(): number {
    return (this.word & 0x03ff) - 6;
  }

  /** Offset of the value in the message. */
  get valueOffset(): number {
    return this.offset + 6;
  }

  get value(): Uint8Array {
    const s = this.offset + 6;
    return this.bytes.subarray(s, s + this.valueLength);
  }

  /**
   * A plain `Avp` object with `value` as a view (for re-encoding and deep equality in tests).
   * @example
   * ```ts
   * encodeControl({ tunnelId: 7, avps: msg.avps.map((a) => a.toObject()) });
   * ```
   */
  toObject(): Avp {
    const o: { -readonly [K in keyof Avp]: Avp[K] } = {
      mandatory: this.mandatory,
      hidden: this.hidden,
      vendorId: this.vendorId,
      type: this.type,
      value: this.value,
    };
    if (this.reserved !== undefined) o.reserved = this.reserved;
    return o;
  }

  /**
   * The loggable form: `value` as lowercase hex, so `JSON.stringify` writes it readably.
   * @example
   * ```ts
   * JSON.stringify(avp); // {"mandatory":true,"hidden":false,"vendorId":0,"type":9,"value":"0007"}
   * ```
   */
  toJSON(): AvpJson {
    const o: { -readonly [K in keyof AvpJson]: AvpJson[K] } = {
      mandatory: this.mandatory,
      hidden: this.hidden,
      vendorId: this.vendorId,
      type: this.type,
      value: bytesToHex(this.value),
    };
    if (this.reserved !== undefined) o.reserved = this.reserved;
    return o;
  }
}

/** What {@link ParsedAvp.toJSON} returns: an {@link Avp} with its value as lowercase hex. */
export type AvpJson = Omit<Avp, 'value'> & { readonly value: string };

/**
 * A zero-allocation cursor over the AVPs of a message: no objects, no views, for high-rate use
 * (probes, firewalls, counters). Validates each AVP's Length as it goes.
 *
 * @example
 * ```ts
 * const r = new AvpReader();
 * r.reset(bytes, 12, bytes.length);   // the AVPs of a v2 control message start at 12
 * while (r.next()) {
 *   if (r.vendorId === 0 && r.type === 9) console.log('Assigned Tunnel ID', r.u16(0));
 * }
 * ```
 */
export class AvpReader {
  /** The message being walked. */
  bytes: Uint8Array = EMPTY;
  /** Offset of the current AVP's header. */
  offset = 0;
  /** The current AVP's first header word (M, H, reserved bits, Length). */
  word = 0;
  /** The current AVP's Attribute Type (stored by {@link next}: every walker reads it). */
  type = 0;
  private next_ = 0;
  private end = 0;

  constructor(bytes?: Uint8Array, start = 0, end = bytes?.length ?? 0) {
    if (bytes) this.reset(bytes, start, end);
  }

  /** Start walking the AVPs in `bytes[start, end)`. @throws `RangeError` for bounds outside `bytes`. */
  reset(bytes: Uint8Array, start: number, end: number = bytes.length): this {
    // Local misuse (a NaN or fractional bound would walk garbage): integers, 0 ≤ start ≤ end ≤ length.
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= bytes.length)) {
      throw new RangeError(`AvpReader.reset: need integers 0 ≤ start ≤ end ≤ ${bytes.length} (bytes.length), got start ${String(start)}, end ${String(end)}`);
    }
    this.bytes = bytes;
    this.next_ = start;
    this.end = end;
    this.offset = start;
    this.word = 6; // AVP_HEADER_LENGTH as a literal (see next): valueLength 0 until next()
    return this;
  }

  /**
   * The current AVP's Vendor ID (0: IETF), read from the header on access: most AVPs are IETF
   * and many walkers never ask, so {@link next} does not store it.
   */
  get vendorId(): number {
    return (this.bytes[this.offset + 2]! << 8) | this.bytes[this.offset + 3]!;
  }

  /** Offset of the current AVP's value. */
  get valueOffset(): number {
    return this.offset + 6;
  }

  /** Length of the current AVP's value. */
  get valueLength(): number {
    return (this.word & 0x03ff) - 6;
  }

  /** M bit of the current AVP. */
  get mandatory(): boolean {
    return (this.word & 0x8000) !== 0;
  }

  /** H bit of the current AVP. */
  get hidden(): boolean {
    return (this.word & 0x4000) !== 0;
  }

  /** The current AVP's four reserved bits (0 when clear). */
  get reserved(): number {
    return (this.word & 0x3c00) >>> 10;
  }

  /**
   * Advance to the next AVP. Returns `false` at the end. Only the header's position, first word
   * and type are stored; the Vendor ID, flags and lengths above are derived on access.
   * @throws {@link L2tpError} `BAD_AVP_LENGTH` when an AVP is shorter than 6 bytes or runs past
   *   the end; `TRUNCATED` when fewer than 6 bytes remain.
   */
  next(): boolean {
    const b = this.bytes;
    const o = this.next_;
    const end = this.end;
    if (o >= end) return false;
    const w = (b[o]! << 8) | b[o + 1]!;
    const len = w & 0x03ff;
    // 6: AVP_HEADER_LENGTH, as a literal (a module constant is a context load in a bundle). The
    // error's message is built out of line, so this stays small enough to inline into the loop.
    if (len < 6 || o + len > end) this.bad(o);
    this.offset = o;
    this.word = w;
    this.type = (b[o + 4]! << 8) | b[o + 5]!;
    this.next_ = o + len;
    return true;
  }

  /** The error {@link next} throws for a bad AVP header at `o`: which, at `o`. */
  private bad(o: number): never {
    const end = this.end;
    if (end - o < AVP_HEADER_LENGTH) fail('TRUNCATED', `${end - o} bytes left after the last AVP, fewer than an AVP header`, o);
    const len = ((this.bytes[o]! << 8) | this.bytes[o + 1]!) & 0x03ff;
    if (len < AVP_HEADER_LENGTH) fail('BAD_AVP_LENGTH', `AVP Length ${len} is under the 6-byte minimum`, o);
    fail('BAD_AVP_LENGTH', `AVP Length ${len} runs ${o + len - end} bytes past the end of the message`, o);
  }

  /** Big-endian 16-bit integer at `at` bytes into the current value (caller checks the length). */
  u16(at = 0): number {
    return u16(this.bytes, this.offset + 6 + at);
  }

  /** Big-endian 32-bit integer at `at` bytes into the current value (caller checks the length). */
  u32(at = 0): number {
    return u32(this.bytes, this.offset + 6 + at);
  }

  /** The current value as a view (allocates one `subarray`). */
  value(): Uint8Array {
    const s = this.offset + 6;
    return this.bytes.subarray(s, s + (this.word & 0x03ff) - 6);
  }
}

const EMPTY = new Uint8Array(0);

/**
 * Decode the AVPs in `bytes[offset, end)` into {@link ParsedAvp} records, in wire order.
 * Hidden values are left hidden; see `unhideAvp`.
 *
 * @throws {@link L2tpError} `BAD_AVP_LENGTH` / `TRUNCATED` for malformed lengths.
 * @example
 * ```ts
 * for (const a of decodeAvps(bytes, CONTROL_HEADER_LENGTH)) console.log(a.vendorId, a.type, a.mandatory);
 * ```
 */
export function decodeAvps(bytes: Uint8Array, offset = 0, end: number = bytes.length): ParsedAvp[] {
  assertBytes(bytes);
  assertInt(end, 0, bytes.length, 'end');
  assertInt(offset, 0, end, 'offset');
  const out: ParsedAvp[] = [];
  const r = new AvpReader(bytes, offset, end);
  while (r.next()) out.push(new ParsedAvp(bytes, r.offset));
  return out;
}

/** What {@link encodeAvp} writes. `mandatory`, `hidden` default to false, `vendorId` to 0. */
export interface AvpInit {
  mandatory?: boolean;
  hidden?: boolean;
  reserved?: number;
  vendorId?: number;
  type: number;
  value: Uint8Array;
}

/**
 * Total encoded size of an AVP (header + value).
 * @example
 * ```ts
 * avpLength({ type: AvpType.AssignedTunnelId, value: new Uint8Array([0, 7]) }); // 8
 * ```
 */
export function avpLength(avp: AvpInit): number {
  return AVP_HEADER_LENGTH + avp.value.length;
}

/**
 * Write one AVP into `target` at `offset` (or a new right-sized array) and return the array.
 * @throws `RangeError` when the value does not fit the 10-bit Length (1017 bytes at most).
 * @example
 * ```ts
 * const avp = encodeAvp({ mandatory: true, type: AvpType.AssignedTunnelId, value: new Uint8Array([0, 7]) });
 * ```
 */
export function encodeAvp(avp: AvpInit, target?: Uint8Array, offset = 0): Uint8Array {
  const value = avp.value;
  assertBytes(value, `value of AVP ${avp.vendorId ?? 0}:${avp.type}`);
  const len = AVP_HEADER_LENGTH + value.length;
  if (len > 0x3ff) {
    throw new RangeError(`value of AVP ${avp.vendorId ?? 0}:${avp.type} is ${value.length} bytes; an AVP holds at most ${AVP_MAX_VALUE_LENGTH}`);
  }
  const b = target ?? new Uint8Array(len);
  if (target) assertInt(offset, 0, target.length - len, 'offset');
  writeAvpHeader(b, offset, avp.mandatory === true, avp.hidden === true, avp.reserved ?? 0, len, avp.vendorId ?? 0, avp.type);
  b.set(value, offset + AVP_HEADER_LENGTH);
  return b;
}

/** @internal Write a 6-byte AVP header; the caller has range-checked everything. */
export function writeAvpHeader(
  b: Uint8Array,
  o: number,
  mandatory: boolean,
  hidden: boolean,
  reserved: number,
  length: number,
  vendorId: number,
  type: number,
): void {
  assertInt(vendorId, 0, 0xffff, 'vendorId');
  assertInt(type, 0, 0xffff, 'AVP type');
  assertInt(reserved, 0, 15, 'reserved');
  put16(b, o, (mandatory ? 0x8000 : 0) | (hidden ? 0x4000 : 0) | (reserved << 10) | length);
  put16(b, o + 2, vendorId);
  put16(b, o + 4, type);
}
