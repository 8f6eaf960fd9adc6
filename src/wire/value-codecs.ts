/**
 * Typed value codecs for AVP values (RFC 2661 §4.4, RFC 3931 §5.4, RFC 3145).
 *
 * `decode` runs inside `parseControl` for every AVP of every message, so it indexes the caller's
 * `Uint8Array` directly: no `DataView`, and no `subarray` except where the value *is* bytes.
 * `decode` trusts the caller to have checked `length` against [`minLength`, `maxLength`] and throws
 * only `L2tpError('BAD_AVP_VALUE')` for content the definition forbids. `encodedLength` validates
 * the value (a local error: `TypeError`/`RangeError` saying what to change); `encode` then writes
 * exactly that many bytes.
 */
import type { ValueCodec } from './avp-def.js';
import { fail } from './errors.js';

/** Largest AVP value: the 10-bit AVP Length (1023) minus the 6-byte AVP header (RFC 2661 §4.1). */
const MAX = 1017;

// ---------------------------------------------------------------------------------------------
// Value types
// ---------------------------------------------------------------------------------------------

/** Protocol Version AVP value (RFC 2661 §4.4.3): L2TPv2 sends `{ version: 1, revision: 0 }`. */
export interface ProtocolVersionValue {
  readonly version: number;
  readonly revision: number;
}

/**
 * Result Code AVP value (RFC 2661 §4.4.2). The 2-byte form (`result` only) is legal and common;
 * `message` is carried only after an `error` code.
 */
export interface ResultCodeValue {
  /** Result code: its meaning depends on the message (StopCCN or CDN), see `ResultCode`. */
  readonly result: number;
  /** General error code (`GeneralError`), present when the AVP is 4 bytes or longer. */
  readonly error?: number;
  /** Human-readable Error Message, present only after an error code. */
  readonly message?: string;
}

/** Q.931 Cause Code AVP value (RFC 2661 §4.4.4): cause code, cause message, optional advisory text. */
export interface Q931CauseValue {
  /** The returned Q.931 Cause Code (2 octets). */
  readonly cause: number;
  /** The Q.931 message code (1 octet) the cause arrived in, e.g. DISCONNECT. */
  readonly message: number;
  /** Optional Advisory Msg text. */
  readonly advisory?: string;
}

/** Call Errors AVP value (RFC 2661 §4.4.6; "Circuit Errors" in RFC 3931 §5.4.5): six counters. */
export interface CallErrorsValue {
  readonly crcErrors: number;
  readonly framingErrors: number;
  readonly hardwareOverruns: number;
  readonly bufferOverruns: number;
  readonly timeoutErrors: number;
  readonly alignmentErrors: number;
}

/** ACCM AVP value (RFC 2661 §4.4.6): the PPP async control character maps the LNS negotiated. */
export interface AccmValue {
  /** Send ACCM: what the LAC should use when sending to the remote system. */
  readonly send: number;
  /** Receive ACCM: what the LAC should expect from the remote system. */
  readonly receive: number;
}

/** PPP Disconnect Cause Code AVP value (RFC 3145 §2). */
export interface PppDisconnectCauseValue {
  /** Disconnect Code (2 octets), RFC 3145 §2.1. */
  readonly code: number;
  /** The PPP Control Protocol Number that was running, e.g. 0xc021 for LCP. */
  readonly protocol: number;
  /** Direction: 0 global, 1 at peer, 2 at local. */
  readonly direction: number;
  /** Optional text. */
  readonly message?: string;
}

/** Message Digest AVP value (RFC 3931 §5.4.1): Digest Type (0 HMAC-MD5, 1 HMAC-SHA-1) and digest. */
export interface MessageDigestValue {
  readonly digestType: number;
  readonly digest: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function needUint(v: unknown, max: number, what: string): void {
  if (typeof v !== 'number') throw new TypeError(`${what} must be a number, got ${typeName(v)}`);
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`${what} must be an integer from 0 to ${max}, got ${v}`);
  }
}

function needObject(v: unknown, what: string): asserts v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new TypeError(`${what} must be an object, got ${typeName(v)}`);
  }
}

