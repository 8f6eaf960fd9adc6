/**
 * Mutators for L2TPv3 messages (RFC 3931): each breaks one rule of RFC 3931 in a valid v3
 * control message ({@link controlMessageV3Arb}) or data message ({@link dataMessageV3Arb}) and
 * says what a conformant receiver does about it. The length and AVP-format rules are those of
 * L2TPv2 (RFC 3931 §3.2.1 and §5.1 keep RFC 2661's layout), so their mutators are shared with
 * {@link MUTATORS} and relabelled here with RFC 3931's sections.
 *
 * Expectations of the control rules other than `v3-digest-*` are those of a receiver without
 * control message authentication: with it on, the digest check (§4.3) drops every mutated message
 * before anything else is looked at.
 */
import fc from 'fast-check';
import { avpDef } from '../wire/avp-catalog.js';
import { u16 } from '../wire/bytes.js';
import type { V3AuthOptions } from '../wire/v3-auth.js';
import { avpSlots, splice, with16 } from './edit.js';
import { mutatorOf } from './mutators.js';
import type { Expectation, RuleId } from './rules.js';
import type { GeneratedControlV3, GeneratedDataV3 } from './v3-messages.js';

/**
 * What a conformant receiver does with a mutated v3 message: the {@link Expectation}s, plus
 * `dropped`: well-formed, but discarded without acting on it (a data message with a wrong
 * cookie, RFC 3931 §4.5).
 */
export type V3Expectation = Expectation | 'dropped';

/** Identifiers of the rules in {@link V3_RULES}. */
export type V3RuleId =
  | 'v3-control-flags'
  | 'v3-header-reserved-bits'
  | 'v3-length-exceeds-datagram'
  | 'v3-length-below-header'
  | 'v3-length-cuts-avp'
  | 'v3-avp-length-under-6'
  | 'v3-avp-length-past-end'
  | 'v3-avp-reserved-bits'
  | 'v3-unknown-mandatory-avp'
  | 'v3-unknown-ignorable-avp'
  | 'v3-message-type-not-first'
  | 'v3-unknown-message-type'
  | 'v3-zero-assigned-id'
  | 'v3-ns-out-of-window'
  | 'v3-digest-corrupted'
  | 'v3-digest-removed'
  | 'v3-data-session-zero'
  | 'v3-data-truncated'
  | 'v3-data-reserved-bits'
  | 'v3-data-wrong-cookie'
  | 'v3-l2ss-reserved-bits';

/** One RFC 3931 rule a v3 mutation breaks. */
export interface V3Rule {
  readonly id: V3RuleId;
  readonly rfc: 'RFC 3931';
  readonly section: string;
  /** The requirement, paraphrased. */
  readonly text: string;
  /** Control or data messages. */
  readonly applies: 'control' | 'data';
  /** The `L2tpError` codes this library's parser reports, for `parse-error` rules. */
  readonly errorCodes?: readonly string[];
}

function rule(id: V3RuleId, applies: 'control' | 'data', section: string, text: string, errorCodes?: readonly string[]): V3Rule {
  return errorCodes ? { id, rfc: 'RFC 3931', section, text, applies, errorCodes } : { id, rfc: 'RFC 3931', section, text, applies };
}

/**
 * Every v3 rule, by id.
 * @example
 * ```ts
 * const r = V3_RULES['v3-data-wrong-cookie'];
 * console.log(`${r.rfc} ${r.section}: ${r.text}`);
 * ```
 */
