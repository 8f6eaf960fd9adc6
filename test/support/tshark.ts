/// <reference types="node" />
/**
 * Running tshark and reading its `-T json` output into a normalised L2TP decode that tests can
 * compare with our parser's view of the same bytes.
 *
 * tshark's JSON repeats an object key when a message carries two AVPs of the same name (two
 * "Vendor-Specific AVP"s, say). `JSON.parse` would keep only the last, so {@link parseOrderedJson}
 * keeps every entry in order. Files written with `--no-duplicate-keys` (test/vectors/*.json)
 * hold arrays instead; {@link normalizeL2tp} accepts both (the second loses the order *between*
 * AVPs of different names, never within one name).
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** A JSON object with its entries in document order, duplicates kept. */
export class OrderedObject {
  constructor(readonly entries: Array<[string, JsonValue]>) {}
  /** The first value under `key`. */
  get(key: string): JsonValue | undefined {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }
  /** The first value under `key`, which must be a string. */
  str(key: string): string | undefined {
    const v = this.get(key);
    return typeof v === 'string' ? v : undefined;
  }
}
export type JsonValue = string | number | boolean | null | JsonValue[] | OrderedObject;

/** Parse JSON text keeping every object entry in order (duplicate keys included). */
export function parseOrderedJson(text: string): JsonValue {
  let i = 0;
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const str = (): string => {
    const start = i; // at the opening quote
    i++;
    let escaped = false;
    for (;;) {
      if (i >= text.length) throw new SyntaxError(`unterminated string at ${start}`);
      const c = text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i += 2;
      } else if (c === 0x22) {
        i++;
        break;
      } else i++;
    }
    const raw = text.slice(start, i);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: Array<[string, JsonValue]> = [];
      ws();
      if (text[i] === '}') {
        i++;
        return new OrderedObject(entries);
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new SyntaxError(`expected a key at ${i}`);
        const k = str();
        ws();
        if (text[i] !== ':') throw new SyntaxError(`expected ':' at ${i}`);
        i++;
        entries.push([k, value()]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return new OrderedObject(entries);
        } else throw new SyntaxError(`expected ',' or '}' at ${i}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return arr;
        } else throw new SyntaxError(`expected ',' or ']' at ${i}`);
      }
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 40));
    if (!m) throw new SyntaxError(`unexpected ${JSON.stringify(text.slice(i, i + 10))} at ${i}`);
    i += m[0].length;
    return JSON.parse(m[0]) as JsonValue;
  };
  const v = value();
  ws();
  if (i !== text.length) throw new SyntaxError(`trailing text at ${i}`);
  return v;
}

/**
 * Whether tshark can run here. The Wireshark cross-check FAILS when it cannot, unless the
 * environment sets `L2TP_WIRE_NO_TSHARK=1` (for machines that cannot install it; CI installs it).
 */
export function tsharkVersion(): string | undefined {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.split('\n')[0];
}

/**
 * Why tests that need tshark are skipped, or `undefined` when they run: only when the environment
 * sets `L2TP_WIRE_NO_TSHARK=1` and tshark is missing. Without that setting a missing tshark FAILS
 * the tests that need it (CI installs it).
 */
export function tsharkProblem(): string | undefined {
  return process.env.L2TP_WIRE_NO_TSHARK === '1' && !tsharkVersion() ? 'L2TP_WIRE_NO_TSHARK=1 and no tshark on PATH' : undefined;
}

/** Run `tshark -r FILE -T json` (plus `extraArgs`) and return its frames' `layers` objects. */
export function tsharkJson(pcapPath: string, extraArgs: readonly string[] = []): OrderedObject[] {
  const out = execFileSync('tshark', ['-r', pcapPath, '-T', 'json', ...extraArgs], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return framesOf(parseOrderedJson(out));
}

/** The `_source.layers` object of every frame in tshark JSON output. */
export function framesOf(doc: JsonValue): OrderedObject[] {
  if (!Array.isArray(doc)) throw new TypeError('tshark JSON: expected an array of frames');
  return doc.map((f, n) => {
    const layers = f instanceof OrderedObject ? f.get('_source') : undefined;
    const l = layers instanceof OrderedObject ? layers.get('layers') : undefined;
    if (!(l instanceof OrderedObject)) throw new TypeError(`tshark JSON: frame ${n} has no _source.layers`);
    return l;
  });
}

/** One AVP as tshark decoded it. */
export interface TsharkAvp {
  /** tshark's tree label, e.g. `'Host Name AVP'`, `'Vendor-Specific AVP'`. */
  label: string;
  mandatory: boolean;
  hidden: boolean;
  /** The AVP Length field (header included). */
  length: number;
  /** Absent for hidden AVPs: tshark prints only M, H and Length for those. */
  vendorId?: number;
  /** Attribute type (from `l2tp.avp.type`, or the vendor dissectors' own type fields); absent when hidden. */
  type?: number;
  /** Every other field tshark printed for this AVP: name → value(s). */
  fields: Map<string, string[]>;
}

/** An L2TPv2 message as tshark decoded it. */
export interface TsharkL2tp {
  flags: number;
  /** T bit: control message. */
  isControl: boolean;
  lengthBit: boolean;
  seqBit: boolean;
  offsetBit: boolean;
  priority: boolean;
  version: number;
  length?: number;
  /** v2 Tunnel ID (absent for v3 headers, which tshark shows as `l2tp.ccid`). */
  tunnelId?: number;
  sessionId?: number;
  /** v3 Control Connection ID. */
  ccid?: number;
  ns?: number;
  nr?: number;
  /** tshark marked the message "Zero Length Body message". */
  isZlb: boolean;
  /** AVPs in wire order (see the module note for `--no-duplicate-keys` input). */
  avps: TsharkAvp[];
}

const AVP_TYPE_FIELDS = ['l2tp.avp.type', 'l2tp.avp.ciscotype', 'l2tp.avp.ericssontype', 'l2tp.avp.broadbandtype', 'l2tp.avp.cablelabstype'];
const AVP_HEADER_FIELDS = new Set(['l2tp.avp.mandatory', 'l2tp.avp.hidden', 'l2tp.avp.length', 'l2tp.avp.vendor_id', ...AVP_TYPE_FIELDS]);

function num(s: string | undefined, what: string): number {
  if (s === undefined) throw new TypeError(`tshark decode lacks ${what}`);
  return s.startsWith('0x') ? parseInt(s, 16) : Number(s);
}
function optNum(s: string | undefined): number | undefined {
  return s === undefined ? undefined : num(s, '');
}

/** Collect leaf fields of an AVP subtree (values may be nested `*_tree` objects). */
function collectFields(o: OrderedObject, into: Map<string, string[]>): void {
  for (const [k, v] of o.entries) {
    if (typeof v === 'string') {
      const list = into.get(k);
      if (list) list.push(v);
      else into.set(k, [v]);
    } else if (v instanceof OrderedObject) collectFields(v, into);
    else if (Array.isArray(v)) {
      for (const x of v) {
        if (typeof x === 'string') {
          const list = into.get(k);
          if (list) list.push(x);
          else into.set(k, [x]);
        } else if (x instanceof OrderedObject) collectFields(x, into);
      }
    }
  }
}

function toAvp(label: string, o: OrderedObject): TsharkAvp {
  const fields = new Map<string, string[]>();
  collectFields(o, fields);
  const first = (k: string): string | undefined => fields.get(k)?.[0];
  let type: number | undefined;
  for (const f of AVP_TYPE_FIELDS) {
    if (fields.has(f)) {
      type = num(first(f), f);
      break;
    }
  }
  const avp: TsharkAvp = {
    label,
    mandatory: first('l2tp.avp.mandatory') === '1',
    hidden: first('l2tp.avp.hidden') === '1',
    length: num(first('l2tp.avp.length'), `${label} l2tp.avp.length`),
    fields,
  };
  const vendorId = optNum(first('l2tp.avp.vendor_id'));
  if (vendorId !== undefined) avp.vendorId = vendorId;
  if (type !== undefined) avp.type = type;
  for (const k of AVP_HEADER_FIELDS) avp.fields.delete(k);
  return avp;
}

/**
 * Normalise tshark's `l2tp` layer object. AVPs are the sub-objects that carry an
 * `l2tp.avp.length` field; with `--no-duplicate-keys` input an array under one label is expanded
 * in place.
 */
export function normalizeL2tp(l2tp: OrderedObject): TsharkL2tp {
  const flagsTree = l2tp.get('l2tp.flags_tree');
  if (!(flagsTree instanceof OrderedObject)) throw new TypeError('tshark l2tp layer without l2tp.flags_tree');
  const bit = (k: string): boolean => flagsTree.str(k) === '1';
  const avps: TsharkAvp[] = [];
  const isAvp = (v: JsonValue): v is OrderedObject => v instanceof OrderedObject && v.get('l2tp.avp.length') !== undefined;
  for (const [k, v] of l2tp.entries) {
    if (isAvp(v)) avps.push(toAvp(k, v));
    else if (Array.isArray(v)) for (const x of v) if (isAvp(x)) avps.push(toAvp(k, x));
  }
  const r: TsharkL2tp = {
    flags: num(l2tp.str('l2tp.flags'), 'l2tp.flags'),
    isControl: flagsTree.str('l2tp.type') === '1',
    lengthBit: bit('l2tp.length_bit'),
    seqBit: bit('l2tp.seq_bit'),
    offsetBit: bit('l2tp.offset_bit'),
    priority: bit('l2tp.priority'),
    version: num(flagsTree.str('l2tp.version'), 'l2tp.version'),
    isZlb: l2tp.get('l2tp.zero_length_body_message') !== undefined,
    avps,
  };
  const optional = { length: 'l2tp.length', tunnelId: 'l2tp.tunnel', sessionId: 'l2tp.session', ccid: 'l2tp.ccid', ns: 'l2tp.Ns', nr: 'l2tp.Nr' } as const;
  for (const [key, field] of Object.entries(optional) as Array<[keyof typeof optional, string]>) {
    const v = optNum(l2tp.str(field));
    if (v !== undefined) r[key] = v;
  }
  return r;
}

/** The normalised L2TP decode of each frame (undefined where tshark found no `l2tp` layer). */
export function l2tpLayers(frames: readonly OrderedObject[]): Array<TsharkL2tp | undefined> {
  return frames.map((layers) => {
    const l = layers.get('l2tp');
    return l instanceof OrderedObject ? normalizeL2tp(l) : undefined;
  });
}
