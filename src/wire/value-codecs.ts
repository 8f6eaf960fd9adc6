/**
 * Scalar value codecs for AVP values (RFC 2661 §4.4, RFC 3931 §5.4): integers, bit sets, strings,
 * bytes, flags and lists. The structured ones (Result Code, Call Errors, …) are in
 * `struct-codecs.ts`; this module re-exports them, so it is the one codec namespace.
 *
 * `decode` runs inside `parseControl` for every AVP of every message, so it indexes the caller's
 * `Uint8Array` directly: no `DataView`, and no `subarray` except where the value *is* bytes.
 * `decode` trusts the caller to have checked `length` against [`minLength`, `maxLength`] and throws
 * only `L2tpError('BAD_AVP_VALUE')` for content the definition forbids. `encodedLength` validates
 * the value (a local error: `TypeError`/`RangeError` saying what to change); `encode` then writes
 * exactly that many bytes.
 */
import type { ValueCodec } from './avp-def.js';
import { checkSize, get32, MAX, needString, needUint, put16, put32, typeName } from './codec-checks.js';
import { fail } from './errors.js';
import { decodeUtf8, encodeUtf8, utf8Length } from './utf8.js';

export { decodeUtf8, encodeUtf8, utf8Length } from './utf8.js';
export * from './value-types.js';
export * from './struct-codecs.js';

// ---------------------------------------------------------------------------------------------
// Integers and bit sets
// ---------------------------------------------------------------------------------------------

/** One unsigned byte. */
export const u8: ValueCodec<number> = {
  kind: 'u8',
  minLength: 1,
  maxLength: 1,
  decode: (b, o) => b[o]!,
  encodedLength(v) {
    needUint(v, 0xff, 'value');
    return 1;
  },
  encode(v, b, o) {
    b[o] = v;
  },
};

/** 16-bit unsigned integer, big-endian. */
export const u16: ValueCodec<number> = {
  kind: 'u16',
  minLength: 2,
  maxLength: 2,
  decode: (b, o) => (b[o]! << 8) | b[o + 1]!,
  encodedLength(v) {
    needUint(v, 0xffff, 'value');
    return 2;
  },
  encode: (v, b, o) => put16(b, o, v),
};

/**
 * 16-bit identifier the RFC says is non-zero (Assigned Tunnel ID §4.4.3, Assigned Session ID
 * §4.4.4). Encoding 0 is refused; decoding accepts 0 so the state machine, not the parser,
 * decides what to do with a peer that sends it.
 */
export const nonZeroU16: ValueCodec<number> = {
  ...u16,
  kind: 'u16nz',
  encodedLength(v) {
    needUint(v, 0xffff, 'value');
    if (v === 0) throw new RangeError('value must be 1 to 65535: 0 is reserved for this ID (RFC 2661 §4.4.3/§4.4.4)');
    return 2;
  },
};

/** 32-bit unsigned integer, big-endian. */
export const u32: ValueCodec<number> = {
  kind: 'u32',
  minLength: 4,
  maxLength: 4,
  decode: get32,
  encodedLength(v) {
    needUint(v, 0xffffffff, 'value');
    return 4;
  },
  encode: (v, b, o) => put32(b, o, v),
};

/** 32-bit identifier the RFC says is non-zero (RFC 3931 Assigned Control Connection ID, §5.4.3). */
export const nonZeroU32: ValueCodec<number> = {
  ...u32,
  kind: 'u32nz',
  encodedLength(v) {
    needUint(v, 0xffffffff, 'value');
    if (v === 0) throw new RangeError('value must be 1 to 4294967295: 0 is reserved for this ID (RFC 3931 §5.4.3)');
    return 4;
  },
};

const U64_MAX = (1n << 64n) - 1n;

/** 64-bit unsigned integer as a `bigint` (RFC 3931 Tx/Rx Connect Speed, §5.4.4). */
export const u64: ValueCodec<bigint> = {
  kind: 'u64',
  minLength: 8,
  maxLength: 8,
  decode: (b, o) => (BigInt(get32(b, o)) << 32n) | BigInt(get32(b, o + 4)),
  encodedLength(v) {
    if (typeof v !== 'bigint') throw new TypeError(`value must be a bigint, got ${typeName(v)}`);
    if (v < 0n || v > U64_MAX) throw new RangeError(`value must be from 0n to 2n ** 64n - 1n, got ${v}`);
    return 8;
  },
  encode(v, b, o) {
    put32(b, o, Number(v >> 32n));
    put32(b, o + 4, Number(v & 0xffffffffn));
  },
};