export const V3_RULES: Readonly<Record<V3RuleId, V3Rule>> = {
  'v3-control-flags': rule('v3-control-flags', 'control', '§3.2.1', 'The L and S bits of a control message MUST be 1.', ['BAD_FLAGS']),
  'v3-header-reserved-bits': rule('v3-header-reserved-bits', 'control', '§3.2.1', 'Reserved header bits are sent as 0 and ignored on receipt.'),
  'v3-length-exceeds-datagram': rule('v3-length-exceeds-datagram', 'control', '§3.2.1', 'Length is the total length of the message; it cannot exceed what arrived.', ['BAD_LENGTH']),
  'v3-length-below-header': rule('v3-length-below-header', 'control', '§3.2.1', 'Length counts from the start of the 12-octet header, so it is at least 12.', ['BAD_LENGTH']),
  'v3-length-cuts-avp': rule('v3-length-cuts-avp', 'control', '§3.2.1, §5.1', 'The message Length ends on an AVP boundary.', ['BAD_AVP_LENGTH', 'TRUNCATED']),
  'v3-avp-length-under-6': rule('v3-avp-length-under-6', 'control', '§5.1', 'An AVP Length counts the 6-octet AVP header, so it is at least 6.', ['BAD_AVP_LENGTH']),
  'v3-avp-length-past-end': rule('v3-avp-length-past-end', 'control', '§5.1', 'An AVP cannot extend past the end of the message.', ['BAD_AVP_LENGTH']),
  'v3-avp-reserved-bits': rule('v3-avp-reserved-bits', 'control', '§5.1', 'Reserved AVP header bits are sent as 0 and ignored on receipt (unlike RFC 2661).'),
  'v3-unknown-mandatory-avp': rule('v3-unknown-mandatory-avp', 'control', '§5.2', 'An unrecognized AVP with M=1 tears down the session or control connection it belongs to.'),
  'v3-unknown-ignorable-avp': rule('v3-unknown-ignorable-avp', 'control', '§5.2', 'An unrecognized AVP with M=0 is ignored.'),
  'v3-message-type-not-first': rule('v3-message-type-not-first', 'control', '§5.4.1', 'The Message Type AVP is the first AVP of a control message.', ['MESSAGE_TYPE_NOT_FIRST']),
  'v3-unknown-message-type': rule('v3-unknown-message-type', 'control', '§5.4.1', 'An unknown Message Type with M=1 tears the control connection down.'),
  'v3-zero-assigned-id': rule('v3-zero-assigned-id', 'control', '§5.4.3, §5.4.4', 'Assigned Control Connection ID and Local Session ID are non-zero.'),
  'v3-ns-out-of-window': rule('v3-ns-out-of-window', 'control', '§4.2', 'A control message whose Ns is not the next expected one is not delivered; a duplicate is acknowledged again.'),
  'v3-digest-corrupted': rule('v3-digest-corrupted', 'control', '§4.3, §5.4.1', 'A message whose Message Digest does not match is dropped (and the control connection refused: StopCCN, Result Code 4).', ['BAD_DIGEST']),
  'v3-digest-removed': rule('v3-digest-removed', 'control', '§4.3, §5.4.1', 'With authentication on, every control message carries a Message Digest.', ['MISSING_AVP']),
  'v3-data-session-zero': rule('v3-data-session-zero', 'data', '§4.1', 'The Session ID of a data message is non-zero.', ['BAD_SESSION_ID']),
  'v3-data-truncated': rule('v3-data-truncated', 'data', '§4.1.2.1', 'A data message holds the whole session header: Session ID and the negotiated cookie.', ['TRUNCATED']),
  'v3-data-reserved-bits': rule('v3-data-reserved-bits', 'data', '§4.1.2.1', 'The x bits and the Reserved field of the data header are sent as 0 and ignored on receipt.'),
  'v3-data-wrong-cookie': rule('v3-data-wrong-cookie', 'data', '§4.5', 'A data message whose Cookie is not the one assigned for the session MUST be dropped.'),
  'v3-l2ss-reserved-bits': rule('v3-l2ss-reserved-bits', 'data', '§4.6', 'The x bits of the Default L2-Specific Sublayer are sent as 0 and ignored on receipt.'),
};

/** One mutated v3 message. */
export interface V3Mutation {
  readonly bytes: Uint8Array;
  readonly rule: V3Rule;
  readonly expect: V3Expectation;
  /** What was changed, for reports. */
  readonly detail: string;
}

/** A mutator of v3 messages. */
export interface V3Mutator {
  readonly rule: V3Rule;
  /** Mutations of `message`, or `undefined` when the rule cannot apply to it. */
  mutate(message: GeneratedControlV3 | GeneratedDataV3): fc.Arbitrary<V3Mutation> | undefined;
}

