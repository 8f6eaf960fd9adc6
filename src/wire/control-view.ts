/**
 * The parsed control message: a view over the parser's input (RFC 2661 §3.1, §4). Typed fields
 * are read through an index of the AVPs built once, by the parser, in the walk it makes anyway,
 * so each getter is one array (IETF) or `Map` (vendor) lookup and one value decode, and reading
 * every field of a 64 KiB message costs time linear in its size.
 */
import { ParsedAvp, type Avp } from './avp.js';
import { avpRule, AVP_RULES, Decode, decodeValue, type AvpRule } from './avp-rules.js';
import { decodeUtf8 } from './utf8.js';
import { jsonValue } from './json.js';
import type { ControlMessageJson, ControlMessageObject } from './control-types.js';

const HEADER_FIELDS = ['version', 'tunnelId', 'sessionId', 'ns', 'nr', 'length', 'isZlb', 'type', 'typeName'] as const;


/** @internal The object {@link parseControl} returns (the public shape is `ControlMessage`). */
export class ParsedControl {
  // `declare`: each field is stored once, by the constructor, in this order (a class field
  // declaration would first define it as undefined: a second store per field, per message).
  declare readonly version: 2 | 3;
  declare readonly tunnelId: number;
  declare readonly sessionId: number;
  declare readonly ns: number;
  declare readonly nr: number;
  declare readonly length: number;
  declare readonly isZlb: boolean;
  declare readonly type: number;
  declare readonly typeName: string;
  /** @internal The input the message was parsed from. */
  declare readonly src: Uint8Array;
  /**
   * @internal IETF type → where its first usable AVP is (a hole: none), filled by the parser's
   * walk: its offset (> 0) when it is clear, the offset's complement `~offset` (< 0) when it is a
   * hidden AVP the parser unhid (its value is then in {@link unhidden}), so a getter tells the two
   * apart without reading the header. Usable: its reserved bits clear in v2 (RFC 2661 §4.1:
   * otherwise "treat as unrecognized"; RFC 3931 §5.1 has them ignored on receipt) and, when
   * hidden, unhidden by the parser (a secret was given).
   */
  declare readonly index: number[];
  /** @internal AVP offset → unhidden value, when a secret was given. */
  declare unhidden: Map<number, Uint8Array> | undefined;
  /** @internal vendorId·65536 + type → offset (or `~offset`, as in {@link index}), for catalogued AVPs outside {@link index}. */
  declare more: Map<number, number> | undefined;
  /** @internal */
  declare list: ParsedAvp[] | undefined;
  /** @internal How many AVPs the message has (set by the parser; sizes {@link avps}). */
  declare count: number;

  constructor(src: Uint8Array, version: 2 | 3, tunnelId: number, sessionId: number, ns: number, nr: number, length: number, type: number, typeName: string, index: number[]) {
    this.version = version;
    this.tunnelId = tunnelId;
    this.sessionId = sessionId;
    this.ns = ns;
    this.nr = nr;
    this.length = length;
    this.isZlb = length === 12; // CONTROL_HEADER_LENGTH (a literal: see avps)
    this.type = type;
    this.typeName = typeName;
    this.src = src;
    this.index = index;
    this.unhidden = undefined;
    this.more = undefined;
    this.list = undefined;
    this.count = 0;
  }

  /** v3: the receiver's Control Connection ID (RFC 3931 §3.2.1), the same number as `tunnelId`; `undefined` for v2. */
  get controlConnectionId(): number | undefined {
    return this.version === 3 ? this.tunnelId : undefined;
  }

  get bytes(): Uint8Array {
    return this.src.length === this.length ? this.src : this.src.subarray(0, this.length);
  }

  get avps(): readonly ParsedAvp[] {
    if (this.list === undefined) {
      // Sized by the parser's count: one allocation, no growing.
      const list = new Array<ParsedAvp>(this.count);
      const b = this.src;
      const end = this.length;
      let i = 0;
      // 12: CONTROL_HEADER_LENGTH, a literal (a module constant is a context load in a bundle).
      for (let o = 12; o < end; ) {
        const a = new ParsedAvp(b, o);
        list[i++] = a;
        o += a.word & 0x03ff; // the header word the record just read (the parser checked every Length)
      }
      this.list = list;
    }
    return this.list;
  }

  /** @internal The typed value of the first usable occurrence of rule `r`, or undefined: O(1). */
  field(r: AvpRule): unknown {
    const o = r.slot >= 0 ? this.index[r.slot] : this.more?.get(r.mapKey);
    if (o === undefined) return undefined;
    if (o < 0) return this.unhiddenField(r, o);
    const b = this.src;
    return decodeValue(r, b, o + 6, (((b[o]! << 8) | b[o + 1]!) & 0x03ff) - 6);
  }

