/**
 * The parsed control message: a view over the parser's input (RFC 2661 §3.1, §4). Typed fields
 * are read through an index of the AVPs built once — by the parser, in the walk it makes anyway
 * (`buildIndex` is the same walk for a message made otherwise) — so each getter is one array
 * (IETF) or `Map` (vendor) lookup and one value decode, and reading every field of a 64 KiB
 * message costs time linear in its size.
 */
import { AVP_HEADER_LENGTH, ParsedAvp, type Avp } from './avp.js';
import { avpRule, AVP_RULES, decodeValue, type AvpRule } from './avp-rules.js';
import { jsonValue } from './json.js';
import { CONTROL_HEADER_LENGTH, type ControlMessageJson, type ControlMessageObject } from './control-types.js';

const HEADER_FIELDS = ['version', 'tunnelId', 'sessionId', 'ns', 'nr', 'length', 'isZlb', 'type', 'typeName'] as const;


/** @internal The object {@link parseControl} returns (the public shape is `ControlMessage`). */
export class ParsedControl {
  readonly version: 2 | 3;
  readonly tunnelId: number;
  readonly sessionId: number;
  readonly ns: number;
  readonly nr: number;
  readonly length: number;
  readonly isZlb: boolean;
  readonly type: number;
  readonly typeName: string;
  /** @internal The input the message was parsed from. */
  readonly src: Uint8Array;
  /** @internal AVP offset → unhidden value, when a secret was given. */
  unhidden: Map<number, Uint8Array> | undefined = undefined;
  /** @internal */
  list: ParsedAvp[] | undefined = undefined;
  /** @internal IETF type → offset of its first usable AVP (absent: none); built on the first typed read. */
  index: number[] | undefined = undefined;
  /** @internal vendorId·65536 + type → offset, for catalogued AVPs outside {@link index}. */
  more: Map<number, number> | undefined = undefined;

  constructor(src: Uint8Array, version: 2 | 3, tunnelId: number, sessionId: number, ns: number, nr: number, length: number, type: number, typeName: string) {
    this.src = src;
    this.version = version;
    this.tunnelId = tunnelId;
    this.sessionId = sessionId;
    this.ns = ns;
    this.nr = nr;
    this.length = length;
    this.isZlb = length === CONTROL_HEADER_LENGTH;
    this.type = type;
    this.typeName = typeName;
  }

  get bytes(): Uint8Array {
    return this.src.length === this.length ? this.src : this.src.subarray(0, this.length);
  }

  get avps(): readonly ParsedAvp[] {
    if (this.list === undefined) {
      const list: ParsedAvp[] = [];
      const b = this.src;
      const end = this.length;
      for (let o = CONTROL_HEADER_LENGTH; o < end; o += ((b[o]! << 8) | b[o + 1]!) & 0x03ff) list.push(new ParsedAvp(b, o));
      this.list = list;
    }
    return this.list;
  }

  /**
   * @internal One walk: the first *usable* occurrence of each catalogued AVP. Usable: its reserved
   * bits clear in v2 (RFC 2661 §4.1: otherwise "treat as unrecognized"; RFC 3931 §5.1 has them
   * ignored on receipt) and, when hidden, unhidden by the parser (a secret was given). The parser
   * builds the same index in its validation walk; this is for a message without one (a ZLB).
   */
  buildIndex(): number[] {
    const idx: number[] = [];
    const b = this.src;
    const end = this.length;
    const reservedMask = this.version === 3 ? 0 : 0x3c00;
    const unhidden = this.unhidden;
    for (let o = CONTROL_HEADER_LENGTH; o < end; ) {
      const w = (b[o]! << 8) | b[o + 1]!;
      if ((w & reservedMask) === 0 && ((w & 0x4000) === 0 || unhidden?.has(o) === true)) {
        const r = avpRule((b[o + 2]! << 8) | b[o + 3]!, (b[o + 4]! << 8) | b[o + 5]!);
        if (r !== undefined) {
          if (r.slot >= 0) {
            if (idx[r.slot] === undefined) idx[r.slot] = o;
          } else {
            const more = (this.more ??= new Map());
            if (!more.has(r.mapKey)) more.set(r.mapKey, o);
          }
        }
      }
      o += w & 0x03ff;
    }
    this.index = idx;
    return idx;
  }

  /** @internal The typed value of the first usable occurrence of rule `r`, or undefined: O(1). */
  field(r: AvpRule): unknown {
    const idx = this.index ?? this.buildIndex();
    const o = r.slot >= 0 ? idx[r.slot] : this.more?.get(r.mapKey);
    if (o === undefined) return undefined;
    const b = this.src;
    if ((b[o]! & 0x40) === 0) return decodeValue(r, b, o + AVP_HEADER_LENGTH, (((b[o]! << 8) | b[o + 1]!) & 0x03ff) - AVP_HEADER_LENGTH);
    const v = this.unhidden!.get(o)!;
    return decodeValue(r, v, 0, v.length);
  }

  /**
   * A plain object: header fields, every typed field present (native values: `bigint`,
   * `Uint8Array` views) and `avps` as plain {@link Avp} records. `encodeControl` takes it back.
   */
  toObject(): ControlMessageObject {
    const o: Record<string, unknown> = {};
    for (const k of HEADER_FIELDS) o[k] = this[k];
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

// One getter per catalogue key on the prototype: `msg.hostName` decodes on access.
for (const r of AVP_RULES) {
  if (r.key in ParsedControl.prototype) continue;
  Object.defineProperty(ParsedControl.prototype, r.key, {
    get(this: ParsedControl) {
      return this.field(r);
    },
    enumerable: false,
    configurable: false,
  });
}
