/**
 * Structured value codecs (RFC 2661 §4.4.2–§4.4.6, RFC 3145 §2, RFC 3931 §5.4.1): values made
 * of several fields. Same contract as the scalar codecs in `value-codecs.ts`.
 */
import type { ValueCodec } from './avp-def.js';
import { checkSize, get32, MAX, needObject, needString, needUint, put16, put32, typeName } from './codec-checks.js';
import { fail } from './errors.js';
import { decodeUtf8, encodeUtf8, utf8Length } from './utf8.js';
import type { AccmValue, CallErrorsValue, MessageDigestValue, PppDisconnectCauseValue, ProtocolVersionValue, Q931CauseValue, ResultCodeValue } from './value-types.js';

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