function checkSize(n: number, min: number, max: number, what: string, unit = 'bytes'): number {
  if (n < min || n > max) {
    throw new RangeError(`${what} is ${n} ${unit}; it must be ${min === max ? `exactly ${min}` : `from ${min} to ${max}`} ${unit}`);
  }
  return n;
}

function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v;
}

function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}

function get32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

// --- UTF-8 -------------------------------------------------------------------------------------

// Non-fatal: AVP strings are octets on the wire and peers send Latin-1 now and then; a typed
// field with U+FFFD is better than refusing the message (the raw bytes stay in `avps`).
// TextDecoder is a global in every runtime this library targets, but the core compiles against
// ES2022 without DOM typings, so it is reached through this minimal shape.
interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
let decoder: Utf8Decoder | undefined;
const TextDecoderCtor = (globalThis as unknown as { TextDecoder: new (label: string, options: { ignoreBOM: boolean }) => Utf8Decoder })
  .TextDecoder;

/**
 * @internal Decode `length` bytes at `o` as UTF-8. Short ASCII (host names, vendor names: the
 * usual case) is built four bytes per `String.fromCharCode` call; non-ASCII and values of 32 bytes
 * or more go to `TextDecoder`, which measured faster from about 32 bytes on (Node 20).
 */
export function decodeUtf8(b: Uint8Array, o: number, length: number): string {
  const end = o + length;
  if (length < 32) {
    let s = '';
    let i = o;
    for (; i + 4 <= end; i += 4) {
      const c0 = b[i]!;
      const c1 = b[i + 1]!;
      const c2 = b[i + 2]!;
      const c3 = b[i + 3]!;
      if ((c0 | c1 | c2 | c3) & 0x80) return slowUtf8(b, o, end);
      s += String.fromCharCode(c0, c1, c2, c3);
    }
    for (; i < end; i++) {
      const c = b[i]!;
      if (c & 0x80) return slowUtf8(b, o, end);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return slowUtf8(b, o, end);
}

function slowUtf8(b: Uint8Array, start: number, end: number): string {
  // ignoreBOM: a leading U+FEFF is part of the value, not a byte-order mark to strip.
  decoder ??= new TextDecoderCtor('utf-8', { ignoreBOM: true });
  return decoder.decode(b.subarray(start, end));
}

/** @internal UTF-8 length of `s` (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder does). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

/** @internal Write `s` as UTF-8 at `o`; returns the offset after it. */
export function encodeUtf8(s: string, b: Uint8Array, o: number): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[o++] = c;
    } else if (c < 0x800) {
      b[o++] = 0xc0 | (c >> 6);
      b[o++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && (d & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        b[o++] = 0xf0 | (c >> 18);
        b[o++] = 0x80 | ((c >> 12) & 0x3f);
        b[o++] = 0x80 | ((c >> 6) & 0x3f);
        b[o++] = 0x80 | (c & 0x3f);
      } else {
        b[o++] = 0xef; // lone surrogate → U+FFFD
        b[o++] = 0xbf;
        b[o++] = 0xbd;
      }
    } else {
      b[o++] = 0xe0 | (c >> 12);
      b[o++] = 0x80 | ((c >> 6) & 0x3f);
      b[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o;
}

function needString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string, got ${typeName(v)}`);
  return v;
}

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

// ---------------------------------------------------------------------------------------------
// Structured values
// ---------------------------------------------------------------------------------------------

/** Protocol Version (RFC 2661 §4.4.3): `Ver` (1 octet), `Rev` (1 octet). */
export const protocolVersion: ValueCodec<ProtocolVersionValue> = {
  kind: 'protocolVersion',
  minLength: 2,
  maxLength: 2,
  decode: (b, o) => ({ version: b[o]!, revision: b[o + 1]! }),
  encodedLength(v) {
    needObject(v, 'protocolVersion');
    needUint(v.version, 0xff, 'protocolVersion.version');
    needUint(v.revision, 0xff, 'protocolVersion.revision');
    return 2;
  },
  encode(v, b, o) {
    b[o] = v.version;
    b[o + 1] = v.revision;
  },
};

/**
 * Result Code (RFC 2661 §4.4.2): Result Code (2), then optionally Error Code (2), then
 * optionally an Error Message. "Presence of the Error Code and Message are indicated by the AVP
 * Length": 2 bytes → `{ result }`; 4 → `{ result, error }`; more → `{ result, error, message }`.
 * 3 bytes is a torn Error Code: `BAD_AVP_VALUE`.
 */
export const resultCode: ValueCodec<ResultCodeValue> = {
  kind: 'resultCode',
  minLength: 2,
  maxLength: MAX,
  validate(_b, o, length) {
    if (length === 3) fail('BAD_AVP_VALUE', 'Result Code AVP value is 3 bytes: the Error Code needs 2 (RFC 2661 §4.4.2)', o);
  },
  decode(b, o, length) {
    const result = (b[o]! << 8) | b[o + 1]!;
    if (length === 2) return { result };
    if (length === 3) fail('BAD_AVP_VALUE', 'Result Code AVP value is 3 bytes: the Error Code needs 2 (RFC 2661 §4.4.2)', o);
    const error = (b[o + 2]! << 8) | b[o + 3]!;
    if (length === 4) return { result, error };
    return { result, error, message: decodeUtf8(b, o + 4, length - 4) };
  },
  encodedLength(v) {
    needObject(v, 'resultCode');
    needUint(v.result, 0xffff, 'resultCode.result');
    if (v.error === undefined) {
      if (v.message !== undefined) {
        throw new TypeError('resultCode.message needs resultCode.error: the Error Message follows the Error Code (RFC 2661 §4.4.2); use error 0 for "no general error"');
      }
      return 2;
    }
    needUint(v.error, 0xffff, 'resultCode.error');
    if (v.message === undefined) return 4;
    return 4 + checkSize(utf8Length(needString(v.message, 'resultCode.message')), 0, MAX - 4, 'resultCode.message (UTF-8)');
  },
  encode(v, b, o) {
    put16(b, o, v.result);
    if (v.error === undefined) return;
    put16(b, o + 2, v.error);
    if (v.message !== undefined) encodeUtf8(v.message, b, o + 4);
  },
};

/** Q.931 Cause Code (RFC 2661 §4.4.4): Cause Code (2), Cause Msg (1), optional Advisory Msg. */
export const q931Cause: ValueCodec<Q931CauseValue> = {
  kind: 'q931Cause',
  minLength: 3,
  maxLength: MAX,
  decode(b, o, length) {
    const cause = (b[o]! << 8) | b[o + 1]!;
    const message = b[o + 2]!;
    return length === 3 ? { cause, message } : { cause, message, advisory: decodeUtf8(b, o + 3, length - 3) };
  },
  encodedLength(v) {
    needObject(v, 'q931CauseCode');
    needUint(v.cause, 0xffff, 'q931CauseCode.cause');
    needUint(v.message, 0xff, 'q931CauseCode.message');
    if (v.advisory === undefined) return 3;
    return 3 + checkSize(utf8Length(needString(v.advisory, 'q931CauseCode.advisory')), 0, MAX - 3, 'q931CauseCode.advisory (UTF-8)');
  },
  encode(v, b, o) {
    put16(b, o, v.cause);
    b[o + 2] = v.message;
    if (v.advisory !== undefined) encodeUtf8(v.advisory, b, o + 3);
  },
};

const CALL_ERROR_FIELDS = ['crcErrors', 'framingErrors', 'hardwareOverruns', 'bufferOverruns', 'timeoutErrors', 'alignmentErrors'] as const;

/**
 * Call Errors (RFC 2661 §4.4.6): Reserved (2), then CRC Errors, Framing Errors, Hardware
 * Overruns, buffer overruns, Time-out Errors, Alignment Errors (4 each). Reserved is written 0
 * and ignored on receipt.
 */
export const callErrors: ValueCodec<CallErrorsValue> = {
  kind: 'callErrors',
  minLength: 26,
  maxLength: 26,
  decode: (b, o) => ({
    crcErrors: get32(b, o + 2),
    framingErrors: get32(b, o + 6),
    hardwareOverruns: get32(b, o + 10),
    bufferOverruns: get32(b, o + 14),
    timeoutErrors: get32(b, o + 18),
    alignmentErrors: get32(b, o + 22),
  }),
  encodedLength(v) {
    needObject(v, 'callErrors');
    for (const k of CALL_ERROR_FIELDS) needUint(v[k], 0xffffffff, `callErrors.${k}`);
    return 26;
  },
  encode(v, b, o) {
    put16(b, o, 0);
    for (let i = 0; i < 6; i++) put32(b, o + 2 + 4 * i, v[CALL_ERROR_FIELDS[i]!]);
  },
};

/** ACCM (RFC 2661 §4.4.6): Reserved (2), Send ACCM (4), Receive ACCM (4). */
export const accm: ValueCodec<AccmValue> = {
  kind: 'accm',
  minLength: 10,
  maxLength: 10,
  decode: (b, o) => ({ send: get32(b, o + 2), receive: get32(b, o + 6) }),
  encodedLength(v) {
    needObject(v, 'accm');
    needUint(v.send, 0xffffffff, 'accm.send');
    needUint(v.receive, 0xffffffff, 'accm.receive');
    return 10;
  },
  encode(v, b, o) {
    put16(b, o, 0);
    put32(b, o + 2, v.send);
    put32(b, o + 6, v.receive);
  },
};

/**
 * Proxy Authen ID (RFC 2661 §4.4.5): Reserved (1 octet), then the 1-octet ID of the PPP
 * authentication in progress. The value is that ID (0–255).
 */
export const proxyAuthenId: ValueCodec<number> = {
  kind: 'proxyAuthenId',
  minLength: 2,
  maxLength: 2,
  decode: (b, o) => b[o + 1]!,
  encodedLength(v) {
    needUint(v, 0xff, 'proxyAuthenId');
    return 2;
  },
  encode(v, b, o) {
    b[o] = 0;
    b[o + 1] = v;
  },
};

/**
 * PPP Disconnect Cause Code (RFC 3145 §2): Disconnect Code (2), Control Protocol Number (2),
 * Direction (1), optional Message.
 */
export const pppDisconnectCause: ValueCodec<PppDisconnectCauseValue> = {
  kind: 'pppDisconnectCause',
  minLength: 5,
  maxLength: MAX,
  decode(b, o, length) {
    const code = (b[o]! << 8) | b[o + 1]!;
    const protocol = (b[o + 2]! << 8) | b[o + 3]!;
    const direction = b[o + 4]!;
    return length === 5 ? { code, protocol, direction } : { code, protocol, direction, message: decodeUtf8(b, o + 5, length - 5) };
  },
  encodedLength(v) {
    needObject(v, 'pppDisconnectCauseCode');
    needUint(v.code, 0xffff, 'pppDisconnectCauseCode.code');
    needUint(v.protocol, 0xffff, 'pppDisconnectCauseCode.protocol');
    needUint(v.direction, 0xff, 'pppDisconnectCauseCode.direction');
    if (v.message === undefined) return 5;
    return 5 + checkSize(utf8Length(needString(v.message, 'pppDisconnectCauseCode.message')), 0, MAX - 5, 'pppDisconnectCauseCode.message (UTF-8)');
  },
  encode(v, b, o) {
    put16(b, o, v.code);
    put16(b, o + 2, v.protocol);
    b[o + 4] = v.direction;
    if (v.message !== undefined) encodeUtf8(v.message, b, o + 5);
  },
};

/**
 * Message Digest (RFC 3931 §5.4.1): Digest Type (1 octet: 0 HMAC-MD5, 1 HMAC-SHA-1), then the
 * 16- or 20-octet digest. Other digest types keep whatever length they come with (≥ 16).
 */
export const messageDigest: ValueCodec<MessageDigestValue> = {
  kind: 'messageDigest',
  minLength: 17,
  maxLength: MAX,
  decode: (b, o, length) => ({ digestType: b[o]!, digest: b.subarray(o + 1, o + length) }),
  encodedLength(v) {
    needObject(v, 'messageDigest');
    needUint(v.digestType, 0xff, 'messageDigest.digestType');
    if (!(v.digest instanceof Uint8Array)) throw new TypeError(`messageDigest.digest must be a Uint8Array, got ${typeName(v.digest)}`);
    return 1 + checkSize(v.digest.length, 16, MAX - 1, 'messageDigest.digest');
  },
  encode(v, b, o) {
    b[o] = v.digestType;
    b.set(v.digest, o + 1);
  },
};
