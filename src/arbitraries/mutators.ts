/**
 * Mutators: each turns a valid L2TPv2 control message into one that breaks a single RFC rule
 * (see {@link RULES}), labelled with the rule and with what a conformant receiver does about it,
 * so a harness can report which rule a device mishandles.
 *
 * A mutator returns an arbitrary of mutations of the message it is given (the choice of AVP, bit
 * or offset is fast-check's, so failures shrink), or `undefined` when its rule cannot apply (a
 * ZLB has no AVP to corrupt; the hidden-AVP rules need the tunnel secret).
 */
import fc from 'fast-check';
import { avpDef, AVP_CATALOG } from '../wire/avp-catalog.js';
import { u16 } from '../wire/bytes.js';
import type { TunnelSecret } from '../wire/challenge.js';
import { hideAvpValue } from '../wire/hidden.js';
import { messageDef } from '../wire/message-catalog.js';
import { rawAvpArb, typedAvpArb, type TypedAvp } from './avps.js';
import { avpBytes, avpSlots, splice, with16, type AvpSlot } from './edit.js';
import { RULES, type Expectation, type RfcRule, type RuleId } from './rules.js';
import { bytesArb } from './values.js';

/** One mutated message. */
export interface Mutation {
  readonly bytes: Uint8Array;
  /** The rule it breaks. */
  readonly rule: RfcRule;
  /** What a conformant receiver does with it. */
  readonly expect: Expectation;
  /** What was changed, for reports (e.g. `'AVP 3 (0:7) Length 4'`). */
  readonly detail: string;
}

/** What some mutators need to know about the receiver. */
export interface MutationContext {
  /** The tunnel secret: needed by the hidden-AVP rules (§4.3), which are skipped without it. */
  secret?: TunnelSecret;
  /** The receiver's Receive Window Size (§5.8). Default 4. */
  receiveWindow?: number;
}

/** A mutator: the rule it breaks and how. */
export interface Mutator {
  readonly rule: RfcRule;
  /** Mutations of `message` (a valid L2TPv2 control message), or `undefined` when the rule cannot apply. */
  mutate(message: Uint8Array, context?: MutationContext): fc.Arbitrary<Mutation> | undefined;
}

const MESSAGE_TYPE_AVP_LENGTH = 8;
const RANDOM_VECTOR = 36;
const KNOWN_VENDORS = new Set(AVP_CATALOG.map((d) => d.vendorId));
/** Header bits RFC 2661 §3.1 reserves ("x"). */
const RESERVED_HEADER_BITS = [0x2000, 0x1000, 0x0400, 0x0080, 0x0040, 0x0020, 0x0010];
/** IETF AVPs the RFC lets be hidden (§4.3), as typed catalogue rows. */
const HIDEABLE = AVP_CATALOG.filter((d) => d.vendorId === 0 && d.hideable);

function mutation(id: RuleId, bytes: Uint8Array, expect: Expectation, detail: string): Mutation {
  return { bytes, rule: RULES[id], expect, detail };
}

function describe(i: number, s: AvpSlot): string {
  return `AVP ${i} (${s.vendorId}:${s.type})`;
}

/** Offsets after the Message Type AVP where an AVP may be inserted (between AVPs, or at the end). */
function insertionPoints(slots: readonly AvpSlot[]): number[] {
  return slots.map((s) => s.offset + s.length);
}

/** A message with AVPs (not a ZLB) whose first AVP is the Message Type. */
function withMessageType(msg: Uint8Array): AvpSlot[] | undefined {
  const slots = avpSlots(msg);
  const first = slots[0];
  if (first === undefined || first.vendorId !== 0 || first.type !== 0 || first.length !== MESSAGE_TYPE_AVP_LENGTH) return undefined;
  return slots;
}

function def(id: RuleId, mutate: Mutator['mutate']): Mutator {
  return { rule: RULES[id], mutate };
}

/**
 * Every mutator, one per rule of {@link RULES}.
 * @example
 * ```ts
 * const applicable = MUTATORS.filter((m) => m.mutate(bytes) !== undefined).map((m) => m.rule.id);
 * ```
 */
