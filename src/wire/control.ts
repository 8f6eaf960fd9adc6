/**
 * Control messages (RFC 2661 §3.1, §4, §6; RFC 3931 §3.2.1): the typed parser and the encoder.
 *
 * Parsing validates the whole message eagerly (flags, lengths, every AVP's bounds, required AVPs)
 * but builds nothing it does not have to: typed fields and the `avps` list are views decoded on
 * first access, so a parse costs one small object however many AVPs the message has.
 */
import { AVP_HEADER_LENGTH, AVP_MAX_VALUE_LENGTH, ParsedAvp, writeAvpHeader, type Avp, type AvpInit } from './avp.js';
import { AVP_CATALOG, avpDef, avpDefByKey, type AvpFields } from './avp-catalog.js';
import type { AvpDef } from './avp-def.js';
import { alloc, assertBytes, assertInt, POOL_MAX, poolCommit, poolSlab, poolStart, put16, put32, u16, u32 } from './bytes.js';
import { fail, L2tpError } from './errors.js';
import { HeaderFlag } from './header.js';
import { hideAvpValue, unhideAvpValue } from './hidden.js';
import { messageAvps, messageDef } from './message-catalog.js';

const RANDOM_VECTOR_AVP = 36;
/**
 * Control header size: v2 with L=S=1 (RFC 2661 §3.1) and v3 (RFC 3931 §3.2.1) are both 12 bytes.
 * @example
 * ```ts
 * const avps = decodeAvps(bytes, CONTROL_HEADER_LENGTH); // the AVPs follow the header
 * ```
 */
export const CONTROL_HEADER_LENGTH = 12;

/**
 * A parsed control message: header fields, message type, the typed AVP fields, and `avps`, every
 * AVP in wire order (Message Type included, unknown and vendor AVPs too) so nothing is lost.
 * `encodeControl(parseControl(b))` gives back `b`.
 *
 * Typed fields and `avps` are decoded on access from the parsed bytes: keep those bytes unchanged
 * while you use the message. `toJSON()` gives a plain object (for logs and comparisons).
 */
export interface ControlMessage extends Readonly<AvpFields> {
  readonly version: 2 | 3;
  /** v2: the receiver's Tunnel ID. v3: the receiver's Control Connection ID (32-bit). */
  readonly tunnelId: number;
  /** v2: the receiver's Session ID (0 for tunnel messages). v3: always 0. */
  readonly sessionId: number;
  readonly ns: number;
  readonly nr: number;
  /** The header's Length field: the message's size in bytes. */
  readonly length: number;
  /** A Zero-Length Body message (an acknowledgement only; RFC 2661 §5.8). */
  readonly isZlb: boolean;
  /** The Message Type AVP's value (`MessageType`); 0 for a ZLB. */
  readonly type: number;
  /** `'SCCRQ'`, `'StopCCN'`, …; `'ZLB'`; `'Unknown(99)'` for types the catalogue does not name. */
  readonly typeName: string;
  /** Every AVP as on the wire (hidden ones still hidden), in order. */
  readonly avps: readonly ParsedAvp[];
  /** The message's bytes (a view of the parsed input, `length` bytes). */
  readonly bytes: Uint8Array;
  /** A plain-object snapshot: header fields, every typed field present, and `avps`. */
  toJSON(): ControlMessageJson;
}

/** What {@link ControlMessage.toJSON} returns. */
export type ControlMessageJson = Omit<ControlMessage, 'avps' | 'bytes' | 'toJSON'> & { avps: Avp[] };

/** Options for {@link parseControl}. */
export interface ParseControlOptions {
  /**
   * Tunnel shared secret: hidden AVPs (RFC 2661 §4.3) are unhidden into the typed fields.
   * Without it, hidden AVPs stay raw in `avps` and their typed field is absent.
   */
  secret?: Uint8Array | string;
  /**
   * Check that the AVPs RFC 2661 §6 requires for the message type are present (v2 only).
   * Default `true`; a peer-facing FSM may prefer to answer with a StopCCN itself.
   */
  requireAvps?: boolean;
}

const HEADER_FIELDS = ['version', 'tunnelId', 'sessionId', 'ns', 'nr', 'length', 'isZlb', 'type', 'typeName'] as const;

