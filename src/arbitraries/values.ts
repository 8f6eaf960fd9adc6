/**
 * Arbitraries for AVP values: one per value-codec kind of the catalogue (RFC 2661 §4.4, RFC 3931
 * §5.4, RFC 3145), plus the sizes, bytes and strings they are made of.
 *
 * Values are *canonical*: exactly what `parseControl` decodes back (a Result Code's Error
 * Message is never empty, because an empty one is not on the wire), so a harness can compare
 * typed fields, not only bytes. Sizes lean small (dozens of AVPs per message stay cheap) but
 * reach the codec's bounds, 1017 bytes at most (the 10-bit AVP Length minus the 6-byte header,
 * RFC 2661 §4.1).
 */
import fc from 'fast-check';
import type { AvpDef, ValueCodec } from '../wire/avp-def.js';
import { utf8Length } from '../wire/value-codecs.js';

/**
 * Largest AVP value: the 10-bit AVP Length (1023) minus the 6-byte header (RFC 2661 §4.1).
 * @example
 * ```ts
 * const anyValue = bytesArb(0, MAX_AVP_VALUE_LENGTH);
 * ```
 */
export const MAX_AVP_VALUE_LENGTH = 1017;

/**
 * A length in [`min`, `max`]: mostly within 16 of `min`, sometimes anywhere, sometimes a bound.
 * @throws `RangeError` when `max < min`.
 * @example
 * ```ts
 * fc.sample(lengthArb(1, 1017), 3);   // e.g. [3, 1, 1017]
 * ```
 */
export function lengthArb(min: number, max: number): fc.Arbitrary<number> {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 0 && max >= min)) {
    throw new RangeError(`lengthArb needs integers 0 <= min <= max, got ${min}, ${max}`);
  }
  if (max - min <= 16) return fc.integer({ min, max });
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min, max: min + 16 }) },
    { weight: 2, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min, max) },
  );
}

/**
 * Random bytes, `min` to `max` long (see {@link lengthArb} for the bias).
 * @example
 * ```ts
 * const challenge = bytesArb(1, 64);
 * ```
 */
export function bytesArb(min = 0, max = MAX_AVP_VALUE_LENGTH): fc.Arbitrary<Uint8Array> {
  return lengthArb(min, max).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
}

/**
 * A well-formed string whose UTF-8 encoding is `minBytes` to `maxBytes` long: mostly ASCII
 * (control characters included), sometimes any Unicode code point.
 * @example
 * ```ts
 * const hostName = utf8StringArb(1, 64);   // a Host Name AVP value (RFC 2661 §4.4.3)
 * ```
 */
export function utf8StringArb(minBytes = 0, maxBytes = MAX_AVP_VALUE_LENGTH): fc.Arbitrary<string> {
  const ascii = lengthArb(minBytes, maxBytes).chain((n) => fc.string({ unit: 'binary-ascii', minLength: n, maxLength: n }));
  const wide = fc
    .string({ unit: 'binary', minLength: 0, maxLength: Math.max(0, Math.floor(maxBytes / 4)) })
    .filter((s) => {
      const n = utf8Length(s);
      return n >= minBytes && n <= maxBytes;
    });
  return minBytes > Math.floor(maxBytes / 4) * 4 ? ascii : fc.oneof({ weight: 4, arbitrary: ascii }, { weight: 1, arbitrary: wide });
}

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** The value lengths a bytes codec accepts (its `validate` may allow only some, e.g. 4 or 8). */
function allowedLengths(c: ValueCodec<unknown>): number[] | undefined {
  if (c.validate === undefined) return undefined;
  const ok: number[] = [];
  const zero = new Uint8Array(c.maxLength);
  for (let n = c.minLength; n <= c.maxLength; n++) {
    try {
      c.validate(zero, 0, n);
      ok.push(n);
    } catch {
      // Not an allowed length.
    }
  }
  return ok;
}