export const MUTATORS: readonly Mutator[] = [
  def('control-flags', (msg) =>
    fc
      .constantFrom(['L cleared', ~0x4000, 0], ['S cleared', ~0x0800, 0], ['O set', 0xffff, 0x0200], ['P set', 0xffff, 0x0100])
      .map(([what, and, or]) => mutation('control-flags', with16(msg, 0, (u16(msg, 0) & (and as number)) | (or as number)), 'parse-error', what as string)),
  ),

  def('header-reserved-bits', (msg) =>
    fc
      .subarray(RESERVED_HEADER_BITS, { minLength: 1 })
      .map((bits) => bits.reduce((a, b) => a | b, 0))
      .map((bits) => mutation('header-reserved-bits', with16(msg, 0, u16(msg, 0) | bits), 'ignored', `reserved bits 0x${bits.toString(16).padStart(4, '0')} set`)),
  ),

  def('length-exceeds-datagram', (msg) => {
    const n = msg.length;
    const longer = fc
      .integer({ min: 1, max: Math.max(1, Math.min(64, 0xffff - n)) })
      .filter((k) => n + k <= 0xffff)
      .map((k) => mutation('length-exceeds-datagram', with16(msg, 2, n + k), 'parse-error', `Length ${n + k}, ${n} bytes sent`));
    if (n <= 12) return longer;
    const truncated = fc
      .integer({ min: 1, max: n - 12 })
      .map((k) => mutation('length-exceeds-datagram', msg.slice(0, n - k), 'parse-error', `datagram cut to ${n - k} bytes, Length ${n}`));
    return fc.oneof(longer, truncated);
  }),

  def('length-below-header', (msg) =>
    fc.integer({ min: 0, max: 11 }).map((len) => mutation('length-below-header', with16(msg, 2, len), 'parse-error', `Length ${len}`)),
  ),

  def('length-cuts-avp', (msg) => {
    const slots = avpSlots(msg);
    if (slots.length === 0) return undefined;
    return fc
      .nat(slots.length - 1)
      .chain((i) => fc.integer({ min: slots[i]!.offset + 1, max: slots[i]!.offset + slots[i]!.length - 1 }).map((cut) => [i, cut] as const))
      .map(([i, cut]) => mutation('length-cuts-avp', with16(msg, 2, cut), 'parse-error', `Length ${cut} ends inside ${describe(i, slots[i]!)}`));
  }),

  def('avp-length-under-6', (msg) => {
    const slots = avpSlots(msg);
    if (slots.length === 0) return undefined;
    return fc.tuple(fc.nat(slots.length - 1), fc.integer({ min: 0, max: 5 })).map(([i, len]) => {
      const s = slots[i]!;
      return mutation('avp-length-under-6', with16(msg, s.offset, (u16(msg, s.offset) & 0xfc00) | len), 'parse-error', `${describe(i, s)} Length ${len}`);
    });
  }),

  def('avp-length-past-end', (msg) => {
    const end = u16(msg, 2);
    const slots = avpSlots(msg).map((s, i) => [i, s] as const).filter(([, s]) => end - s.offset < 0x3ff);
    if (slots.length === 0) return undefined;
    return fc
      .constantFrom(...slots)
      .chain(([i, s]) => fc.integer({ min: end - s.offset + 1, max: 0x3ff }).map((len) => [i, s, len] as const))
      .map(([i, s, len]) =>
        mutation('avp-length-past-end', with16(msg, s.offset, (u16(msg, s.offset) & 0xfc00) | len), 'parse-error', `${describe(i, s)} Length ${len}, ${end - s.offset} bytes left`),
      );
  }),

  def('avp-value-size', (msg) => {
    // AVPs whose definition fixes the size, or needs at least one byte; not hidden (the hidden
    // value has its own length inside).
    const candidates = avpSlots(msg)
      .map((s, i) => [i, s, avpDef(s.vendorId, s.type)] as const)
      .filter(([, s, d]) => d !== undefined && !s.hidden && s.reserved === 0 && (d.codec.minLength === d.codec.maxLength || d.codec.minLength > 0));
    if (candidates.length === 0) return undefined;
    return fc
      .constantFrom(...candidates)
      .chain(([i, s, d]) => {
        const len = s.length - 6;
        const min = d!.codec.minLength;
        const max = d!.codec.maxLength;
        const sizes: number[] = [];
        for (let n = 0; n < min; n++) sizes.push(n);
        if (max < 0x3ff - 6) for (let n = max + 1; n <= Math.min(max + 8, 0x3ff - 6); n++) sizes.push(n);
        return fc.constantFrom(...sizes).map((size) => [i, s, len, size] as const);
      })
      .map(([i, s, len, size]) => {
        const valueEnd = s.offset + s.length;
        const bytes = size > len ? splice(msg, valueEnd, 0, new Uint8Array(size - len)) : splice(msg, valueEnd - (len - size), len - size);
        const w = u16(bytes, s.offset);
        return mutation('avp-value-size', with16(bytes, s.offset, (w & 0xfc00) | (6 + size)), 'parse-error', `${describe(i, s)} value ${size} bytes, was ${len}`);
      });
  }),

  def('avp-reserved-bits', (msg) => {
    const slots = withMessageType(msg);
    if (slots === undefined) return undefined;
    // Not a required AVP (it would then be missing too, a parse error of its own, §6) and not the
    // Random Vector (the hidden AVPs after it would lose their key, §4.3): one flaw at a time.
    const required = messageDef(u16(msg, 18))?.requiredV2 ?? [];
    const targets = slots
      .map((s, i) => [i, s] as const)
      .filter(([i, s]) => i > 0 && !(s.vendorId === 0 && (required.includes(s.type) || s.type === RANDOM_VECTOR)));
    if (targets.length === 0) return undefined;
    return fc.tuple(fc.constantFrom(...targets), fc.integer({ min: 1, max: 15 })).map(([[i, s], r]) => {
      const bytes = with16(msg, s.offset, u16(msg, s.offset) | (r << 10));
      return mutation('avp-reserved-bits', bytes, s.mandatory ? 'peer-teardown' : 'ignored', `${describe(i, s)} reserved bits ${r} (M=${s.mandatory ? 1 : 0})`);
    });
  }),

  def('unknown-mandatory-avp', (msg) => insertAvp(msg, 'unknown-mandatory-avp', rawAvpArb({ mandatory: true }).map((a) => avpBytes(true, false, a.vendorId!, a.type, a.value)), 'peer-teardown')),

  def('unknown-ignorable-avp', (msg) => insertAvp(msg, 'unknown-ignorable-avp', rawAvpArb({ mandatory: false }).map((a) => avpBytes(false, false, a.vendorId!, a.type, a.value)), 'ignored')),

  def('vendor-avp-ietf-collision', (msg) => {
    const slots = withMessageType(msg);
    if (slots === undefined) return undefined;
    const present = [...new Set(slots.filter((s) => s.vendorId === 0).map((s) => s.type))];
    const vendor = fc.integer({ min: 1, max: 0xffff }).filter((v) => !KNOWN_VENDORS.has(v));
    const avp = fc
      .record({ vendor, type: fc.oneof(fc.constantFrom(...present), fc.integer({ min: 0, max: 39 })), value: bytesArb(0, 16) })
      .map((a) => avpBytes(false, false, a.vendor, a.type, a.value));
    return insertAvp(msg, 'vendor-avp-ietf-collision', avp, 'ignored');
  }),

  def('message-type-not-first', (msg) => {
    const slots = withMessageType(msg);
    if (slots === undefined) return undefined;
    const mt = msg.slice(12, 12 + MESSAGE_TYPE_AVP_LENGTH);
    const laters = slots.map((s, i) => [i, s] as const).filter(([i, s]) => i > 0 && !(s.vendorId === 0 && s.type === 0));
    const moved =
      laters.length === 0
        ? undefined
        : fc.constantFrom(...laters).map(([i, s]) => {
            // Move the Message Type AVP to just after AVP i.
            const after = s.offset + s.length;
            const bytes = splice(splice(msg, after, 0, mt), 12, MESSAGE_TYPE_AVP_LENGTH);
            return mutation('message-type-not-first', bytes, 'parse-error', `Message Type moved after ${describe(i, s)}`);
          });
    const before = rawAvpArb({ mandatory: false }).map((a) =>
      mutation('message-type-not-first', splice(msg, 12, 0, avpBytes(false, false, a.vendorId!, a.type, a.value)), 'parse-error', `AVP ${a.vendorId}:${a.type} inserted before Message Type`),
    );
    return moved === undefined ? before : fc.oneof(moved, before);
  }),

  def('message-type-hidden', (msg) => {
    if (withMessageType(msg) === undefined) return undefined;
    return fc.constant(mutation('message-type-hidden', with16(msg, 12, u16(msg, 12) | 0x4000), 'parse-error', 'H bit set on Message Type'));
  }),

  def('unknown-message-type', (msg) => {
    if (withMessageType(msg) === undefined) return undefined;
    return fc
      .oneof(fc.constantFrom(5, 13), fc.integer({ min: 30, max: 0xffff }))
      .filter((t) => messageDef(t) === undefined)
      .map((t) => mutation('unknown-message-type', with16(with16(msg, 12, u16(msg, 12) | 0x8000), 18, t), 'peer-teardown', `Message Type ${t} with M=1`));
  }),

  def('missing-required-avp', (msg) => {
    const slots = withMessageType(msg);
    if (slots === undefined) return undefined;
    const required = messageDef(u16(msg, 18))?.requiredV2 ?? [];
    const present = required.filter((t) => slots.some((s) => s.vendorId === 0 && s.type === t));
    if (present.length === 0) return undefined;
    return fc.constantFrom(...present).map((t) => {
      let bytes = msg;
      // Remove every occurrence, from the back so earlier offsets stay right.
      const doomed = slots.filter((s) => s.vendorId === 0 && s.type === t).reverse();
      for (const s of doomed) bytes = splice(bytes, s.offset, s.length);
      return mutation('missing-required-avp', bytes, 'parse-error', `${avpDef(0, t)?.name ?? `AVP ${t}`} removed`);
    });
  }),

  def('zero-assigned-id', (msg) => {
    const slots = withMessageType(msg);
    if (slots === undefined) return undefined;
    const type = u16(msg, 18);
    // Messages that assign an ID the receiver must then use: SCCRQ/SCCRP (Tunnel), ICRQ/ICRP/OCRQ/OCRP (Session).
    const target = type === 1 || type === 2 ? 9 : type === 10 || type === 11 || type === 7 || type === 8 ? 14 : -1;
    const hits = slots.map((s, i) => [i, s] as const).filter(([, s]) => s.vendorId === 0 && s.type === target && !s.hidden && s.length === 8);
    if (hits.length === 0) return undefined;
    return fc.constantFrom(...hits).map(([i, s]) => mutation('zero-assigned-id', with16(msg, s.offset + 6, 0), 'peer-teardown', `${describe(i, s)} value 0`));
  }),

  def('hidden-without-random-vector', (msg, ctx) => {
    const secret = ctx?.secret;
    if (secret === undefined || withMessageType(msg) === undefined) return undefined;
    // A hidden AVP right after Message Type: no Random Vector can precede it.
    return fc
      .record({ typed: hideableValueArb(), rv: bytesArb(1, 32) })
      .map(({ typed, rv }) => {
        const hidden = hideAvpValue(typed.def.type, typed.avp.value, secret, rv);
        const bytes = splice(msg, 12 + MESSAGE_TYPE_AVP_LENGTH, 0, avpBytes(typed.def.mandatory, true, 0, typed.def.type, hidden));
        return mutation('hidden-without-random-vector', bytes, 'parse-error', `hidden ${typed.def.name} before any Random Vector`);
      });
  }),

  def('hidden-length-overflow', (msg, ctx) => {
    const secret = ctx?.secret;
    if (secret === undefined || withMessageType(msg) === undefined) return undefined;
    return fc
      .record({ typed: hideableValueArb(), rv: bytesArb(1, 32), padding: bytesArb(0, 16), excess: fc.integer({ min: 1, max: 0xffff }) })
      .map(({ typed, rv, padding, excess }) => {
        const hidden = hideAvpValue(typed.def.type, typed.avp.value, secret, rv, padding);
        const room = hidden.length - 2;
        const lie = Math.min(0xffff, room + excess);
        // The Original Length is XORed with the keystream, so XOR in the difference (§4.3).
        const diff = typed.avp.value.length ^ lie;
        hidden[0] ^= diff >>> 8;
        hidden[1] ^= diff & 0xff;
        // A fresh Random Vector right before it, at the end of the message.
        const insert = new Uint8Array(6 + rv.length + 6 + hidden.length);
        insert.set(avpBytes(true, false, 0, RANDOM_VECTOR, rv), 0);
        insert.set(avpBytes(typed.def.mandatory, true, 0, typed.def.type, hidden), 6 + rv.length);
        const bytes = splice(msg, u16(msg, 2), 0, insert);
        return mutation('hidden-length-overflow', bytes, 'parse-error', `hidden ${typed.def.name}: Original Length ${lie}, room for ${room}`);
      });
  }),

  def('ns-out-of-window', (msg, ctx) => {
    if (withMessageType(msg) === undefined) return undefined;
    const w = ctx?.receiveWindow ?? 4;
    const ns = u16(msg, 8);
    return fc
      .oneof(fc.integer({ min: Math.min(w, 0x7fff), max: 0x7fff }), fc.integer({ min: -0x7fff, max: -1 }))
      .map((d) => mutation('ns-out-of-window', with16(msg, 8, (ns + d) & 0xffff), 'ignored', d > 0 ? `Ns ${d} ahead of the expected one` : `Ns ${-d} behind (an old message)`));
  }),

  def('nr-out-of-window', (msg) => {
    const nr = u16(msg, 10);
    return fc
      .integer({ min: 1, max: 0x7fff })
      .map((d) => mutation('nr-out-of-window', with16(msg, 10, (nr + d) & 0xffff), 'ignored', `Nr ${d} past the next message the receiver will send`));
  }),
];

