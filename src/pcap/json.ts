/**
 * The plain-JSON view of a decoded record (what `l2tp-wire decode --json` prints and the HTML
 * page embeds): header fields, message type, every AVP in wire order with its name and decoded
 * value (hidden ones unhidden when a secret is given; RFC 2661 §4.3), bytes as hex.
 */
import { avpDef } from '../wire/avp-catalog.js';
import { AVP_HEADER_LENGTH } from '../wire/avp.js';
import { L2tpError } from '../wire/errors.js';
import { unhideAvpValue } from '../wire/hidden.js';
import type { L2tpRecord } from './decode.js';

const RANDOM_VECTOR = 36;

/**
 * One AVP in {@link RecordJson}.
 * @example
 * ```ts
 * for (const a of recordToJson(record, secret).avps ?? []) console.log(a.name ?? a.type, a.hidden ? a.unhidden : a.value, a.decoded);
 * ```
 */
export interface AvpJson {
  /** Offset of the AVP header in the record's `bytes`. */
  offset: number;
  mandatory: boolean;
  hidden: boolean;
  /** The AVP Length field (header included). */
  length: number;
  vendorId: number;
  type: number;
  /** The catalogue's name (RFC spelling), when known. */
  name?: string;
  /** The typed field name (`hostName`…), when known. */
  key?: string;
  /** The value bytes as on the wire (hidden ones still hidden), hex. */
  value: string;
  /** The unhidden value, hex (hidden AVPs, when the secret unhid them). */
  unhidden?: string;
  /** The decoded value (typed, JSON-safe: byte strings as hex). */
  decoded?: unknown;
}

/**
 * The JSON form of one {@link L2tpRecord}.
 * @example
 * ```ts
 * const j = recordToJson(record);
 * console.log(j.typeName, j.header, j.avps?.map((a) => a.name));
 * ```
 */
export interface RecordJson {
  frame: number;
  timestampUs: number;
  /**
   * ISO 8601 with microseconds; `null` when the timestamp lies outside the years a date can show
   * (±275,760 — only a damaged file or a bogus pcapng `if_tsresol`/`if_tsoffset` gives one).
   */
  time: string | null;
  src: { address: string; port?: number };
  dst: { address: string; port?: number };
  encapsulation: 'udp' | 'ip';
  version?: 2 | 3;
  tunnel?: number;
  session?: number;
  kind: 'control' | 'data' | 'unparsable';
  /** Control: `SCCRQ`, …, `ZLB`; data: `DATA`. */
  typeName?: string;
  type?: number;
  header: Record<string, number | boolean | string | undefined>;
  avps?: AvpJson[];
  /** Data: payload size and its first bytes (hex, up to 32). */
  payloadLength?: number;
  payloadHead?: string;
  sublayer?: { sequenced: boolean; sequenceNumber: number };
  error?: { code: string; message: string; offset?: number };
  secretError?: { code: string; message: string; offset?: number };
  /** The whole L2TP message, hex. */
  bytes: string;
}

/**
 * Hex of bytes (lower case, no separators).
 * @example
 * ```ts
 * toHex(Uint8Array.of(0xc8, 0x02)); // 'c802'
 * ```
 */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

/** Typed values into JSON-safe ones: byte strings become hex. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return toHex(v);
  // 64-bit values (a u64 AVP) as decimal strings, like the codec's toJSON(): JSON has no BigInt.
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** ECMAScript dates span ±8.64e15 ms around the epoch (ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

function isoMicros(us: number): string | null {
  const ms = Math.floor(us / 1000);
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return null;
  // Before the epoch the remainder is negative: the microseconds within the millisecond are its complement.
  const sub = ((us % 1000) + 1000) % 1000;
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => `.${f}${String(sub).padStart(3, '0')}Z`);
}

/**
 * The JSON form of a record. Pass the `secret` the capture was decoded with to show unhidden values.
 * Never throws for what the capture holds.
 * @example
 * ```ts
 * for (const r of decodeCapture(bytes).records) console.log(JSON.stringify(recordToJson(r)));
 * ```
 */
export function recordToJson(r: L2tpRecord, secret?: string | Uint8Array): RecordJson {
  const j: RecordJson = {
    frame: r.frame,
    timestampUs: r.timestampUs,
    time: isoMicros(r.timestampUs),
    src: r.src,
    dst: r.dst,
    encapsulation: r.encapsulation,
    kind: r.control ? 'control' : r.data ? 'data' : 'unparsable',
    header: {},
    bytes: toHex(r.bytes),
  };
  if (r.version !== undefined) j.version = r.version;
  if (r.tunnel !== undefined) j.tunnel = r.tunnel;
  if (r.session !== undefined) j.session = r.session;
  const m = r.control;
  if (m) {
    j.typeName = m.typeName;
    j.type = m.type;
    j.header = m.version === 2 ? { tunnelId: m.tunnelId, sessionId: m.sessionId, ns: m.ns, nr: m.nr, length: m.length } : { controlConnectionId: m.tunnelId, ns: m.ns, nr: m.nr, length: m.length };
    j.avps = avpsJson(m, r.secretError ? undefined : secret);
  }
  const d = r.data;
  if (d) {
    j.typeName = 'DATA';
    j.header =
      d.version === 2
        ? { tunnelId: d.tunnelId, sessionId: d.sessionId, length: d.length, ns: d.ns, nr: d.nr, offsetSize: d.offsetSize, priority: d.priority }
        : { sessionId: d.sessionId, cookie: d.cookie ? toHex(d.cookie) : undefined };
    for (const k of Object.keys(j.header)) if (j.header[k] === undefined) delete j.header[k];
    j.payloadLength = d.payload.length;
    j.payloadHead = toHex(d.payload.subarray(0, 32));
  }
  if (r.sublayer) j.sublayer = { ...r.sublayer };
  if (r.error) j.error = { ...r.error };
  if (r.secretError) j.secretError = { ...r.secretError };
  return j;
}

function avpsJson(m: NonNullable<L2tpRecord['control']>, secret: string | Uint8Array | undefined): AvpJson[] {
  let vector: Uint8Array | undefined;
  return m.avps.map((a) => {
    const def = a.reserved === undefined ? avpDef(a.vendorId, a.type) : undefined;
    const value = a.value;
    const o: AvpJson = { offset: a.offset, mandatory: a.mandatory, hidden: a.hidden, length: a.valueLength + AVP_HEADER_LENGTH, vendorId: a.vendorId, type: a.type, value: toHex(value) };
    if (def) {
      o.name = def.name;
      o.key = def.key;
    }
    if (a.vendorId === 0 && a.type === RANDOM_VECTOR && !a.hidden) vector = value;
    let clear: Uint8Array | undefined = a.hidden ? undefined : value;
    if (a.hidden && secret !== undefined && vector !== undefined) {
      try {
        clear = unhideAvpValue(a.type, value, secret, vector);
        o.unhidden = toHex(clear);
      } catch (e) {
        if (!(e instanceof L2tpError)) throw e;
      }
    }
    if (def && clear !== undefined && clear.length >= def.codec.minLength && clear.length <= def.codec.maxLength) {
      try {
        o.decoded = plain(def.codec.decode(clear, 0, clear.length));
      } catch (e) {
        if (!(e instanceof L2tpError)) throw e;
      }
    }
    return o;
  });
}
