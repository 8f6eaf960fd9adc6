/**
 * Control messages (RFC 2661 §3.1, §4, §6; RFC 3931 §3.2.1): the typed parser and the encoder.
 */
import { AVP_HEADER_LENGTH, AVP_MAX_VALUE_LENGTH, ParsedAvp, writeAvpHeader, type AvpInit } from './avp.js';
import { avpDef, avpDefByKey, type AvpFields } from './avp-catalog.js';
import type { AvpDef } from './avp-def.js';
import { assertBytes, assertInt, put16, put32, u16, u32 } from './bytes.js';
import { fail } from './errors.js';
import { HeaderFlag } from './header.js';
import { hideAvpValue, unhideAvpValue } from './hidden.js';
import { messageAvps, messageDef } from './message-catalog.js';

/** Type number of the Message Type AVP, and of a ZLB's pseudo message type. */
const MESSAGE_TYPE_AVP = 0;
const RANDOM_VECTOR_AVP = 36;
/** Control header size: v2 with L=S=1 (RFC 2661 §3.1) and v3 (RFC 3931 §3.2.1) are both 12 bytes. */
export const CONTROL_HEADER_LENGTH = 12;

/**
 * A parsed control message: header fields, message type, the typed AVP fields, and `avps`, every
 * AVP in wire order (Message Type included, unknown and vendor AVPs too) so nothing is lost.
 * `encodeControl(parseControl(b))` gives back `b`.
 */
export interface ControlMessage extends AvpFields {
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
}

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