/** Optional trailing text: absent, or 1..max bytes (an empty text is not on the wire). */
function optionalText(maxBytes: number): fc.Arbitrary<string | undefined> {
  return fc.option(utf8StringArb(1, maxBytes), { nil: undefined, freq: 2 });
}

/** Drop `undefined` members, so values equal what the decoder builds. */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

const cache = new WeakMap<ValueCodec<unknown>, fc.Arbitrary<unknown>>();

/**
 * An arbitrary of canonical values for a value codec, chosen by its `kind`.
 * @throws `TypeError` for a codec kind this module does not know (teach it here first).
 * @example
 * ```ts
 * const arb = valueArb(avpDefByKey('resultCode')!.codec);   // { result, error?, message? }
 * ```
 */
export function valueArb<T>(codec: ValueCodec<T>): fc.Arbitrary<T> {
  let a = cache.get(codec as ValueCodec<unknown>);
  if (a === undefined) {
    a = makeValueArb(codec as ValueCodec<unknown>);
    cache.set(codec as ValueCodec<unknown>, a);
  }
  return a as fc.Arbitrary<T>;
}

function makeValueArb(c: ValueCodec<unknown>): fc.Arbitrary<unknown> {
  const max = c.maxLength;
  switch (c.kind) {
    case 'u8':
    case 'proxyAuthenId':
      return u8;
    case 'u16':
    case 'bits16':
      return u16;
    case 'u16nz':
      return fc.integer({ min: 1, max: 0xffff });
    case 'u32':
    case 'bits32':
      return u32;
    case 'u32nz':
      return fc.integer({ min: 1, max: 0xffffffff });
    case 'u64':
      return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    case 'string':
      return utf8StringArb(c.minLength, max);
    case 'bytes': {
      const lengths = allowedLengths(c);
      if (lengths === undefined) return bytesArb(c.minLength, max);
      return fc.constantFrom(...lengths).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
    }
    case 'empty':
      return fc.constant(true);
    case 'u16List':
      return lengthArb(c.minLength >> 1, max >> 1).chain((n) => fc.array(u16, { minLength: n, maxLength: n }));
    case 'protocolVersion':
      return fc.record({ version: u8, revision: u8 });
    case 'resultCode':
      return fc.oneof(
        fc.record({ result: u16 }),
        fc.record({ result: u16, error: u16 }),
        fc.record({ result: u16, error: u16, message: utf8StringArb(1, max - 4) }),
      );
    case 'q931Cause':
      return fc.record({ cause: u16, message: u8, advisory: optionalText(max - 3) }).map(defined);
    case 'callErrors':
      return fc.record({
        crcErrors: u32,
        framingErrors: u32,
        hardwareOverruns: u32,
        bufferOverruns: u32,
        timeoutErrors: u32,
        alignmentErrors: u32,
      });
    case 'accm':
      return fc.record({ send: u32, receive: u32 });
    case 'pppDisconnectCause':
      return fc.record({ code: u16, protocol: u16, direction: u8, message: optionalText(max - 5) }).map(defined);
    case 'messageDigest':
      return fc.record({ digestType: u8, digest: bytesArb(16, max - 1) });
    default:
      throw new TypeError(`valueArb: no arbitrary for value codec kind '${c.kind}'; add one in src/arbitraries/values.ts`);
  }
}

/**
 * Canonical values for the AVP of catalogue row `def`.
 * @example
 * ```ts
 * const ids = avpValueArb(avpDefByKey('assignedTunnelId')!);   // 1..65535
 * ```
 */
export function avpValueArb<T>(def: AvpDef<T>): fc.Arbitrary<T> {
  return valueArb(def.codec);
}

/**
 * The bytes `def`'s codec writes for `value` (a local error if the value cannot be encoded).
 * @example
 * ```ts
 * encodeValue(avpDefByKey('assignedTunnelId')!, 7);   // Uint8Array [0, 7]
 * ```
 */
export function encodeValue<T>(def: AvpDef<T>, value: T): Uint8Array {
  const n = def.codec.encodedLength(value);
  const b = new Uint8Array(n);
  def.codec.encode(value, b, 0);
  return b;
}
