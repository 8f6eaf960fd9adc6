/**
 * The encoder's field work (RFC 2661 §4.1, §4.4.1, §6): per message type, the AVP rows in the
 * order §6 lists them; gathering a message's typed values into that order; checking and sizing
 * each value; writing AVP and control headers.
 */
import { AVP_HEADER_LENGTH, AVP_MAX_VALUE_LENGTH, writeAvpHeader, type AvpInit } from './avp.js';
import { avpDefByKey } from './avp-catalog.js';
import type { AvpDef } from './avp-def.js';
import { avpRule, type AvpRule } from './avp-rules.js';
import { assertBytes, assertInt, put16, put32, putAvpHeader } from './bytes.js';
import { HeaderFlag } from './header.js';
import { messageAvps } from './message-catalog.js';
import type { ControlMessageInit } from './control-types.js';

/** Keys of {@link ControlMessageInit} (and of parsed messages) that are not typed AVP fields. */
/** @internal */
export const NON_AVP_KEYS: Readonly<Record<string, true | undefined>> = Object.assign(Object.create(null) as Record<string, true>, Object.fromEntries(['version', 'tunnelId', 'controlConnectionId', 'sessionId', 'ns', 'nr', 'type', 'avps', 'extraAvps', 'hiding', 'length', 'isZlb', 'typeName', 'messageType', 'bytes'].map((k) => [k, true] as const)));

/** Per message type: the catalogue rows RFC 2661 §6 lists for it, in order, and their ranks. */
export interface Plan {
  readonly defs: readonly AvpDef[];
  /** The flattened rule of each row of `defs` (same order). */
  readonly rules: readonly AvpRule[];
  /** Key → index in `defs`; a null-prototype object (a keyed load beats `Map.get` here). */
  readonly rank: Readonly<Record<string, number | undefined>>;
  /** Builders' defaults, by rank (cached per defaults object). */
  defaultsFor: WeakMap<object, readonly unknown[]>;
  lastDefaults?: object;
  lastByRank?: readonly unknown[];
}
const plans: Plan[] = [];
export function planOf(type: number): Plan {
  let p = type < 256 ? plans[type] : undefined;
  if (p === undefined) {
    const defs = messageAvps(type).filter((d) => d.key !== 'messageType');
    p = { defs, rules: defs.map((d) => avpRule(d.vendorId, d.type)!), rank: Object.assign(Object.create(null) as Record<string, number>, Object.fromEntries(defs.map((d, i) => [d.key, i]))), defaultsFor: new WeakMap() };
    if (type < 256) plans[type] = p;
  }
  return p;
}
export function defaultsByRank(plan: Plan, defaults: Readonly<Record<string, unknown>>): readonly unknown[] {
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
/** @internal */
export const slots: unknown[] = [];

export function writeRaw(b: Uint8Array, o: number, a: AvpInit): number {
  const len = rawLength(a);
  writeAvpHeader(b, o, a.mandatory === true, a.hidden === true, a.reserved ?? 0, len, a.vendorId ?? 0, a.type);
  b.set(a.value, o + AVP_HEADER_LENGTH);
  return o + len;
}

export function rawLength(a: AvpInit): number {
  assertBytes(a.value, `value of AVP ${a.vendorId ?? 0}:${a.type}`);
  const len = AVP_HEADER_LENGTH + a.value.length;
  if (len > 0x3ff) throw new RangeError(`AVP ${a.vendorId ?? 0}:${a.type} value is ${a.value.length} bytes; an AVP holds at most ${AVP_MAX_VALUE_LENGTH}`);
  return len;
}

/**
 * Put the typed values of `m` into rank slots (one keyed load per given key, so the RFC order
 * costs nothing per row the caller left out); returns the keys that are not in the plan. A slot
 * left empty takes the builder's default (`defaultsByRank`), which the caller reads as it writes.
 */
export function gather(m: Record<string, unknown>, p: Plan): string[] | undefined {
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
  return others;
}

/** The catalogue row of a typed field outside the message's RFC list. */
export function otherDef(k: string, type: number): AvpDef {
  const d = avpDefByKey(k);
  if (d === undefined) throw new TypeError(`unknown field '${k}': neither a header field nor an AVP key of the catalogue`);
  if (type === 0) throw new TypeError(`a ZLB carries no AVPs, got '${k}'`);
  return d;
}

/** RFC 2661 §4.4.1: the Message Type AVP, first and M=1 (so a peer cannot ignore a message it does not know). */
export function putMessageType(b: Uint8Array, o: number, type: number): void {
  b[o] = 0x80;
  b[o + 1] = 8;
  b[o + 2] = 0;
  b[o + 3] = 0;
  b[o + 4] = 0;
  b[o + 5] = 0;
  b[o + 6] = type >>> 8;
  b[o + 7] = type;
}

/** Encoded value length of `v` for row `d`, checked (a local error names the field). */
export function valueLength(d: AvpDef, v: unknown): number {
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

/** Rethrow a codec's complaint about a value with the field it belongs to. */
export function named(d: AvpDef, e: unknown): never {
  const what = `${d.key} (${d.name} AVP)`;
  if (e instanceof RangeError) throw new RangeError(`${what}: ${e.message}`, { cause: e });
  if (e instanceof TypeError) throw new TypeError(`${what}: ${e.message}`, { cause: e });
  throw e;
}

/** AVP header of a catalogue row (its fields are known valid: no range checks). */
export function putDefHeader(b: Uint8Array, o: number, d: AvpDef, hidden: boolean, length: number): void {
  putAvpHeader(b, o, (d.mandatory ? 0x8000 : 0) | (hidden ? 0x4000 : 0) | length, d.vendorId, d.type);
}

export function writeControlHeader(b: Uint8Array, o: number, msg: ControlMessageInit, size: number): void {
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
    const t = msg.controlConnectionId ?? msg.tunnelId ?? 0;
    assertInt(t, 0, 0xffffffff, 'controlConnectionId (or tunnelId) of a v3 message');
    if (msg.sessionId) throw new RangeError('an L2TPv3 control header has no Session ID; use the Local/Remote Session ID AVPs');
    put32(b, o + 4, t);
  } else {
    throw new RangeError(`version must be 2 or 3, got ${String(version)}`);
  }
  put16(b, o + 8, ns);
  put16(b, o + 10, nr);
}
