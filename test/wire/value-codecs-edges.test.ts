/**
 * Scalar value codecs (src/wire/value-codecs.ts) at their edges: what a caller is told when a
 * value cannot be encoded (DESIGN §4: the class and the text are the contract), what a parser says
 * about a value of a length its definition forbids (RFC 3931 §5.4.4: an Assigned Cookie is 4 or 8
 * octets), the length bounds of lists (RFC 3931 §5.4.3: 2 octets per Pseudowire Type) and the
 * documented `kind` names.
 */
import { describe, expect, it } from 'vitest';
import { parseControl } from '../../src/wire/control.js';
import * as c from '../../src/wire/value-codecs.js';
import { expectLocalError } from '../support/local-errors.js';
import { expectL2tpError } from '../support/errors.js';
import { hex, toHex } from '../support/hex.js';

describe('integers: the value and its range are named', () => {
  it.each([
    ['u8', c.u8, 256, 'value must be an integer from 0 to 255, got 256'],
    ['u16', c.u16, 65536, 'value must be an integer from 0 to 65535, got 65536'],
    ['nonZeroU16', c.nonZeroU16, 65536, 'value must be an integer from 0 to 65535, got 65536'],
    ['u32', c.u32, 2 ** 32, 'value must be an integer from 0 to 4294967295, got 4294967296'],
    ['nonZeroU32', c.nonZeroU32, 2 ** 32, 'value must be an integer from 0 to 4294967295, got 4294967296'],
  ] as const)('%s refuses one past its maximum (RangeError)', (_, codec, v, message) => {
    expectLocalError(() => codec.encodedLength(v), RangeError, message);
  });

  it('a 32-bit ID of 0 is refused with the RFC that reserves it (RFC 3931 §5.4.3)', () => {
    expectLocalError(() => c.nonZeroU32.encodedLength(0), RangeError, 'value must be 1 to 4294967295: 0 is reserved for this ID (RFC 3931 §5.4.3)');
  });

  it('u64 (RFC 3931 §5.4.4 connect speeds) takes a bigint of 0n to 2n ** 64n - 1n', () => {
    expectLocalError(() => c.u64.encodedLength(1 as never), TypeError, 'value must be a bigint, got number');
    expectLocalError(() => c.u64.encodedLength(-1n), RangeError, 'value must be from 0n to 2n ** 64n - 1n, got -1');
    expectLocalError(() => c.u64.encodedLength(1n << 64n), RangeError, 'value must be from 0n to 2n ** 64n - 1n, got 18446744073709551616');
    expect(c.u64.encodedLength((1n << 64n) - 1n)).toBe(8);
  });
});

describe('strings, bytes and flags', () => {
  it('a string longer than its maximum is measured in UTF-8 bytes', () => {
    expectLocalError(() => c.string(1, 3).encodedLength('\u00e9\u00e9'), RangeError, 'string (UTF-8) is 4 bytes; it must be from 1 to 3 bytes');
  });

  it('bytes refuse a non-Uint8Array, a length not listed, and a size out of bounds', () => {
    expectLocalError(() => c.bytes().encodedLength([1, 2] as never), TypeError, 'value must be a Uint8Array, got array');
    expectLocalError(() => c.bytes(4, 8, [4, 8]).encodedLength(new Uint8Array(6)), RangeError, 'value is 6 bytes; it must be 4 or 8 bytes');
    expectLocalError(() => c.bytes(8, 8).encodedLength(new Uint8Array(7)), RangeError, 'value is 7 bytes; it must be exactly 8 bytes');
  });

  it('decoding a length not listed is BAD_AVP_VALUE naming the lengths allowed', () => {
    expectL2tpError(() => c.bytes(4, 8, [4, 8]).decode(new Uint8Array(6), 0, 6), { code: 'BAD_AVP_VALUE', offset: 0, reason: 'value is 6 bytes; only 4 or 8 allowed' });
  });

  it('a flag AVP takes only true', () => {
    expectLocalError(() => c.empty.encodedLength(false as never), TypeError, 'a flag AVP takes the value true (leave the field out for "absent"), got false');
  });
});

describe('the parser applies the listed lengths of bytes values, and only where there is a list', () => {
  // v3 ICRQ (Message Type 10), Control Connection ID 1; Assigned Cookie is IETF type 65 (0x41).
  const icrqWithCookie = (cookie: string) => {
    const avp = `80${(6 + cookie.length / 2).toString(16).padStart(2, '0')} 0000 0041 ${cookie}`;
    const total = 12 + 8 + 6 + cookie.length / 2;
    return hex(`c803 ${total.toString(16).padStart(4, '0')} 00000001 0000 0000 8008 0000 0000 000a ${avp}`);
  };

  it('an Assigned Cookie of 6 octets is refused (RFC 3931 §5.4.4: 4 or 8)', () => {
    expectL2tpError(() => parseControl(icrqWithCookie('010203040506')), {
      code: 'BAD_AVP_VALUE',
      offset: 20,
      reason: 'Assigned Cookie AVP: value is 6 bytes; only 4 or 8 allowed',
    });
  });

  it('an Assigned Cookie of 8 octets is read as those octets', () => {
    const m = parseControl(icrqWithCookie('0102030405060708')) as unknown as { assignedCookie: Uint8Array };
    expect(toHex(m.assignedCookie)).toBe('0102030405060708');
  });

  it('a Challenge (RFC 2661 §4.4.3: any length, at least 1) is read as its octets', () => {
    // SCCRQ (Message Type 1) with only a 3-octet Challenge (type 11); required AVPs not enforced.
    const m = parseControl(hex('c802 001d 0000 0000 0000 0000 8008 0000 0000 0001 8009 0000 000b 0a0b0c'), { requireAvps: false });
    expect(toHex((m as unknown as { challenge: Uint8Array }).challenge)).toBe('0a0b0c');
  });
});

describe('lists of 16-bit values (Pseudowire Capabilities List, RFC 3931 §5.4.3)', () => {
  it('take 2 octets per entry in their length bounds', () => {
    const list = c.u16List(1, 4);
    expect({ minLength: list.minLength, maxLength: list.maxLength }).toEqual({ minLength: 2, maxLength: 8 });
  });

  it('refuse a non-array, a count out of bounds and an entry out of range', () => {
    expectLocalError(() => c.u16List().encodedLength('ab' as never), TypeError, 'value must be an array of 16-bit integers, got string');
    expectLocalError(() => c.u16List().encodedLength(5 as never), TypeError, 'value must be an array of 16-bit integers, got number');
    expectLocalError(() => c.u16List(1, 2).encodedLength([]), RangeError, 'list is 0 entries; it must be from 1 to 2 entries');
    expectLocalError(() => c.u16List().encodedLength([1, 65536]), RangeError, 'entry 1 must be an integer from 0 to 65535, got 65536');
  });

  it('decoding an odd length is BAD_AVP_VALUE', () => {
    expectL2tpError(() => c.u16List().decode(new Uint8Array(3), 0, 3), { code: 'BAD_AVP_VALUE', offset: 0, reason: 'a list of 16-bit values cannot be 3 bytes (odd)' });
  });
});

it('codecs carry the kind names ValueCodec documents', () => {
  expect([c.string().kind, c.bytes().kind, c.u16List().kind]).toEqual(['string', 'bytes', 'u16List']);
});