/**
 * Parse one control message (v2 or v3 over UDP) into typed fields plus the raw AVP list.
 *
 * Checks the RFC's MUSTs: T=L=S=1 and (v2) O=P=0 (§3.1); Length within the input and not shorter
 * than the header; Message Type AVP first and not hidden (§4.4.1); every AVP's Length ≥ 6 and
 * inside the message (§4.1); known AVPs' value sizes; required AVPs present (§6). Unknown
 * message types and unknown AVPs (M=1 included) are not parse errors: whether to tear down is
 * the state machine's decision (§4.1), and they are kept in `avps`.
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
  const flags = u16(bytes, 0);
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
  const length = u16(bytes, 2);
  if (length > n) fail('BAD_LENGTH', `Length ${length} exceeds the ${n} bytes received`, 2);
  if (length < CONTROL_HEADER_LENGTH) fail('BAD_LENGTH', `Length ${length} is shorter than the 12-byte header`, 2);
  const tunnelId = version === 2 ? u16(bytes, 4) : u32(bytes, 4);
  const sessionId = version === 2 ? u16(bytes, 6) : 0;
  const ns = u16(bytes, 8);
  const nr = u16(bytes, 10);
  if (length === CONTROL_HEADER_LENGTH) {
    return { version, tunnelId, sessionId, ns, nr, length, isZlb: true, type: 0, typeName: 'ZLB', avps: [] };
  }
  return parseBody(bytes, length, options, version, tunnelId, sessionId, ns, nr);
}

function parseBody(
  b: Uint8Array,
  end: number,
  options: ParseControlOptions | undefined,
  version: 2 | 3,
  tunnelId: number,
  sessionId: number,
  ns: number,
  nr: number,
): ControlMessage {
  // The Message Type AVP: first, 8 bytes, vendor 0, type 0, not hidden (RFC 2661 §4.4.1).
  let o = CONTROL_HEADER_LENGTH;
  if (end - o < AVP_HEADER_LENGTH) fail('TRUNCATED', 'message ends inside the first AVP header', o);
  const w0 = u16(b, o);
  const len0 = w0 & 0x03ff;
  if (len0 < AVP_HEADER_LENGTH) fail('BAD_AVP_LENGTH', `AVP Length ${len0} is under the 6-byte minimum`, o);
  if (o + len0 > end) fail('BAD_AVP_LENGTH', `AVP Length ${len0} runs past the end of the message`, o);
  if (u16(b, o + 2) !== 0 || u16(b, o + 4) !== MESSAGE_TYPE_AVP) {
    fail('MESSAGE_TYPE_NOT_FIRST', 'the first AVP is not Message Type (RFC 2661 §4.4.1)', o);
  }
  if (w0 & 0x4000) fail('BAD_AVP_VALUE', 'the Message Type AVP is hidden; RFC 2661 §4.4.1 forbids it', o);
  if (len0 !== 8) fail('BAD_AVP_VALUE', `Message Type AVP Length is ${len0}, must be 8`, o);
  const type = u16(b, o + 6);
  const def = messageDef(type);
  const msg: Record<string, unknown> = {
    version,
    tunnelId,
    sessionId,
    ns,
    nr,
    length: end,
    isZlb: false,
    type,
    typeName: def ? def.name : `Unknown(${type})`,
    avps: undefined,
  };
  const avps: ParsedAvp[] = [new ParsedAvp(b, o)];
  o += 8;
  // Bitmap of IETF AVP types 0–63 seen, for the §6 required-AVP check.
  let seenLo = 1;
  let seenHi = 0;
  let vectorStart = -1;
  let vectorEnd = -1;
  while (o < end) {
    if (end - o < AVP_HEADER_LENGTH) fail('TRUNCATED', `${end - o} bytes left after the last AVP, fewer than an AVP header`, o);
    const w = (b[o]! << 8) | b[o + 1]!;
    const len = w & 0x03ff;
    if (len < AVP_HEADER_LENGTH) fail('BAD_AVP_LENGTH', `AVP Length ${len} is under the 6-byte minimum`, o);
    if (o + len > end) fail('BAD_AVP_LENGTH', `AVP Length ${len} runs ${o + len - end} bytes past the end of the message`, o);
    const vendorId = (b[o + 2]! << 8) | b[o + 3]!;
    const at = (b[o + 4]! << 8) | b[o + 5]!;
    avps.push(new ParsedAvp(b, o));
    if (vendorId === 0) {
      if (at < 32) seenLo |= 1 << at;
      else if (at < 64) seenHi |= 1 << (at - 32);
      if (at === RANDOM_VECTOR_AVP && (w & 0x4000) === 0) {
        // §4.3: a hidden AVP uses the most recent Random Vector before it.
        vectorStart = o + AVP_HEADER_LENGTH;
        vectorEnd = o + len;
      }
    }
    // Reserved bits set: "treat as unrecognized" (§4.1), so no typed field.
    if ((w & 0x3c00) === 0) {
      const d = avpDef(vendorId, at);
      if (d !== undefined && msg[d.key] === undefined) {
        if (w & 0x4000) {
          if (options?.secret !== undefined) {
            if (vectorStart < 0) fail('HIDDEN_WITHOUT_RANDOM_VECTOR', `hidden AVP ${at} with no Random Vector AVP before it (RFC 2661 §4.3)`, o);
            const value = unhideAvpValue(at, b.subarray(o + AVP_HEADER_LENGTH, o + len), options.secret, b.subarray(vectorStart, vectorEnd), o + AVP_HEADER_LENGTH);
            msg[d.key] = decodeTyped(d, value, 0, value.length, o);
          }
        } else {
          msg[d.key] = decodeTyped(d, b, o + AVP_HEADER_LENGTH, len - AVP_HEADER_LENGTH, o);
        }
      }
    }
    o += len;
  }
  msg.avps = avps;
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

function decodeTyped(d: AvpDef, b: Uint8Array, offset: number, length: number, avpOffset: number): unknown {
  const c = d.codec;
  if (length < c.minLength || length > c.maxLength) {
    const want = c.minLength === c.maxLength ? `${c.minLength}` : `${c.minLength}–${c.maxLength}`;
    fail('BAD_AVP_VALUE', `${d.name} AVP value is ${length} bytes; ${want} allowed`, avpOffset);
  }
  return c.decode(b, offset, length);
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
  /** Message type; 0 with no AVPs encodes a ZLB. Ignored when `avps` is given. */
  type?: number;
  /** The complete AVP list, Message Type first, encoded verbatim (hidden values as they are). */
  avps?: readonly AvpInit[];
  /** Raw AVPs (vendor, unknown, …) appended after the typed fields. */
  extraAvps?: readonly AvpInit[];
  /** Send hideable typed fields hidden. */
  hiding?: HidingOptions;
}

