/**
 * The catalogue flattened for the hot paths (RFC 2661 §4.1, §4.4): one {@link AvpRule} per row,
 * all of one shape, with the codec's length bounds copied out and its decoder classified.
 *
 * Why: the codecs are object literals of many shapes (a `u16` is not shaped like a Result Code),
 * so reading `def.codec.minLength` or calling `def.codec.decode` from one site in the parser or in
 * the typed getters is a megamorphic load or call per AVP. A rule is monomorphic, and the common
 * value kinds (integers, strings, bytes, flags) are decoded inline by a `switch` on {@link Decode}.
 * @internal
 */
import { avpDef, AVP_CATALOG } from './avp-catalog.js';
import type { AvpDef } from './avp-def.js';
import * as c from './value-codecs.js';
import { decodeUtf8 } from './utf8.js';

/** How a rule's value is decoded: inline for the scalar kinds, else the codec's `decode`. */
export const Decode = { Codec: 0, U8: 1, U16: 2, U32: 3, Utf8: 4, Bytes: 5, Empty: 6 } as const;
export type Decode = (typeof Decode)[keyof typeof Decode];

/** IETF AVP types below this are found by array index; others (and vendor AVPs) by `Map`. */
export const RULE_DIRECT = 128;

/** One catalogue row, flattened. */
export class AvpRule {
  readonly def: AvpDef;
  readonly key: string;
  readonly vendorId: number;
  readonly type: number;
  /** Where the typed-field index keeps it: the IETF type, or −1 for the vendor `Map`. */
  readonly slot: number;
  /** `vendorId·65536 + type`, the vendor `Map` key. */
  readonly mapKey: number;
  readonly minLength: number;
  readonly maxLength: number;
  readonly validate: ((b: Uint8Array, o: number, length: number) => void) | undefined;
  readonly decode: Decode;
  /** 0 is refused on encode (Assigned Tunnel/Session ID, RFC 2661 §4.4.3/§4.4.4; RFC 3931 §5.4.3). */
  readonly nonZero: boolean;
  /** The M bit this library sends (the catalogue's rule), as the header's bit. */
  readonly mBit: number;
  /** The codec's own decoder, for {@link Decode.Codec}. */
  readonly codecDecode: (b: Uint8Array, o: number, length: number) => unknown;

  constructor(d: AvpDef) {
    const k = d.codec;
    this.def = d;
    this.key = d.key;
    this.vendorId = d.vendorId;
    this.type = d.type;
    this.slot = d.vendorId === 0 && d.type < RULE_DIRECT ? d.type : -1;
    this.mapKey = d.vendorId * 0x10000 + d.type;
    this.minLength = k.minLength;
    this.maxLength = k.maxLength;
    this.validate = k.validate === undefined ? undefined : k.validate.bind(k);
    this.decode = decodeKind(d);
    this.nonZero = k === (c.nonZeroU16 as unknown) || k === (c.nonZeroU32 as unknown);
    this.mBit = d.mandatory ? 0x8000 : 0;
    this.codecDecode = k.decode.bind(k);
  }
}

function decodeKind(d: AvpDef): Decode {
  const k = d.codec as unknown;
  // By identity with the library's own codecs, so a codec that only shares a `kind` name is
  // never decoded inline by mistake.
  if (k === c.u8) return Decode.U8;
  if (k === c.u16 || k === c.nonZeroU16 || k === c.bits16) return Decode.U16;
  if (k === c.u32 || k === c.nonZeroU32 || k === c.bits32) return Decode.U32;
  if (k === c.empty) return Decode.Empty;
  if (d.codec.kind === 'string' && d.codec.decode === c.decodeUtf8) return Decode.Utf8;
  // bytes() without a `lengths` list has no validate; with one, its decode re-checks: keep it.
  if (d.codec.kind === 'bytes' && d.codec.validate === undefined) return Decode.Bytes;
  return Decode.Codec;
}

/** Rules of IETF types below {@link RULE_DIRECT}, by type. */
const DIRECT_RULES: (AvpRule | undefined)[] = new Array<AvpRule | undefined>(RULE_DIRECT).fill(undefined);
const OTHER_RULES = new Map<number, AvpRule>();
/** Every rule, in catalogue order. */
export const AVP_RULES: readonly AvpRule[] = AVP_CATALOG.map((d) => {
  const r = new AvpRule(d);
  if (r.slot >= 0) DIRECT_RULES[r.slot] = r;
  else OTHER_RULES.set(r.mapKey, r);
  return r;
});

/**
 * The parser's per-AVP check of a clear IETF AVP below {@link RULE_DIRECT}, packed in one integer
 * per type so the walk reads no rule object: bits 0–9 the value's minimum length, 10–19 its
 * maximum (both ≤ 1017, the 10-bit AVP Length less the header), bit 20 "has a content check", bit
 * 21 "catalogued" (0: the catalogue has no row). {@link limitsOf} builds it.
 */
export const DIRECT_LIMITS: Int32Array = new Int32Array(RULE_DIRECT);
/** {@link DIRECT_LIMITS} bit 20: the rule has a `validate`. */
export const LIMIT_VALIDATE = 1 << 20;
/** {@link DIRECT_LIMITS} bit 21: a catalogue row exists. */
export const LIMIT_KNOWN = 1 << 21;

/** The packed {@link DIRECT_LIMITS} entry of rule `r`. */
export function limitsOf(r: AvpRule): number {
  if (r.minLength > r.maxLength || r.maxLength > 0x3ff) throw new Error(`AVP rule ${r.key}: lengths ${r.minLength}–${r.maxLength} do not pack in 10 bits`);
  return r.minLength | (r.maxLength << 10) | (r.validate !== undefined ? LIMIT_VALIDATE : 0) | LIMIT_KNOWN;
}
for (const r of AVP_RULES) if (r.slot >= 0) DIRECT_LIMITS[r.slot] = limitsOf(r);

/** The rule of IETF type `type` (< {@link RULE_DIRECT}), or undefined: one array load. */
export function directRule(type: number): AvpRule | undefined {
  return DIRECT_RULES[type];
}

/** The rule for (`vendorId`, `type`), or undefined for an AVP the catalogue does not know. */
export function avpRule(vendorId: number, type: number): AvpRule | undefined {
  return vendorId === 0 && type < RULE_DIRECT ? DIRECT_RULES[type] : OTHER_RULES.get(vendorId * 0x10000 + type);
}

// The rules must agree with the catalogue they flatten (a cheap load-time check).
for (const r of AVP_RULES) if (avpDef(r.vendorId, r.type) !== r.def) throw new Error(`AVP rule ${r.key} disagrees with the catalogue`);

/**
 * The typed value of rule `r` from `length` bytes at `o` (bounds and content already checked by
 * the parser). The scalar kinds are decoded here; the structured ones by their codec.
 */
export function decodeValue(r: AvpRule, b: Uint8Array, o: number, length: number): unknown {
  switch (r.decode) {
    case 1: // Decode.U8
      return b[o]!;
    case 2: // Decode.U16
      return (b[o]! << 8) | b[o + 1]!;
    case 3: // Decode.U32
      return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
    case 4: // Decode.Utf8
      return decodeUtf8(b, o, length);
    case 5: // Decode.Bytes
      return b.subarray(o, o + length);
    case 6: // Decode.Empty
      return true;
    default:
      return r.codecDecode(b, o, length);
  }
}