function isData(m: GeneratedControlV3 | GeneratedDataV3): m is GeneratedDataV3 {
  return 'frame' in m;
}

function mutation(id: V3RuleId, bytes: Uint8Array, expect: V3Expectation, detail: string): V3Mutation {
  return { bytes, rule: V3_RULES[id], expect, detail };
}

/** A control-message rule whose mutation is RFC 2661's (same layout, RFC 3931 §3.2.1, §5.1). */
function shared(id: V3RuleId, from: RuleId): V3Mutator {
  return {
    rule: V3_RULES[id],
    mutate(m) {
      if (isData(m)) return undefined;
      return mutatorOf(from)
        .mutate(m.bytes)
        ?.map((x) => mutation(id, x.bytes, x.expect, x.detail));
    },
  };
}

function control(id: V3RuleId, f: (m: GeneratedControlV3) => fc.Arbitrary<V3Mutation> | undefined): V3Mutator {
  return { rule: V3_RULES[id], mutate: (m) => (isData(m) ? undefined : f(m)) };
}

function data(id: V3RuleId, f: (m: GeneratedDataV3) => fc.Arbitrary<V3Mutation> | undefined): V3Mutator {
  return { rule: V3_RULES[id], mutate: (m) => (isData(m) ? f(m) : undefined) };
}

/** The control header's x bits (Figure 3.2.1: bits 2, 3 and 5–11). */
const V3_CONTROL_RESERVED = [0x2000, 0x1000, 0x0400, 0x0200, 0x0100, 0x0080, 0x0040, 0x0020, 0x0010];
/** The data header's x bits (Figure 4.1.2.1: bits 1–11). */
const V3_DATA_RESERVED = [0x4000, 0x2000, 0x1000, 0x0800, 0x0400, 0x0200, 0x0100, 0x0080, 0x0040, 0x0020, 0x0010];
const MESSAGE_DIGEST = 59;

function digestSlot(m: GeneratedControlV3): { offset: number; length: number } | undefined {
  return avpSlots(m.bytes).find((s) => s.vendorId === 0 && s.type === MESSAGE_DIGEST);
}

/**
 * Every v3 mutator, one per rule of {@link V3_RULES}.
 * @example
 * ```ts
 * const rules = V3_MUTATORS.filter((m) => m.mutate(generated) !== undefined).map((m) => m.rule.id);
 * ```
 */