/** Hideable rows a peer knows (RFC 2661's own). */
const HIDDEN_CANDIDATES = HIDEABLE.filter((d) => d.type <= 39);

/** A typed value small enough to hide with padding (the subformat adds 2 + padding bytes, §4.3). */
function hideableValueArb(): fc.Arbitrary<TypedAvp> {
  return fc
    .constantFrom(...HIDDEN_CANDIDATES)
    .chain((d) => typedAvpArb(d))
    .filter((t) => t.avp.value.length <= 0x3ff - 6 - 2 - 16);
}

function insertAvp(msg: Uint8Array, id: RuleId, avp: fc.Arbitrary<Uint8Array>, expect: Expectation): fc.Arbitrary<Mutation> | undefined {
  const slots = withMessageType(msg);
  if (slots === undefined) return undefined;
  const points = insertionPoints(slots);
  return fc.tuple(fc.constantFrom(...points), avp).map(([at, bytes]) =>
    mutation(id, splice(msg, at, 0, bytes), expect, `AVP ${u16(bytes, 2)}:${u16(bytes, 4)} (M=${bytes[0]! >> 7}) inserted at byte ${at}`),
  );
}

/**
 * The mutator of rule `id`.
 * @example
 * ```ts
 * const mutations = mutatorOf('unknown-mandatory-avp').mutate(hello({ tunnelId: 9 })); // expect: 'peer-teardown'
 * ```
 */
