/**
 * The parsed control message: a view over the parser's input (RFC 2661 §3.1, §4). Typed fields
 * are read through an index of the AVPs built once — by the parser, in the walk it makes anyway
 * (`buildIndex` is the same walk for a message made otherwise) — so each getter is one array
 * (IETF) or `Map` (vendor) lookup and one value decode, and reading every field of a 64 KiB
 * message costs time linear in its size.
 */
import { AVP_HEADER_LENGTH, ParsedAvp, type Avp } from './avp.js';
import { AVP_CATALOG, avpDef } from './avp-catalog.js';
import type { AvpDef } from './avp-def.js';
import { jsonValue } from './json.js';
import { CONTROL_HEADER_LENGTH, type ControlMessageJson, type ControlMessageObject } from './control-types.js';

const HEADER_FIELDS = ['version', 'tunnelId', 'sessionId', 'ns', 'nr', 'length', 'isZlb', 'type', 'typeName'] as const;

/**
 * IETF AVP types below this are indexed in a plain array (holey, grown to the largest type seen:
 * allocating a typed array per message costs more than parsing it); others and vendor AVPs in a Map.
 */
export const INDEX_DIRECT = 128;
const DIRECT = INDEX_DIRECT;

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

  /** v3: the receiver's Control Connection ID (RFC 3931 §3.2.1), the same number as `tunnelId`; `undefined` for v2. */
  get controlConnectionId(): number | undefined {
    return this.version === 3 ? this.tunnelId : undefined;
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
   * ignored on receipt) and, when hidden, unhidden by the parser (a secret was given).
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
        const vendorId = (b[o + 2]! << 8) | b[o + 3]!;
        const at = (b[o + 4]! << 8) | b[o + 5]!;
        if (vendorId === 0 && at < DIRECT) {
          if (idx[at] === undefined) idx[at] = o;
        } else if (avpDef(vendorId, at) !== undefined) {
          const k = vendorId * 0x10000 + at;
          const more = (this.more ??= new Map());
          if (!more.has(k)) more.set(k, o);
        }
      }
      o += w & 0x03ff;
    }
    this.index = idx;
    return idx;
  }

  /** @internal The typed value of the first usable occurrence of `d`, or undefined. */
  field(d: AvpDef): unknown {
    const idx = this.index ?? this.buildIndex();
    const o = d.vendorId === 0 && d.type < DIRECT ? idx[d.type] : this.more?.get(d.vendorId * 0x10000 + d.type);
    if (o === undefined) return undefined;
    const b = this.src;
    if ((b[o]! & 0x40) === 0) return d.codec.decode(b, o + AVP_HEADER_LENGTH, (((b[o]! << 8) | b[o + 1]!) & 0x03ff) - AVP_HEADER_LENGTH);
    const v = this.unhidden!.get(o)!;
    return d.codec.decode(v, 0, v.length);
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
    const tried = new Set<AvpDef>();
    for (const a of this.avps) {
      const d = avpDef(a.vendorId, a.type);
      if (d !== undefined && !tried.has(d)) {
        tried.add(d);
        const v = this.field(d);
        if (v !== undefined) o[d.key] = v;
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
for (const d of AVP_CATALOG) {
  if (d.key in ParsedControl.prototype) continue;
  Object.defineProperty(ParsedControl.prototype, d.key, {
    get(this: ParsedControl) {
      return this.field(d);
    },
    enumerable: false,
    configurable: false,
  });
}