const HEADER_KEYS = new Set(['version', 'tunnelId', 'sessionId', 'ns', 'nr', 'type', 'avps', 'extraAvps', 'hiding', 'length', 'isZlb', 'typeName', 'messageType']);

/** @internal The ordered typed-field plan for one encode. */
type Plan = AvpDef[];

function planFor(msg: ControlMessageInit): Plan {
  const m = msg as Record<string, unknown>;
  const plan: Plan = [];
  const listed = messageAvps(msg.type ?? 0);
  for (let i = 0; i < listed.length; i++) {
    const d = listed[i]!;
    if (d.key !== 'messageType' && m[d.key] !== undefined && !(msg.hiding && d.key === 'randomVector')) plan.push(d);
  }
  for (const k in m) {
    if (m[k] === undefined || HEADER_KEYS.has(k) || (msg.hiding && k === 'randomVector')) continue;
    const d = avpDefByKey(k);
    if (d === undefined) throw new TypeError(`unknown field '${k}': not a header field and not an AVP key of the catalogue`);
    if (!listed.includes(d)) plan.push(d);
  }
  return plan;
}

function hides(h: HidingOptions | undefined, d: AvpDef): boolean {
  if (h === undefined) return false;
  return h.avps ? d.vendorId === 0 && h.avps.includes(d.type) : d.hideable;
}

function typedSize(d: AvpDef, v: unknown, hiding: HidingOptions | undefined): number {
  let size = d.codec.encodedLength(v as never);
  if (hides(hiding, d)) size += 2 + (hiding!.padding?.length ?? 0);
  if (size > AVP_MAX_VALUE_LENGTH) throw new RangeError(`${d.name} is ${size} bytes encoded; an AVP holds at most ${AVP_MAX_VALUE_LENGTH}`);
  if (size < d.codec.minLength) throw new RangeError(`${d.name} must be at least ${d.codec.minLength} bytes`);
  return size;
}

/**
 * Size in bytes of the message {@link encodeControl} would write (dns-packet's
 * `encodingLength`), so callers can encode into a buffer of their own.
 */
export function encodingLength(msg: ControlMessageInit): number {
  if (msg.avps) {
    let n = CONTROL_HEADER_LENGTH;
    for (const a of msg.avps) n += AVP_HEADER_LENGTH + a.value.length;
    return n;
  }
  return encodedSize(msg, planFor(msg));
}