export function mutatorOf(id: RuleId): Mutator {
  const m = MUTATORS.find((x) => x.rule.id === id);
  if (m === undefined) throw new RangeError(`no mutator for rule '${String(id)}'; rules: ${MUTATORS.map((x) => x.rule.id).join(', ')}`);
  return m;
}

/** A mutation with the message it was made from. */
export interface MutatedMessage extends Mutation {
  readonly original: Uint8Array;
}

/** Options of {@link mutationArb}. */
export interface MutationOptions extends MutationContext {
  /** Only these rules. Default: all that apply to each message. */
  rules?: readonly RuleId[];
}

/**
 * Mutations of the messages `messages` yields: for each message, one of the rules that apply to
 * it (see {@link MUTATORS}), then one way of breaking it.
 * @example
 * ```ts
 * const arb = mutationArb(controlMessageArb().map((m) => m.bytes), { rules: ['avp-length-under-6'] });
 * ```
 */
export function mutationArb(messages: fc.Arbitrary<Uint8Array>, options: MutationOptions = {}): fc.Arbitrary<MutatedMessage> {
  const mutators = options.rules === undefined ? MUTATORS : options.rules.map(mutatorOf);
  return messages
    .map((original) => ({ original, arbs: mutators.map((m) => m.mutate(original, options)).filter((a): a is fc.Arbitrary<Mutation> => a !== undefined) }))
    .filter((x) => x.arbs.length > 0)
    .chain(({ original, arbs }) => fc.oneof(...arbs).map((m) => ({ ...m, original })));
}
