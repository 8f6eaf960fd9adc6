/**
 * Structured value codecs (src/wire/struct-codecs.ts) at their edges: every refusal names the
 * field to change (DESIGN §4: the class and the text are the contract), the trailing text of a
 * value fills the AVP up to the 1017-octet maximum (the 10-bit AVP Length less the 6-octet header,
 * RFC 2661 §4.1) after its fixed part, and a 3-octet Result Code is torn (RFC 2661 §4.4.2).
 */
import { describe, expect, it } from 'vitest';
import * as c from '../../src/wire/value-codecs.js';
import { expectLocalError } from '../support/local-errors.js';
import { expectL2tpError } from '../support/errors.js';
import { hex } from '../support/hex.js';

describe('a refused field is named', () => {
  it.each([
    ['Protocol Version Ver', () => c.protocolVersion.encodedLength({ version: 256, revision: 0 }), 'protocolVersion.version must be an integer from 0 to 255, got 256'],
    ['Protocol Version Rev', () => c.protocolVersion.encodedLength({ version: 1, revision: 256 }), 'protocolVersion.revision must be an integer from 0 to 255, got 256'],
    ['Result Code', () => c.resultCode.encodedLength({ result: 65536 }), 'resultCode.result must be an integer from 0 to 65535, got 65536'],
    ['Error Code', () => c.resultCode.encodedLength({ result: 2, error: 65536 }), 'resultCode.error must be an integer from 0 to 65535, got 65536'],
    ['Q.931 Cause Code', () => c.q931Cause.encodedLength({ cause: 65536, message: 0 }), 'q931CauseCode.cause must be an integer from 0 to 65535, got 65536'],
    ['Q.931 Cause Msg', () => c.q931Cause.encodedLength({ cause: 0, message: 256 }), 'q931CauseCode.message must be an integer from 0 to 255, got 256'],
    [
      'Call Errors, Alignment Errors',
      () => c.callErrors.encodedLength({ crcErrors: 0, framingErrors: 0, hardwareOverruns: 0, bufferOverruns: 0, timeoutErrors: 0, alignmentErrors: 2 ** 32 }),
      'callErrors.alignmentErrors must be an integer from 0 to 4294967295, got 4294967296',
    ],
  ])('%s out of range: RangeError', (_, f, message) => {
    expectLocalError(f, RangeError, message);
  });

  it.each([
    ['Result Code', () => c.resultCode.encodedLength(null as never), 'resultCode must be an object, got null'],
    ['Result Code message', () => c.resultCode.encodedLength({ result: 2, error: 0, message: 5 as never }), 'resultCode.message must be a string, got number'],
    ['Q.931 Cause Code', () => c.q931Cause.encodedLength(null as never), 'q931CauseCode must be an object, got null'],
    ['Q.931 Advisory Msg', () => c.q931Cause.encodedLength({ cause: 0, message: 0, advisory: 5 as never }), 'q931CauseCode.advisory must be a string, got number'],
    ['Call Errors', () => c.callErrors.encodedLength(null as never), 'callErrors must be an object, got null'],
    ['PPP Disconnect Cause message', () => c.pppDisconnectCause.encodedLength({ code: 0, protocol: 0xc021, direction: 1, message: 5 as never }), 'pppDisconnectCauseCode.message must be a string, got number'],
    ['Message Digest', () => c.messageDigest.encodedLength(null as never), 'messageDigest must be an object, got null'],
    ['Message Digest digest', () => c.messageDigest.encodedLength({ digestType: 0, digest: 'x'.repeat(16) as never }), 'messageDigest.digest must be a Uint8Array, got string'],
  ])('%s of the wrong type: TypeError', (_, f, message) => {
    expectLocalError(f, TypeError, message);
  });

  it('a Message Digest shorter than HMAC-MD5 (16 octets, RFC 3931 §5.4.1) is refused', () => {
    expectLocalError(() => c.messageDigest.encodedLength({ digestType: 0, digest: new Uint8Array(15) }), RangeError, 'messageDigest.digest is 15 bytes; it must be from 16 to 1016 bytes');
  });
});

describe('trailing text fills the AVP up to 1017 octets after the fixed part', () => {
  it.each([
    ['Result Code Error Message (after 4 octets)', (s: string) => c.resultCode.encodedLength({ result: 2, error: 0, message: s }), 4, 'resultCode.message (UTF-8)'],
    ['Q.931 Advisory Msg (after 3 octets)', (s: string) => c.q931Cause.encodedLength({ cause: 0, message: 0, advisory: s }), 3, 'q931CauseCode.advisory (UTF-8)'],
    [
      'PPP Disconnect Cause message (after 5 octets, RFC 3145 §2)',
      (s: string) => c.pppDisconnectCause.encodedLength({ code: 0, protocol: 0xc021, direction: 1, message: s }),
      5,
      'pppDisconnectCauseCode.message (UTF-8)',
    ],
  ])('%s', (_, length, fixed, what) => {
    expect(length('a'.repeat(1017 - fixed))).toBe(1017);
    expectLocalError(() => length('a'.repeat(1018 - fixed)), RangeError, `${what} is ${1018 - fixed} bytes; it must be from 0 to ${1017 - fixed} bytes`);
  });
});

it('a Result Code value of 3 octets is BAD_AVP_VALUE on decode too (RFC 2661 §4.4.2)', () => {
  expectL2tpError(() => c.resultCode.decode(hex('000200'), 0, 3), {
    code: 'BAD_AVP_VALUE',
    offset: 0,
    reason: 'Result Code AVP value is 3 bytes: the Error Code needs 2 (RFC 2661 §4.4.2)',
  });
});