export const V3_MUTATORS: readonly V3Mutator[] = [
  control('v3-control-flags', (m) =>
    fc
      .constantFrom(['L cleared', ~0x4000], ['S cleared', ~0x0800], ['L and S cleared', ~0x4800])
      .map(([what, and]) => mutation('v3-control-flags', with16(m.bytes, 0, u16(m.bytes, 0) & (and as number)), 'parse-error', what as string)),
  ),
  control('v3-header-reserved-bits', (m) =>
    fc
      .subarray(V3_CONTROL_RESERVED, { minLength: 1 })
      .map((bits) => bits.reduce((a, b) => a | b, 0))
      .map((bits) => mutation('v3-header-reserved-bits', with16(m.bytes, 0, u16(m.bytes, 0) | bits), 'ignored', `reserved bits 0x${bits.toString(16).padStart(4, '0')} set`)),
  ),
  shared('v3-length-exceeds-datagram', 'length-exceeds-datagram'),
  shared('v3-length-below-header', 'length-below-header'),
  shared('v3-length-cuts-avp', 'length-cuts-avp'),
  shared('v3-avp-length-under-6', 'avp-length-under-6'),
  shared('v3-avp-length-past-end', 'avp-length-past-end'),
  control('v3-avp-reserved-bits', (m) => {
    const slots = avpSlots(m.bytes).map((s, i) => [i, s] as const).filter(([i]) => i > 0);
    if (slots.length === 0) return undefined;
    return fc
      .tuple(fc.constantFrom(...slots), fc.integer({ min: 1, max: 15 }))
      .map(([[i, s], r]) => mutation('v3-avp-reserved-bits', with16(m.bytes, s.offset, u16(m.bytes, s.offset) | (r << 10)), 'ignored', `AVP ${i} (${s.vendorId}:${s.type}) reserved bits ${r}`));
  }),
  shared('v3-unknown-mandatory-avp', 'unknown-mandatory-avp'),
  shared('v3-unknown-ignorable-avp', 'unknown-ignorable-avp'),
  shared('v3-message-type-not-first', 'message-type-not-first'),
  shared('v3-unknown-message-type', 'unknown-message-type'),
  control('v3-zero-assigned-id', (m) => {
    // Assigned Control Connection ID (61) and Local Session ID (63): 4-octet, non-zero.
    const hits = avpSlots(m.bytes).filter((s) => s.vendorId === 0 && (s.type === 61 || s.type === 63) && !s.hidden && s.length === 10);
    if (hits.length === 0) return undefined;
    return fc.constantFrom(...hits).map((s) => {
      const b = with16(with16(m.bytes, s.offset + 6, 0), s.offset + 8, 0);
      return mutation('v3-zero-assigned-id', b, 'peer-teardown', `${avpDef(0, s.type)!.name} 0`);
    });
  }),
  control('v3-ns-out-of-window', (m) => {
    if (m.type === 0) return undefined;
    const ns = u16(m.bytes, 8);
    return fc
      .oneof(fc.integer({ min: 4, max: 0x7fff }), fc.integer({ min: -0x7fff, max: -1 }))
      .map((d) => mutation('v3-ns-out-of-window', with16(m.bytes, 8, (ns + d) & 0xffff), 'ignored', d > 0 ? `Ns ${d} ahead` : `Ns ${-d} behind`));
  }),
  control('v3-digest-corrupted', (m) => {
    const s = m.auth && digestSlot(m);
    if (!s) return undefined;
    // Any bit of the message will do (the digest covers it all, §5.4.1); often the digest itself.
    const anywhere = fc.integer({ min: 0, max: m.bytes.length * 8 - 1 });
    const inDigest = fc.integer({ min: (s.offset + 7) * 8, max: (s.offset + s.length) * 8 - 1 });
    return fc
      .oneof(inDigest, anywhere)
      // Bits that change how the message parses are other rules' business: keep the header and AVP headers.
      .filter((bit) => bit >= 96 && !avpSlots(m.bytes).some((a) => bit >= a.offset * 8 && bit < (a.offset + 6) * 8) && !(bit >= (s.offset + 6) * 8 && bit < (s.offset + 7) * 8))
      .map((bit) => {
        const b = m.bytes.slice();
        b[bit >> 3]! ^= 0x80 >> (bit & 7);
        return mutation('v3-digest-corrupted', b, 'parse-error', `bit ${bit} flipped`);
      });
  }),
  control('v3-digest-removed', (m) => {
    const s = m.auth && digestSlot(m);
    if (!s) return undefined;
    return fc.constant(mutation('v3-digest-removed', splice(m.bytes, s.offset, s.length), 'parse-error', 'Message Digest removed'));
  }),
  data('v3-data-session-zero', (d) => fc.constant(mutation('v3-data-session-zero', with16(with16(d.bytes, 4, 0), 6, 0), 'parse-error', 'Session ID 0'))),
  data('v3-data-truncated', (d) =>
    fc.integer({ min: 0, max: 7 + d.cookie.length }).map((n) => mutation('v3-data-truncated', d.bytes.slice(0, n), 'parse-error', `cut to ${n} bytes (header and cookie: ${8 + d.cookie.length})`)),
  ),
  data('v3-data-reserved-bits', (d) =>
    fc
      .tuple(fc.subarray(V3_DATA_RESERVED), fc.integer({ min: 0, max: 0xffff }))
      .filter(([bits, reserved]) => bits.length > 0 || reserved !== 0)
      .map(([bits, reserved]) => {
        const flags = bits.reduce((a, b) => a | b, 3);
        return mutation('v3-data-reserved-bits', with16(with16(d.bytes, 0, flags), 2, reserved), 'ignored', `flags 0x${flags.toString(16)}, Reserved 0x${reserved.toString(16)}`);
      }),
  ),
  data('v3-data-wrong-cookie', (d) => {
    if (d.cookie.length === 0) return undefined;
    const n = d.cookie.length;
    const flip = fc.integer({ min: 0, max: n * 8 - 1 }).map((bit) => {
      const b = d.bytes.slice();
      b[8 + (bit >> 3)]! ^= 0x80 >> (bit & 7);
      return mutation('v3-data-wrong-cookie', b, 'dropped', `cookie bit ${bit} flipped`);
    });
    // The sender left the cookie out: the receiver reads the next bytes as one (§4.5: dropped).
    const missing = fc.constant(splice8(d.bytes, n)).filter((b) => b.length >= 8 + n && !sameAt(b, 8, d.cookie)).map((b) => mutation('v3-data-wrong-cookie', b, 'dropped', 'cookie left out'));
    return d.bytes.length >= 8 + 2 * n && !sameAt(splice8(d.bytes, n), 8, d.cookie) ? fc.oneof(flip, missing) : flip;
  }),
  data('v3-l2ss-reserved-bits', (d) => {
    if (d.l2SpecificSublayer !== 1) return undefined;
    const at = 8 + d.cookie.length;
    return fc.integer({ min: 1, max: 0xbf }).filter((x) => (x & 0x40) === 0).map((x) => {
      const b = d.bytes.slice();
      b[at] = b[at]! | x;
      return mutation('v3-l2ss-reserved-bits', b, 'ignored', `sublayer x bits 0x${x.toString(16)}`);
    });
  }),
];