function encodedSize(msg: ControlMessageInit, plan: Plan): number {
  if (!msg.type) {
    if (plan.length || msg.extraAvps?.length) throw new TypeError('a ZLB (type 0) carries no AVPs');
    return CONTROL_HEADER_LENGTH;
  }
  let n = CONTROL_HEADER_LENGTH + 8;
  if (msg.hiding) n += AVP_HEADER_LENGTH + msg.hiding.randomVector.length;
  const m = msg as Record<string, unknown>;
  for (let i = 0; i < plan.length; i++) n += AVP_HEADER_LENGTH + typedSize(plan[i]!, m[plan[i]!.key], msg.hiding);
  if (msg.extraAvps) for (const a of msg.extraAvps) n += AVP_HEADER_LENGTH + a.value.length;
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
 * @throws `TypeError`/`RangeError` for values that cannot be encoded (local errors).
 * @example
 * ```ts
 * const bytes = encodeControl({ type: MessageType.HELLO, tunnelId: 42, ns: 3, nr: 7 });
 * ```
 */
export function encodeControl(msg: ControlMessageInit, target?: Uint8Array, offset = 0): Uint8Array {
  const plan = msg.avps ? undefined : planFor(msg);
  const size = plan ? encodedSize(msg, plan) : encodingLength(msg);
  if (size > 0xffff) throw new RangeError(`message would be ${size} bytes; the Length field holds at most 65535`);
  const b = target ?? new Uint8Array(size);
  if (target) {
    assertBytes(target, 'target');
    assertInt(offset, 0, target.length - size, 'offset');
  }
  writeControlHeader(b, offset, msg, size);
  let o = offset + CONTROL_HEADER_LENGTH;
  if (!plan) {
    for (const a of msg.avps!) {
      const len = AVP_HEADER_LENGTH + a.value.length;
      if (len > 0x3ff) throw new RangeError(`AVP ${a.vendorId ?? 0}:${a.type} value is ${a.value.length} bytes; an AVP holds at most ${AVP_MAX_VALUE_LENGTH}`);
      writeAvpHeader(b, o, a.mandatory === true, a.hidden === true, a.reserved ?? 0, len, a.vendorId ?? 0, a.type);
      b.set(a.value, o + AVP_HEADER_LENGTH);
      o += len;
    }
    return b;
  }
  if (!msg.type) return b;
  assertInt(msg.type, 0, 0xffff, 'type');
  // RFC 2661 §4.4.1: Message Type first, M=1 (M=0 would let a peer ignore a message it does not know).
  put16(b, o, 0x8000 | 8);
  put16(b, o + 2, 0);
  put16(b, o + 4, MESSAGE_TYPE_AVP);
  put16(b, o + 6, msg.type);
  o += 8;
  const hiding = msg.hiding;
  if (hiding) {
    // §4.3: the Random Vector AVP MUST precede the hidden AVPs; RFC 2661 §4.4.3 sets its M bit.
    const rv = hiding.randomVector;
    assertBytes(rv, 'hiding.randomVector');
    if (rv.length === 0) throw new RangeError('hiding.randomVector must be at least one byte');
    writeAvpHeader(b, o, true, false, 0, AVP_HEADER_LENGTH + rv.length, 0, RANDOM_VECTOR_AVP);
    b.set(rv, o + AVP_HEADER_LENGTH);
    o += AVP_HEADER_LENGTH + rv.length;
  }
  const m = msg as Record<string, unknown>;
  for (let i = 0; i < plan.length; i++) {
    const d = plan[i]!;
    const v = m[d.key];
    if (hides(hiding, d)) {
      const plain = new Uint8Array(d.codec.encodedLength(v as never));
      d.codec.encode(v as never, plain, 0);
      const hidden = hideAvpValue(d.type, plain, hiding!.secret, hiding!.randomVector, hiding!.padding);
      writeAvpHeader(b, o, d.mandatory, true, 0, AVP_HEADER_LENGTH + hidden.length, d.vendorId, d.type);
      b.set(hidden, o + AVP_HEADER_LENGTH);
      o += AVP_HEADER_LENGTH + hidden.length;
    } else {
      const len = d.codec.encodedLength(v as never);
      writeAvpHeader(b, o, d.mandatory, false, 0, AVP_HEADER_LENGTH + len, d.vendorId, d.type);
      d.codec.encode(v as never, b, o + AVP_HEADER_LENGTH);
      o += AVP_HEADER_LENGTH + len;
    }
  }
  if (msg.extraAvps) {
    for (const a of msg.extraAvps) {
      const len = AVP_HEADER_LENGTH + a.value.length;
      if (len > 0x3ff) throw new RangeError(`AVP ${a.vendorId ?? 0}:${a.type} value is ${a.value.length} bytes; an AVP holds at most ${AVP_MAX_VALUE_LENGTH}`);
      writeAvpHeader(b, o, a.mandatory === true, a.hidden === true, a.reserved ?? 0, len, a.vendorId ?? 0, a.type);
      b.set(a.value, o + AVP_HEADER_LENGTH);
      o += len;
    }
  }
  return b;
}

function writeControlHeader(b: Uint8Array, o: number, msg: ControlMessageInit, size: number): void {
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
    if (msg.sessionId) throw new RangeError('an L2TPv3 control header has no Session ID; put it in a Local/Remote Session ID AVP');
    put32(b, o + 4, t);
  } else {
    throw new RangeError(`version must be 2 or 3, got ${String(version)}`);
  }
  put16(b, o + 8, ns);
  put16(b, o + 10, nr);
}
