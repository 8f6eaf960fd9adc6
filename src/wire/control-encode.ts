/**
 * The control message encoder (RFC 2661 §3.1, §4, §4.3, §6; RFC 3931 §3.2.1): typed fields in
 * RFC order, optional hiding, or a verbatim AVP list.
 */
import { AVP_HEADER_LENGTH, AVP_MAX_VALUE_LENGTH, writeAvpHeader } from './avp.js';
import type { AvpDef } from './avp-def.js';
import { alloc, assertBytes, assertInt, POOL_MAX, poolCommit, poolSlab, poolStart } from './bytes.js';
import { avpDef } from './avp-catalog.js';
import { hideAvpValue } from './hidden.js';
import { avpRule, type AvpRule } from './avp-rules.js';
import { NOT_SCALAR, writeScalar } from './scalar-writers.js';
import { checkHiding, paddingFor } from './hiding-plan.js';
import { CONTROL_HEADER_LENGTH, RANDOM_VECTOR_AVP, type ControlMessageInit, type HidingOptions } from './control-types.js';
import { defaultsByRank, gather, otherDef, planOf, putDefHeader, putMessageType, rawLength, slots, valueLength, writeControlHeader, writeRaw } from './control-fields.js';

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

/**
 * The planned typed fields of one encode (reused: one encode at a time, and nothing in it calls
 * back into the encoder): the catalogue rows in write order, their values and value lengths.
 */
const planDefs: AvpDef[] = [];
const planValues: unknown[] = [];
const planLengths: number[] = [];
const planHidden: boolean[] = [];
/** The padding of each hidden row (RFC 2661 §4.3), chosen when it is sized. */
const planPadding: (Uint8Array | undefined)[] = [];
let planCount = 0;
let hiddenCount = 0;

function plan(d: AvpDef, v: unknown, hiding: HidingOptions | undefined): number {
  const len = valueLength(d, v);
  const hide = hiding !== undefined && (hiding.avps ? d.vendorId === 0 && hiding.avps.includes(d.type) : d.hideable);
  const padding = hide ? paddingFor(hiding!, hiddenCount++, len) : undefined;
  const room = hide ? 2 + len + (padding?.length ?? 0) : len;
  if (room > AVP_MAX_VALUE_LENGTH) throw new RangeError(`${d.key} (${d.name} AVP) is ${room} bytes encoded; an AVP holds at most ${AVP_MAX_VALUE_LENGTH}`);
  const i = planCount++;
  planDefs[i] = d;
  planValues[i] = v;
  planLengths[i] = len;
  planHidden[i] = hide;
  planPadding[i] = padding;
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
    checkHiding(hiding, avpDef);
    hiddenCount = 0;
  }
  const defs = p.defs;
  const others = gather(m, p);
  const byRank = defaults === undefined ? undefined : defaultsByRank(p, defaults);
  for (let i = 0; i < defs.length; i++) {
    let v = slots[i];
    if (v !== undefined) slots[i] = undefined;
    else if (byRank === undefined || (v = byRank[i]) === undefined) continue;
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

/** Write one unhidden typed AVP at `o` within `limit`: the offset after it, or -1 if it does not fit. */
function writeField(b: Uint8Array, o: number, limit: number, d: AvpDef, r: AvpRule, v: unknown): number {
  const at = writeScalar(b, o, limit, r, v);
  if (at !== NOT_SCALAR) return at;
  const len = valueLength(d, v);
  if (o + AVP_HEADER_LENGTH + len > limit) return -1;
  putDefHeader(b, o, d, false, AVP_HEADER_LENGTH + len);
  d.codec.encode(v as never, b, o + AVP_HEADER_LENGTH);
  return o + AVP_HEADER_LENGTH + len;
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
  const rules = p.rules;
  const others = gather(m, p);
  const byRank = defaults === undefined ? undefined : defaultsByRank(p, defaults);
  for (let i = 0; i < defs.length; i++) {
    let v = slots[i];
    if (v !== undefined) slots[i] = undefined;
    else if (byRank === undefined || (v = byRank[i]) === undefined) continue;
    o = writeField(b, o, limit, defs[i]!, rules[i]!, v);
    if (o < 0) return -1;
  }
  if (others !== undefined) {
    for (const k of others) {
      const d = otherDef(k, type);
      o = writeField(b, o, limit, d, avpRule(d.vendorId, d.type)!, m[k]);
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
      const hidden = hideAvpValue(d.type, plain, hiding!.secret, hiding!.randomVector, planPadding[i]);
      planPadding[i] = undefined;
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