/** A 32-bit bit set (Framing/Bearer Capabilities and Type, RFC 2661 §4.4.3/§4.4.4). */
export const bits32: ValueCodec<number> = { ...u32, kind: 'bits32' };

/** A 16-bit bit set (Circuit Status, RFC 3931 §5.4.5). */
export const bits16: ValueCodec<number> = { ...u16, kind: 'bits16' };

// ---------------------------------------------------------------------------------------------
// Strings, bytes, empty
// ---------------------------------------------------------------------------------------------

/**
 * A UTF-8 string of `minLength`..`maxLength` bytes (Host Name needs at least one, §4.4.3).
 * Decoding is non-fatal: malformed UTF-8 becomes U+FFFD (the raw bytes stay in `avps`).
 */
export function string(minLength = 0, maxLength = MAX): ValueCodec<string> {
  return {
    kind: 'string',
    minLength,
    maxLength,
    decode: decodeUtf8,
    encodedLength(v) {
      return checkSize(utf8Length(needString(v, 'value')), minLength, maxLength, 'string (UTF-8)');
    },
    encode(v, b, o) {
      encodeUtf8(v, b, o);
    },
  };
}

/**
 * Opaque bytes of `minLength`..`maxLength` (optionally only the `lengths` listed). Decoding
 * returns a view (`subarray`) into the message: copy it to keep it past the message's life.
 */
export function bytes(minLength = 0, maxLength = MAX, lengths?: readonly number[]): ValueCodec<Uint8Array> {
  return {
    kind: 'bytes',
    minLength,
    maxLength,
    validate:
      lengths === undefined
        ? undefined
        : (_b, o, length) => {
            if (!lengths.includes(length)) fail('BAD_AVP_VALUE', `value is ${length} bytes; only ${lengths.join(' or ')} allowed`, o);
          },
    decode(b, o, length) {
      if (lengths !== undefined && !lengths.includes(length)) {
        fail('BAD_AVP_VALUE', `value is ${length} bytes; only ${lengths.join(' or ')} allowed`, o);
      }
      return b.subarray(o, o + length);
    },
    encodedLength(v) {
      if (!(v instanceof Uint8Array)) throw new TypeError(`value must be a Uint8Array, got ${typeName(v)}`);
      if (lengths !== undefined && !lengths.includes(v.length)) {
        throw new RangeError(`value is ${v.length} bytes; it must be ${lengths.join(' or ')} bytes`);
      }
      return checkSize(v.length, minLength, maxLength, 'value');
    },
    encode(v, b, o) {
      b.set(v, o);
    },
  };
}

/** A zero-length value whose presence is the information (Sequencing Required, §4.4.4): `true`. */
export const empty: ValueCodec<true> = {
  kind: 'empty',
  minLength: 0,
  maxLength: 0,
  decode: () => true,
  encodedLength(v) {
    if (v !== true) throw new TypeError(`a flag AVP takes the value true (leave the field out for "absent"), got ${String(v)}`);
    return 0;
  },
  encode() {},
};

/** A list of 16-bit integers (Pseudowire Capabilities List, RFC 3931 §5.4.3). */
export function u16List(minCount = 0, maxCount = MAX >> 1): ValueCodec<readonly number[]> {
  return {
    kind: 'u16List',
    minLength: minCount * 2,
    maxLength: maxCount * 2,
    validate(_b, o, length) {
      if (length & 1) fail('BAD_AVP_VALUE', `a list of 16-bit values cannot be ${length} bytes (odd)`, o);
    },
    decode(b, o, length) {
      if (length & 1) fail('BAD_AVP_VALUE', `a list of 16-bit values cannot be ${length} bytes (odd)`, o);
      const out = new Array<number>(length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = (b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!;
      return out;
    },
    encodedLength(v) {
      if (!Array.isArray(v)) throw new TypeError(`value must be an array of 16-bit integers, got ${typeName(v)}`);
      checkSize(v.length, minCount, maxCount, 'list', 'entries');
      for (let i = 0; i < v.length; i++) needUint(v[i], 0xffff, `entry ${i}`);
      return v.length * 2;
    },
    encode(v, b, o) {
      for (let i = 0; i < v.length; i++) put16(b, o + 2 * i, v[i]!);
    },
  };
}