/** `b` without the `n` cookie bytes after the 8-byte header (a data message, so no Length to fix). */
function splice8(b: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(b.length - n);
  out.set(b.subarray(0, 8), 0);
  out.set(b.subarray(8 + n), 8);
  return out;
}

function sameAt(b: Uint8Array, at: number, x: Uint8Array): boolean {
  for (let i = 0; i < x.length; i++) if (b[at + i] !== x[i]) return false;
  return true;
}

/**
 * The v3 mutator of rule `id`.
 * @example
 * ```ts
 * const cookieFlips = v3MutatorOf('v3-data-wrong-cookie').mutate(generatedData); // expect: 'dropped'
 * ```
 */
export function v3MutatorOf(id: V3RuleId): V3Mutator {
  const m = V3_MUTATORS.find((x) => x.rule.id === id);
  if (m === undefined) throw new RangeError(`no v3 mutator for rule '${String(id)}'; rules: ${V3_MUTATORS.map((x) => x.rule.id).join(', ')}`);
  return m;
}

/** A v3 mutation with the generated message it was made from. */
export interface MutatedV3Message extends V3Mutation {
  readonly original: GeneratedControlV3 | GeneratedDataV3;
}

/**
 * Mutations of the v3 messages `messages` yields (control or data): for each, one rule that
 * applies to it, then one way of breaking it. The generated message carries what the receiver
 * must know (the cookie length, the sublayer, the digest's secret and nonces).
 * @example
 * ```ts
 * const arb = v3MutationArb(fc.oneof(controlMessageV3Arb({ secret: 's' }), dataMessageV3Arb()));
 * ```
 */
export function v3MutationArb(messages: fc.Arbitrary<GeneratedControlV3 | GeneratedDataV3>, options: { rules?: readonly V3RuleId[] } = {}): fc.Arbitrary<MutatedV3Message> {
  const mutators = options.rules === undefined ? V3_MUTATORS : options.rules.map(v3MutatorOf);
  return messages
    .map((original) => ({ original, arbs: mutators.map((m) => m.mutate(original)).filter((a): a is fc.Arbitrary<V3Mutation> => a !== undefined) }))
    .filter((x) => x.arbs.length > 0)
    .chain(({ original, arbs }) => fc.oneof(...arbs).map((m) => ({ ...m, original })));
}