  /** @internal The typed value of the hidden AVP indexed as `ref` (`~offset`), from the copy the parser unhid. */
  unhiddenField(r: AvpRule, ref: number): unknown {
    const v = this.unhidden!.get(~ref)!;
    return decodeValue(r, v, 0, v.length);
  }

  /**
   * A plain object: header fields, every typed field present (native values: `bigint`,
   * `Uint8Array` views) and `avps` as plain {@link Avp} records. `encodeControl` takes it back.
   */
  toObject(): ControlMessageObject {
    const o: Record<string, unknown> = {};
    for (const k of HEADER_FIELDS) o[k] = this[k];
    if (this.version === 3) o.controlConnectionId = this.tunnelId;
    // Each catalogue row is looked up once, even when it repeats.
    const tried = new Set<AvpRule>();
    for (const a of this.avps) {
      const r = avpRule(a.vendorId, a.type);
      if (r !== undefined && !tried.has(r)) {
        tried.add(r);
        const v = this.field(r);
        if (v !== undefined) o[r.key] = v;
      }
    }
    o.avps = this.avps.map((a): Avp => a.toObject());
    return o as ControlMessageObject;
  }

  /** The loggable form: {@link toObject} with 64-bit values as decimal strings and bytes as hex. */
  toJSON(): ControlMessageJson {
    const { avps, ...rest } = this.toObject();
    const o = jsonValue(rest) as Record<string, unknown>;
    o.avps = this.avps.map((a) => a.toJSON());
    return o as ControlMessageJson;
  }
}

/**
 * The getter of each catalogue key, by how its value decodes. IETF AVPs (found by index) get a
 * getter of their own kind: one index load, then the value read in place (the scalar kinds) or
 * the row's codec called directly; small, so the optimiser inlines it where it is read, and
 * monomorphic across the keys of a kind. The rest go through {@link ParsedControl.field}.
 *
 * Each getter captures its rule and slot as `const`s: immutable context slots, which the
 * optimiser folds to constants where a getter is inlined. The value was checked by the parser
 * (lengths: a U16 value is 2 bytes, a U32 value 4). `ref > 0`: a clear AVP at that offset; `< 0`:
 * unhidden by the parser; `undefined` fails both tests.
 */
function getterOf(r: AvpRule): (this: ParsedControl) => unknown {
  const rule = r;
  const slot = r.slot;
  if (slot < 0) return generic(r);
  switch (r.decode) {
    case Decode.U16:
      return function (this: ParsedControl) {
        const o = this.index[slot]!;
        if (o > 0) return (this.src[o + 6]! << 8) | this.src[o + 7]!;
        return o < 0 ? this.unhiddenField(rule, o) : undefined;
      };
    case Decode.U32:
      return function (this: ParsedControl) {
        const o = this.index[slot]!;
        if (o > 0) {
          const b = this.src;
          return ((b[o + 6]! << 24) | (b[o + 7]! << 16) | (b[o + 8]! << 8) | b[o + 9]!) >>> 0;
        }
        return o < 0 ? this.unhiddenField(rule, o) : undefined;
      };
    case Decode.Utf8:
      return function (this: ParsedControl) {
        const o = this.index[slot]!;
        if (o > 0) {
          const b = this.src;
          return decodeUtf8(b, o + 6, (((b[o]! << 8) | b[o + 1]!) & 0x03ff) - 6);
        }
        return o < 0 ? this.unhiddenField(rule, o) : undefined;
      };
    case Decode.Codec: {
      const decode = rule.codecDecode;
      return function (this: ParsedControl) {
        const o = this.index[slot]!;
        if (o > 0) {
          const b = this.src;
          return decode(b, o + 6, (((b[o]! << 8) | b[o + 1]!) & 0x03ff) - 6);
        }
        return o < 0 ? this.unhiddenField(rule, o) : undefined;
      };
    }
    default:
      return generic(r);
  }
}

function generic(r: AvpRule): (this: ParsedControl) => unknown {
  const rule = r;
  return function (this: ParsedControl) {
    return this.field(rule);
  };
}

// One getter per catalogue key on the prototype: `msg.hostName` decodes on access.
for (const r of AVP_RULES) {
  if (r.key in ParsedControl.prototype) continue;
  Object.defineProperty(ParsedControl.prototype, r.key, {
    get: getterOf(r),
    enumerable: false,
    configurable: false,
  });
}