class ParsedControl {
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
      for (let o = CONTROL_HEADER_LENGTH; o < this.length; o += u16(b, o) & 0x03ff) list.push(new ParsedAvp(b, o));
      this.list = list;
    }
    return this.list;
  }

  /** @internal The typed value of the first usable occurrence of `d`, or undefined. */
  field(d: AvpDef): unknown {
    const b = this.src;
    const end = this.length;
    for (let o = CONTROL_HEADER_LENGTH; o < end; ) {
      const w = (b[o]! << 8) | b[o + 1]!;
      const len = w & 0x03ff;
      if (((b[o + 4]! << 8) | b[o + 5]!) === d.type && ((b[o + 2]! << 8) | b[o + 3]!) === d.vendorId && (w & 0x3c00) === 0) {
        if ((w & 0x4000) === 0) return d.codec.decode(b, o + AVP_HEADER_LENGTH, len - AVP_HEADER_LENGTH);
        const v = this.unhidden?.get(o);
        if (v !== undefined) return d.codec.decode(v, 0, v.length);
      }
      o += len;
    }
    return undefined;
  }

  toJSON(): ControlMessageJson {
    const o: Record<string, unknown> = {};
    for (const k of HEADER_FIELDS) o[k] = this[k];
    // Each catalogue row is looked up once, even when it repeats (a hidden AVP without a secret
    // decodes to nothing, so "key already set" would rescan the message per repeat).
    const tried = new Set<AvpDef>();
    for (const a of this.avps) {
      const d = avpDef(a.vendorId, a.type);
      if (d !== undefined && !tried.has(d)) {
        tried.add(d);
        const v = this.field(d);
        if (v !== undefined) o[d.key] = v;
      }
    }
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

/**
 * Parse one control message (v2 or v3 over UDP).
 *
 * Checks the RFC's MUSTs: T=L=S=1 and (v2) O=P=0 (§3.1); Length within the input and not shorter
 * than the header (bytes past Length are ignored); Message Type AVP first and not hidden
 * (§4.4.1); every AVP's Length ≥ 6 and inside the message (§4.1); the value size and content
 * rules of every AVP the catalogue knows; required AVPs present (§6). Unknown message types and
 * unknown AVPs (M=1 included) are not parse errors: whether to tear down is the state machine's
 * decision (§4.1); they are kept in `avps`. Time is linear in the message size.
 *
 * @throws {@link L2tpError} only: `TRUNCATED`, `BAD_VERSION`, `BAD_FLAGS`, `BAD_LENGTH`,
 *   `BAD_AVP_LENGTH`, `BAD_AVP_VALUE`, `MESSAGE_TYPE_NOT_FIRST`, `MISSING_AVP`,
 *   `HIDDEN_WITHOUT_RANDOM_VECTOR`, `BAD_HIDDEN_LENGTH`.
 * @example
 * ```ts
 * const m = parseControl(bytes);
 * if (m.typeName === 'SCCRP') console.log(m.hostName, m.assignedTunnelId);
 * ```
 */
export function parseControl(bytes: Uint8Array, options?: ParseControlOptions): ControlMessage {
  assertBytes(bytes);
  const n = bytes.length;
  if (n < 2) fail('TRUNCATED', 'message shorter than the 2-byte flags word', n);
  const flags = (bytes[0]! << 8) | bytes[1]!;
  const version = flags & 0x000f;
  if (version !== 2 && version !== 3) {
    fail('BAD_VERSION', version === 1 ? 'version 1 is L2F (RFC 2341), not L2TP' : `unknown L2TP version ${version}`, 1);
  }
  if ((flags & HeaderFlag.Type) === 0) fail('BAD_FLAGS', 'T bit is 0: a data message, not a control message', 0);
  // RFC 2661 §3.1: L and S MUST be 1, O and P MUST be 0 on control messages (RFC 3931 §3.2.1 alike).
  if ((flags & (HeaderFlag.Length | HeaderFlag.Sequence)) !== (HeaderFlag.Length | HeaderFlag.Sequence)) {
    fail('BAD_FLAGS', 'control message without the L and S bits set (RFC 2661 §3.1)', 0);
  }
  if (version === 2 && (flags & (HeaderFlag.Offset | HeaderFlag.Priority)) !== 0) {
    fail('BAD_FLAGS', 'control message with the O or P bit set (RFC 2661 §3.1)', 0);
  }
  if (n < CONTROL_HEADER_LENGTH) fail('TRUNCATED', `control header is 12 bytes, got ${n}`, n);
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (length > n) fail('BAD_LENGTH', `Length ${length} exceeds the ${n} bytes received`, 2);
  if (length < CONTROL_HEADER_LENGTH) fail('BAD_LENGTH', `Length ${length} is shorter than the 12-byte header`, 2);
  const tunnelId = version === 2 ? u16(bytes, 4) : u32(bytes, 4);
  const sessionId = version === 2 ? u16(bytes, 6) : 0;
  const ns = u16(bytes, 8);
  const nr = u16(bytes, 10);
  if (length === CONTROL_HEADER_LENGTH) return new ParsedControl(bytes, version, tunnelId, sessionId, ns, nr, length, 0, 'ZLB');

  // The Message Type AVP: first, 8 bytes, vendor 0, type 0, not hidden (RFC 2661 §4.4.1).
  const b = bytes;
  const end = length;
  let o = CONTROL_HEADER_LENGTH;
  if (end - o < AVP_HEADER_LENGTH) fail('TRUNCATED', 'message ends inside the first AVP header', o);
  const w0 = u16(b, o);
  const len0 = w0 & 0x03ff;
  if (len0 < AVP_HEADER_LENGTH) fail('BAD_AVP_LENGTH', `AVP Length ${len0} is under the 6-byte minimum`, o);
  if (o + len0 > end) fail('BAD_AVP_LENGTH', `AVP Length ${len0} runs past the end of the message`, o);
  if (u16(b, o + 2) !== 0 || u16(b, o + 4) !== 0) fail('MESSAGE_TYPE_NOT_FIRST', 'the first AVP is not Message Type (RFC 2661 §4.4.1)', o);
  if (w0 & 0x4000) fail('BAD_AVP_VALUE', 'the Message Type AVP is hidden; RFC 2661 §4.4.1 forbids it', o);
  if (len0 !== 8) fail('BAD_AVP_VALUE', `Message Type AVP Length is ${len0}, must be 8`, o);
  const type = u16(b, o + 6);
  const def = messageDef(type);
  const msg = new ParsedControl(b, version, tunnelId, sessionId, ns, nr, length, type, def ? def.name : `Unknown(${type})`);
  o += 8;
  // Bitmap of IETF AVP types 0–63 seen, for the §6 required-AVP check.
  let seenLo = 1;
  let seenHi = 0;
  let vectorStart = -1;
  let vectorEnd = -1;
  const secret = options?.secret;
  while (o < end) {
    if (end - o < AVP_HEADER_LENGTH) fail('TRUNCATED', `${end - o} bytes left after the last AVP, fewer than an AVP header`, o);
    const w = (b[o]! << 8) | b[o + 1]!;
    const len = w & 0x03ff;
    if (len < AVP_HEADER_LENGTH) fail('BAD_AVP_LENGTH', `AVP Length ${len} is under the 6-byte minimum`, o);
    if (o + len > end) fail('BAD_AVP_LENGTH', `AVP Length ${len} runs ${o + len - end} bytes past the end of the message`, o);
    const vendorId = (b[o + 2]! << 8) | b[o + 3]!;
    const at = (b[o + 4]! << 8) | b[o + 5]!;
    if (vendorId === 0 && (w & 0x3c00) === 0) {
      // An AVP with reserved bits set is unrecognised (§4.1), so it does not count as present.
      if (at < 32) seenLo |= 1 << at;
      else if (at < 64) seenHi |= 1 << (at - 32);
      if (at === RANDOM_VECTOR_AVP && (w & 0x4000) === 0) {
        // §4.3: a hidden AVP uses the most recent Random Vector before it.
        vectorStart = o + AVP_HEADER_LENGTH;
        vectorEnd = o + len;
      }
    }
    // Reserved bits set: "treat as unrecognized" (§4.1), so no typed value to check.
    if ((w & 0x3c00) === 0) {
      const d = avpDef(vendorId, at);
      if (d !== undefined) {
        if ((w & 0x4000) === 0) {
          checkValue(d, b, o + AVP_HEADER_LENGTH, len - AVP_HEADER_LENGTH, o);
        } else if (secret !== undefined) {
          if (vectorStart < 0) fail('HIDDEN_WITHOUT_RANDOM_VECTOR', `hidden AVP ${at} with no Random Vector AVP before it (RFC 2661 §4.3)`, o);
          const value = unhideAvpValue(at, b.subarray(o + AVP_HEADER_LENGTH, o + len), secret, b.subarray(vectorStart, vectorEnd), o + AVP_HEADER_LENGTH);
          checkValue(d, value, 0, value.length, o);
          (msg.unhidden ??= new Map()).set(o, value);
        }
      }
    }
    o += len;
  }
  if (version === 2 && def !== undefined && options?.requireAvps !== false) {
    const req = def.requiredV2;
    for (let i = 0; i < req.length; i++) {
      const t = req[i]!;
      const seen = t < 32 ? (seenLo >>> t) & 1 : (seenHi >>> (t - 32)) & 1;
      if (!seen) fail('MISSING_AVP', `${def.name} without the ${avpDef(0, t)?.name ?? `AVP ${t}`} AVP that RFC 2661 §6 requires`, CONTROL_HEADER_LENGTH);
    }
  }
  return msg as unknown as ControlMessage;
}

function checkValue(d: AvpDef, b: Uint8Array, offset: number, length: number, avpOffset: number): void {
  const c = d.codec;
  if (length < c.minLength || length > c.maxLength) {
    const want = c.minLength === c.maxLength ? `${c.minLength}` : `${c.minLength}–${c.maxLength}`;
    fail('BAD_AVP_VALUE', `${d.name} AVP value is ${length} bytes; ${want} allowed`, avpOffset);
  }
  if (c.validate !== undefined) {
    try {
      c.validate(b, offset, length);
    } catch (e) {
      // Report at the AVP, not inside the value: for a hidden AVP that is a decrypted copy.
      if (e instanceof L2tpError) throw new L2tpError(e.code, `${d.name} AVP: ${e.message.replace(/ \(at byte \d+\)$/, '')}`, avpOffset);
      throw e;
    }
  }
}

/** Hiding options for encoding (RFC 2661 §4.3). */
export interface HidingOptions {
  /** The tunnel's shared secret. */
  secret: Uint8Array | string;
  /**
   * The Random Vector (at least one byte; 16 is usual): encoded as a Random Vector AVP right after
   * Message Type. Pure code: the caller provides the randomness.
   */
  randomVector: Uint8Array;
  /** Padding appended to each hidden value before hiding (optional; hides the true length). */
  padding?: Uint8Array;
  /** AVP types to hide. Default: every typed field whose AVP the RFC allows to be hidden. */
  avps?: readonly number[];
}

/**
 * What {@link encodeControl} takes: header fields and either the raw AVP list (`avps`, encoded
 * verbatim) or the message type plus typed fields (encoded in RFC §6 order, then `extraAvps`).
 */
export interface ControlMessageInit extends AvpFields {
  /** 2 (default) or 3. */
  version?: 2 | 3;
  /** The receiver's Tunnel ID (v2) or Control Connection ID (v3). Default 0. */
  tunnelId?: number;
  /** The receiver's Session ID (v2). Default 0. */
  sessionId?: number;
  ns?: number;
  nr?: number;
  /** Message type; 0 (the default) with no AVPs encodes a ZLB. Ignored when `avps` is given. */
  type?: number;
  /** The complete AVP list, Message Type first, encoded verbatim (hidden values as they are). */
  avps?: readonly AvpInit[];
  /** Raw AVPs (vendor, unknown, …) appended after the typed fields. */
  extraAvps?: readonly AvpInit[];
  /** Send hideable typed fields hidden. */
  hiding?: HidingOptions;
}

/** Keys of {@link ControlMessageInit} (and of parsed messages) that are not typed AVP fields. */
const NON_AVP_KEYS: Readonly<Record<string, true | undefined>> = Object.assign(Object.create(null) as Record<string, true>, Object.fromEntries(['version', 'tunnelId', 'sessionId', 'ns', 'nr', 'type', 'avps', 'extraAvps', 'hiding', 'length', 'isZlb', 'typeName', 'messageType', 'bytes'].map((k) => [k, true] as const)));

/** Per message type: the catalogue rows RFC 2661 §6 lists for it, in order, and their ranks. */
interface Plan {
  readonly defs: readonly AvpDef[];
  /** Key → index in `defs`; a null-prototype object (a keyed load beats `Map.get` here). */
  readonly rank: Readonly<Record<string, number | undefined>>;
  /** Builders' defaults, by rank (cached per defaults object). */
  defaultsFor: WeakMap<object, readonly unknown[]>;
  lastDefaults?: object;
  lastByRank?: readonly unknown[];
}
const plans: Plan[] = [];
function planOf(type: number): Plan {
  let p = type < 256 ? plans[type] : undefined;
  if (p === undefined) {
    const defs = messageAvps(type).filter((d) => d.key !== 'messageType');
    p = { defs, rank: Object.assign(Object.create(null) as Record<string, number>, Object.fromEntries(defs.map((d, i) => [d.key, i]))), defaultsFor: new WeakMap() };
    if (type < 256) plans[type] = p;
  }
  return p;
}
function defaultsByRank(plan: Plan, defaults: Readonly<Record<string, unknown>>): readonly unknown[] {
  // A builder passes the same defaults object every time: a one-entry cache before the WeakMap.
  if (plan.lastDefaults === defaults) return plan.lastByRank!;
  let a = plan.defaultsFor.get(defaults);
  if (a === undefined) {
    a = plan.defs.map((d) => defaults[d.key]);
    plan.defaultsFor.set(defaults, a);
  }
  plan.lastDefaults = defaults;
  plan.lastByRank = a;
  return a;
}

/** Reused per encode: the typed values of the plan's rows, by rank. */
const slots: unknown[] = [];

/**
 * Size in bytes of the message {@link encodeControl} would write (dns-packet's
 * `encodingLength`), so callers can encode into a buffer of their own.
 * @example
 * ```ts
 * const msg = { type: MessageType.HELLO, tunnelId: 42, ns: 3, nr: 7 };
 * const buf = new Uint8Array(encodingLength(msg));
 * encodeControl(msg, buf);
 * ```
 */
export function encodingLength(msg: ControlMessageInit): number {
  if (msg.avps) {
    let n = CONTROL_HEADER_LENGTH;
    for (const a of msg.avps) n += AVP_HEADER_LENGTH + a.value.length;
    return n;
  }
  const n = planTyped(msg, msg.type ?? msg.messageType ?? 0, undefined);
  planValues.fill(undefined, 0, planCount);
  planCount = 0;
  return n;
}

/**
 * Encode a control message into one right-sized `Uint8Array`, or into `target` at `offset`.
 *
 * With `avps`, the AVPs are written verbatim (so a parsed message re-encodes to the same bytes).
 * Otherwise: the Message Type AVP, a Random Vector AVP when `hiding` is set, the typed fields in
 * the order RFC 2661 §6 lists them for the message, the other typed fields, then `extraAvps`.
 * M bits follow the catalogue (set only where the RFC says MUST).
 *
 * Small messages are views into a shared 8 KiB slab (as Node's allocUnsafe pool does): pass
 * the view itself to I/O, not `.buffer`.
 *
 * @throws `TypeError`/`RangeError` for values that cannot be encoded (local errors).
 * @example
 * ```ts
 * const bytes = encodeControl({ type: MessageType.HELLO, tunnelId: 42, ns: 3, nr: 7 });
 * ```
 */
export function encodeControl(msg: ControlMessageInit, target?: Uint8Array, offset = 0): Uint8Array {
  if (msg === null || typeof msg !== 'object') throw new TypeError(`message must be an object, got ${msg === null ? 'null' : typeof msg}`);
  if (msg.avps) return encodeVerbatim(msg, target, offset);
  return encodeTyped(msg, msg.type ?? msg.messageType ?? 0, undefined, target, offset);
}

/** @internal The builders' entry: typed fields of `msg`, falling back to `defaults`. */
export function encodeTyped(msg: ControlMessageInit, type: number, defaults: Readonly<Record<string, unknown>> | undefined, target?: Uint8Array, offset = 0): Uint8Array {
  // Two passes over values gathered once: size everything, then write straight into the
  // right-sized output (copying from a scratch buffer costs more than encoding).
  if (target === undefined && msg.hiding === undefined) {
    // One pass, straight into the slab; a message over POOL_MAX bytes falls back to two passes.
    const start = poolStart(POOL_MAX);
    const size = writeTypedOnce(poolSlab(), start, start + POOL_MAX, msg, type, defaults);
    if (size >= 0) return poolCommit(start, size);
  }
  const size = planTyped(msg, type, defaults);
  let b: Uint8Array;
  if (target === undefined) {
    b = alloc(size);
    offset = 0;
  } else {
    assertBytes(target, 'target');
    assertInt(offset, 0, target.length - size, 'offset');
    b = target;
  }
  writeTyped(b, offset, msg, type, size);
  return b;
}

function encodeVerbatim(msg: ControlMessageInit, target: Uint8Array | undefined, offset: number): Uint8Array {
  const size = encodingLength(msg);
  if (size > 0xffff) throw new RangeError(`message would be ${size} bytes; the Length field holds at most 65535`);
  const b = target ?? alloc(size);
  if (target) {
    assertBytes(target, 'target');
    assertInt(offset, 0, target.length - size, 'offset');
  }
  writeControlHeader(b, offset, msg, size);
  let o = offset + CONTROL_HEADER_LENGTH;
  for (const a of msg.avps!) o = writeRaw(b, o, a);
  return b;
}

function writeRaw(b: Uint8Array, o: number, a: AvpInit): number {
  const len = rawLength(a);
  writeAvpHeader(b, o, a.mandatory === true, a.hidden === true, a.reserved ?? 0, len, a.vendorId ?? 0, a.type);
  b.set(a.value, o + AVP_HEADER_LENGTH);
  return o + len;
}

function rawLength(a: AvpInit): number {
  assertBytes(a.value, `value of AVP ${a.vendorId ?? 0}:${a.type}`);
  const len = AVP_HEADER_LENGTH + a.value.length;
  if (len > 0x3ff) throw new RangeError(`AVP ${a.vendorId ?? 0}:${a.type} value is ${a.value.length} bytes; an AVP holds at most ${AVP_MAX_VALUE_LENGTH}`);
  return len;
}

/**
 * The planned typed fields of one encode (reused: one encode at a time, and nothing in it calls
 * back into the encoder): the catalogue rows in write order, their values and value lengths.
 */
const planDefs: AvpDef[] = [];
const planValues: unknown[] = [];
const planLengths: number[] = [];
const planHidden: boolean[] = [];
let planCount = 0;

function plan(d: AvpDef, v: unknown, hiding: HidingOptions | undefined): number {
  const len = valueLength(d, v);
  const hide = hiding !== undefined && (hiding.avps ? d.vendorId === 0 && hiding.avps.includes(d.type) : d.hideable);
  const room = hide ? 2 + len + (hiding!.padding?.length ?? 0) : len;
  if (room > AVP_MAX_VALUE_LENGTH) throw new RangeError(`${d.key} (${d.name} AVP) is ${room} bytes encoded; an AVP holds at most ${AVP_MAX_VALUE_LENGTH}`);
  const i = planCount++;
  planDefs[i] = d;
  planValues[i] = v;
  planLengths[i] = len;
  planHidden[i] = hide;
  return AVP_HEADER_LENGTH + room;
}

/** Gather and size the typed fields of `msg` (into the plan arrays); returns the message size. */
function planTyped(msg: ControlMessageInit, type: number, defaults: Readonly<Record<string, unknown>> | undefined): number {
  const m = msg as Record<string, unknown>;
  const p = planOf(type);
  planCount = 0;
  let n = CONTROL_HEADER_LENGTH;
  if (type !== 0) {
    assertInt(type, 1, 0xffff, 'type');
    n += 8;
  }
  const hiding = msg.hiding;
  if (hiding !== undefined) {
    if (type === 0) throw new TypeError('a ZLB carries no AVPs, so nothing to hide');
    const rv = hiding.randomVector;
    assertBytes(rv, 'hiding.randomVector');
    if (rv.length === 0 || rv.length > AVP_MAX_VALUE_LENGTH) throw new RangeError(`hiding.randomVector must be 1 to ${AVP_MAX_VALUE_LENGTH} bytes, got ${rv.length}`);
    n += AVP_HEADER_LENGTH + rv.length;
  }
  const defs = p.defs;
  const others = gather(m, p, defaults);
  for (let i = 0; i < defs.length; i++) {
    const v = slots[i];
    if (v === undefined) continue;
    slots[i] = undefined;
    const d = defs[i]!;
    if (hiding !== undefined && d.type === RANDOM_VECTOR_AVP && d.vendorId === 0) continue;
    n += plan(d, v, hiding);
  }
  if (others !== undefined) {
    for (const k of others) {
      const d = otherDef(k, type);
      if (hiding !== undefined && d.type === RANDOM_VECTOR_AVP && d.vendorId === 0) continue;
      n += plan(d, m[k], hiding);
    }
  }
  const extra = msg.extraAvps;
  if (extra !== undefined) {
    if (type === 0 && extra.length) throw new TypeError('a ZLB carries no AVPs, got extraAvps');
    for (let i = 0; i < extra.length; i++) n += rawLength(extra[i]!);
  }
  if (n > 0xffff) throw new RangeError(`message would be ${n} bytes; the Length field holds at most 65535`);
  return n;
}

/**
 * Put the typed values of `m` into rank slots (one keyed load per given key, so the RFC order
 * costs nothing per row the caller left out), then the builder's `defaults` into the slots left
 * empty; returns the keys that are not in the plan.
 */
function gather(m: Record<string, unknown>, p: Plan, defaults: Readonly<Record<string, unknown>> | undefined): string[] | undefined {
  const n = p.defs.length;
  const rank = p.rank;
  for (let i = 0; i < n; i++) slots[i] = undefined;
  let others: string[] | undefined;
  for (const k in m) {
    const v = m[k];
    if (v === undefined) continue;
    const r = rank[k];
    if (r !== undefined) slots[r] = v;
    else if (NON_AVP_KEYS[k] !== true) (others ??= []).push(k);
  }
  if (defaults !== undefined) {
    const byRank = defaultsByRank(p, defaults);
    for (let i = 0; i < n; i++) if (slots[i] === undefined) slots[i] = byRank[i];
  }
  return others;
}

/** The catalogue row of a typed field outside the message's RFC list. */
function otherDef(k: string, type: number): AvpDef {
  const d = avpDefByKey(k);
  if (d === undefined) throw new TypeError(`unknown field '${k}': neither a header field nor an AVP key of the catalogue`);
  if (type === 0) throw new TypeError(`a ZLB carries no AVPs, got '${k}'`);
  return d;
}

/** RFC 2661 §4.4.1: the Message Type AVP, first and M=1 (so a peer cannot ignore a message it does not know). */
function putMessageType(b: Uint8Array, o: number, type: number): void {
  b[o] = 0x80;
  b[o + 1] = 8;
  b[o + 2] = 0;
  b[o + 3] = 0;
  b[o + 4] = 0;
  b[o + 5] = 0;
  b[o + 6] = type >>> 8;
  b[o + 7] = type;
}

/** Write one unhidden typed AVP at `o` within `limit`: the offset after it, or -1 if it does not fit. */
function writeField(b: Uint8Array, o: number, limit: number, d: AvpDef, v: unknown): number {
  const len = valueLength(d, v);
  if (o + AVP_HEADER_LENGTH + len > limit) return -1;
  putDefHeader(b, o, d, false, AVP_HEADER_LENGTH + len);
  d.codec.encode(v as never, b, o + AVP_HEADER_LENGTH);
  return o + AVP_HEADER_LENGTH + len;
}

/** Encoded value length of `v` for row `d`, checked (a local error names the field). */
function valueLength(d: AvpDef, v: unknown): number {
  const c = d.codec;
  let len: number;
  try {
    len = c.encodedLength(v as never);
  } catch (e) {
    named(d, e);
  }
  if (len < c.minLength || len > c.maxLength || len > AVP_MAX_VALUE_LENGTH) {
    throw new RangeError(`${d.key} (${d.name} AVP) must encode to ${c.minLength}–${Math.min(c.maxLength, AVP_MAX_VALUE_LENGTH)} bytes, got ${len}`);
  }
  return len;
}

/**
 * Encode an unhidden typed message in one pass at `b[base]`, within `limit`: returns its size,
 * or -1 when it would not fit (the caller then plans and sizes first).
 */
function writeTypedOnce(b: Uint8Array, base: number, limit: number, msg: ControlMessageInit, type: number, defaults: Readonly<Record<string, unknown>> | undefined): number {
  const m = msg as Record<string, unknown>;
  const p = planOf(type);
  let o = base + CONTROL_HEADER_LENGTH;
  if (type !== 0) {
    assertInt(type, 1, 0xffff, 'type');
    putMessageType(b, o, type);
    o += 8;
  }
  const defs = p.defs;
  const others = gather(m, p, defaults);
  for (let i = 0; i < defs.length; i++) {
    const v = slots[i];
    if (v === undefined) continue;
    slots[i] = undefined;
    o = writeField(b, o, limit, defs[i]!, v);
    if (o < 0) return -1;
  }
  if (others !== undefined) {
    for (const k of others) {
      o = writeField(b, o, limit, otherDef(k, type), m[k]);
      if (o < 0) return -1;
    }
  }
  const extra = msg.extraAvps;
  if (extra !== undefined) {
    if (type === 0 && extra.length) throw new TypeError('a ZLB carries no AVPs, got extraAvps');
    for (let i = 0; i < extra.length; i++) {
      if (o + rawLength(extra[i]!) > limit) return -1;
      o = writeRaw(b, o, extra[i]!);
    }
  }
  const size = o - base;
  writeControlHeader(b, base, msg, size);
  return size;
}

/** Write the message planned by {@link planTyped} (`size` bytes) at `b[base]`. */
function writeTyped(b: Uint8Array, base: number, msg: ControlMessageInit, type: number, size: number): void {
  writeControlHeader(b, base, msg, size);
  let o = base + CONTROL_HEADER_LENGTH;
  if (type !== 0) {
    putMessageType(b, o, type);
    o += 8;
  }
  const hiding = msg.hiding;
  if (hiding !== undefined) {
    // §4.3: the Random Vector AVP MUST precede the hidden AVPs; §4.4.1 sets its M bit.
    const rv = hiding.randomVector;
    writeAvpHeader(b, o, true, false, 0, AVP_HEADER_LENGTH + rv.length, 0, RANDOM_VECTOR_AVP);
    b.set(rv, o + AVP_HEADER_LENGTH);
    o += AVP_HEADER_LENGTH + rv.length;
  }
  const count = planCount;
  for (let i = 0; i < count; i++) {
    const d = planDefs[i]!;
    const v = planValues[i];
    planValues[i] = undefined;
    const len = planLengths[i]!;
    if (planHidden[i]) {
      const plain = new Uint8Array(len);
      d.codec.encode(v as never, plain, 0);
      const hidden = hideAvpValue(d.type, plain, hiding!.secret, hiding!.randomVector, hiding!.padding);
      putDefHeader(b, o, d, true, AVP_HEADER_LENGTH + hidden.length);
      b.set(hidden, o + AVP_HEADER_LENGTH);
      o += AVP_HEADER_LENGTH + hidden.length;
    } else {
      putDefHeader(b, o, d, false, AVP_HEADER_LENGTH + len);
      d.codec.encode(v as never, b, o + AVP_HEADER_LENGTH);
      o += AVP_HEADER_LENGTH + len;
    }
  }
  planCount = 0;
  const extra = msg.extraAvps;
  if (extra !== undefined) for (let i = 0; i < extra.length; i++) o = writeRaw(b, o, extra[i]!);
}

/** Rethrow a codec's complaint about a value with the field it belongs to. */
function named(d: AvpDef, e: unknown): never {
  const what = `${d.key} (${d.name} AVP)`;
  if (e instanceof RangeError) throw new RangeError(`${what}: ${e.message}`, { cause: e });
  if (e instanceof TypeError) throw new TypeError(`${what}: ${e.message}`, { cause: e });
  throw e;
}

/** AVP header of a catalogue row (its fields are known valid: no range checks). */
function putDefHeader(b: Uint8Array, o: number, d: AvpDef, hidden: boolean, length: number): void {
  const w = (d.mandatory ? 0x8000 : 0) | (hidden ? 0x4000 : 0) | length;
  b[o] = w >>> 8;
  b[o + 1] = w;
  b[o + 2] = d.vendorId >>> 8;
  b[o + 3] = d.vendorId;
  b[o + 4] = d.type >>> 8;
  b[o + 5] = d.type;
}

function writeControlHeader(b: Uint8Array, o: number, msg: ControlMessageInit, size: number): void {
  if (size > 0xffff) throw new RangeError(`message would be ${size} bytes; the Length field holds at most 65535`);
  const version = msg.version ?? 2;
  const ns = msg.ns ?? 0;
  const nr = msg.nr ?? 0;
  assertInt(ns, 0, 0xffff, 'ns');
  assertInt(nr, 0, 0xffff, 'nr');
  put16(b, o, HeaderFlag.Type | HeaderFlag.Length | HeaderFlag.Sequence | version);
  put16(b, o + 2, size);
  if (version === 2) {
    const t = msg.tunnelId ?? 0;
    const s = msg.sessionId ?? 0;
    assertInt(t, 0, 0xffff, 'tunnelId');
    assertInt(s, 0, 0xffff, 'sessionId');
    put16(b, o + 4, t);
    put16(b, o + 6, s);
  } else if (version === 3) {
    const t = msg.tunnelId ?? 0;
    assertInt(t, 0, 0xffffffff, 'tunnelId (v3 Control Connection ID)');
    if (msg.sessionId) throw new RangeError('an L2TPv3 control header has no Session ID; use the Local/Remote Session ID AVPs');
    put32(b, o + 4, t);
  } else {
    throw new RangeError(`version must be 2 or 3, got ${String(version)}`);
  }
  put16(b, o + 8, ns);
  put16(b, o + 10, nr);
}
