/**
 * AVP arbitraries (RFC 2661 §4.1): typed AVPs for every catalogue row, raw AVPs this library does
 * not know, and vendor AVPs. Every one is an `AvpInit` ready for `encodeAvp` or for the
 * `avps`/`extraAvps` of `encodeControl`.
 */
import fc from 'fast-check';
import { AVP_CATALOG, avpDef } from '../wire/avp-catalog.js';
import type { AvpDef } from '../wire/avp-def.js';
import type { AvpInit } from '../wire/avp.js';
import { avpValueArb, bytesArb, encodeValue } from './values.js';

/** A typed AVP: its catalogue row, the typed value, and the AVP as encoded (M bit per the catalogue). */
export interface TypedAvp<T = unknown> {
  readonly def: AvpDef<T>;
  readonly value: T;
  readonly avp: AvpInit;
}

/**
 * Every catalogue row that can be a typed field (Message Type is the message's `type`).
 * @example
 * ```ts
 * const hideableAvp = fc.constantFrom(...TYPED_AVP_DEFS.filter((d) => d.hideable)).chain((d) => typedAvpArb(d));
 * ```
 */
export const TYPED_AVP_DEFS: readonly AvpDef[] = AVP_CATALOG.filter((d) => !(d.vendorId === 0 && d.type === 0));

/**
 * A typed AVP of catalogue row `def`, or of any row when `def` is omitted.
 * @example
 * ```ts
 * fc.assert(fc.property(typedAvpArb(), ({ avp }) => encodeAvp(avp).length >= 6));
 * ```
 */
export function typedAvpArb(def?: AvpDef): fc.Arbitrary<TypedAvp> {
  if (def !== undefined) {
    return avpValueArb(def).map((value) => ({ def, value, avp: { mandatory: def.mandatory, vendorId: def.vendorId, type: def.type, value: encodeValue(def, value) } }));
  }
  return fc.constantFrom(...TYPED_AVP_DEFS).chain((d) => typedAvpArb(d));
}

/** Vendor IDs the catalogue has rows for (0 is IETF). */
const KNOWN_VENDORS = [...new Set(AVP_CATALOG.map((d) => d.vendorId))];

/**
 * A (Vendor ID, Attribute Type) pair the catalogue does not know: an IETF type past the last
 * assigned one (or 20, reserved by RFC 2661), or a vendor the catalogue has no rows for.
 * @example
 * ```ts
 * fc.assert(fc.property(unknownAvpKeyArb(), ({ vendorId, type }) => avpDef(vendorId, type) === undefined));
 * ```
 */
export function unknownAvpKeyArb(): fc.Arbitrary<{ vendorId: number; type: number }> {
  return fc
    .oneof(
      fc.record({ vendorId: fc.constant(0), type: fc.oneof(fc.constant(20), fc.integer({ min: 104, max: 0xffff })) }),
      fc.record({ vendorId: fc.integer({ min: 1, max: 0xffff }), type: fc.integer({ min: 0, max: 0xffff }) }),
    )
    .filter((k) => avpDef(k.vendorId, k.type) === undefined);
}

/** Options of {@link rawAvpArb}. */
export interface RawAvpOptions {
  /** The M bit: fixed, or random when omitted. Unknown AVPs with M=1 oblige a teardown (§4.1). */
  mandatory?: boolean;
  /** Largest value length. Default 64. */
  maxValueLength?: number;
}

/**
 * An AVP the catalogue does not know, with random bytes as its value. Valid on the wire; with
 * M=1 a peer must tear down the tunnel or session (RFC 2661 §4.1), with M=0 ignore it.
 * @example
 * ```ts
 * const ignorable = rawAvpArb({ mandatory: false });
 * ```
 */
export function rawAvpArb(options: RawAvpOptions = {}): fc.Arbitrary<AvpInit> {
  const m = options.mandatory === undefined ? fc.boolean() : fc.constant(options.mandatory);
  return fc.record({ key: unknownAvpKeyArb(), mandatory: m, value: bytesArb(0, options.maxValueLength ?? 64) }).map(({ key, mandatory, value }) => ({
    mandatory,
    vendorId: key.vendorId,
    type: key.type,
    value,
  }));
}

/**
 * A vendor AVP: a typed row of a vendor the catalogue knows (Cisco, Broadband Forum), or an
 * unknown vendor's AVP with M=0. Never M=1, so a message carrying one stays acceptable.
 * @example
 * ```ts
 * const msg = fc.array(vendorAvpArb(), { maxLength: 3 }).map((extraAvps) => hello({ tunnelId: 9, extraAvps }));
 * ```
 */
export function vendorAvpArb(): fc.Arbitrary<AvpInit> {
  const rows = AVP_CATALOG.filter((d) => d.vendorId !== 0);
  const unknownVendor = rawAvpArb({ mandatory: false }).filter((a) => (a.vendorId ?? 0) !== 0 && !KNOWN_VENDORS.includes(a.vendorId ?? 0));
  return fc.oneof(fc.constantFrom(...rows).chain((d) => typedAvpArb(d)).map((t) => t.avp), unknownVendor);
}

/**
 * Any AVP: typed (any row), raw unknown, or vendor.
 * @example
 * ```ts
 * fc.assert(fc.property(avpArb(), (a) => decodeAvps(encodeAvp(a)).length === 1));
 * ```
 */
export function avpArb(): fc.Arbitrary<AvpInit> {
  return fc.oneof(typedAvpArb().map((t) => t.avp), rawAvpArb(), vendorAvpArb());
}
