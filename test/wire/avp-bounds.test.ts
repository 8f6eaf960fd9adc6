/**
 * The generic AVP layer at its boundaries (RFC 2661 §4.1: `|M|H|rsvd|Length| Vendor ID | Attribute
 * Type | Value`, Length counting the 6-byte header): AVP Lengths 5, 6 and 7, a Length running past
 * the end, trailing bytes shorter than a header, each with the exact code, offset and reason; the
 * getters of both readers; and each local misuse named. AVP bytes are written by hand.
 */
import { describe, expect, it } from 'vitest';
import { AvpReader, avpLength, decodeAvps, encodeAvp } from '../../src/wire/avp.js';
import { expectL2tpError } from '../support/errors.js';
import { hex, toHex } from '../support/hex.js';

describe('decodeAvps refuses each malformed AVP list with code, offset and reason', () => {
  it.each([
    ['AVP Length 5', '8005 0000 0009 1234', 'BAD_AVP_LENGTH', 0, 'AVP Length 5 is under the 6-byte minimum'],
    ['AVP Length 0 after a good AVP', '8008 0000 0009 1234 0000 0000 0000', 'BAD_AVP_LENGTH', 8, 'AVP Length 0 is under the 6-byte minimum'],
    ['AVP Length 20 in 10 bytes', '8014 0000 0007 61626364', 'BAD_AVP_LENGTH', 0, 'AVP Length 20 runs 10 bytes past the end of the message'],
    ['AVP Length 9 in 8 bytes, second AVP', '8008 0000 0009 1234 8009 0000 0009 1234', 'BAD_AVP_LENGTH', 8, 'AVP Length 9 runs 1 bytes past the end of the message'],
    ['2 bytes after the last AVP', '8008 0000 0009 1234 8000', 'TRUNCATED', 8, '2 bytes left after the last AVP, fewer than an AVP header'],
    ['5 bytes after the last AVP', '8008 0000 0009 1234 8006 0000 00', 'TRUNCATED', 8, '5 bytes left after the last AVP, fewer than an AVP header'],
    ['1 byte alone', '80', 'TRUNCATED', 0, '1 bytes left after the last AVP, fewer than an AVP header'],
  ])('%s', (_name, bytes, code, offset, reason) => {
    expectL2tpError(() => decodeAvps(hex(bytes)), { code, offset, reason });
    // The cursor says the same.
    const r = new AvpReader(hex(bytes));
    expectL2tpError(() => {
      while (r.next());
    }, { code, offset, reason });
  });

  it('counts `end`, not the array, as the end of the message', () => {
    // The second AVP (Length 8 at 8) would fit the array but not [0, 14).
    expectL2tpError(() => decodeAvps(hex('8008 0000 0009 1234 8008 0000 0009 1234'), 0, 14), {
      code: 'BAD_AVP_LENGTH',
      offset: 8,
      reason: 'AVP Length 8 runs 2 bytes past the end of the message',
    });
  });

  it('accepts AVP Length 6 (an empty value) and 7, each ending exactly at the end', () => {
    const avps = decodeAvps(hex('8006 0000 0000 0007 0000 0063 ab'));
    expect(avps.map((a) => [a.offset, a.type, a.mandatory, a.valueOffset, a.valueLength, toHex(a.value)])).toEqual([
      [0, 0, true, 6, 0, ''],
      [6, 99, false, 12, 1, 'ab'],
    ]);
  });
});

describe('the AVP records', () => {
  it('ParsedAvp: valueOffset is 6 past the AVP; reserved is a key only when set (toObject, toJSON)', () => {
    const [plain, flagged] = decodeAvps(hex('8008 0000 0009 1234 bc08 0000 0009 5678'));
    expect([plain!.valueOffset, flagged!.valueOffset]).toEqual([6, 14]);
    expect(plain!.toObject()).toStrictEqual({ mandatory: true, hidden: false, vendorId: 0, type: 9, value: hex('1234') });
    expect(JSON.stringify(plain)).toBe('{"mandatory":true,"hidden":false,"vendorId":0,"type":9,"value":"1234"}');
    expect(Object.keys(plain!.toJSON())).toEqual(['mandatory', 'hidden', 'vendorId', 'type', 'value']);
    // 0xbc08: M=1, H=0, the four reserved bits all set (15), Length 8.
    expect(flagged!.toObject()).toStrictEqual({ mandatory: true, hidden: false, reserved: 15, vendorId: 0, type: 9, value: hex('5678') });
    expect(flagged!.toJSON()).toStrictEqual({ mandatory: true, hidden: false, reserved: 15, vendorId: 0, type: 9, value: '5678' });
  });

  it('AvpReader: the reserved bits, and integers at an offset into the value', () => {
    // 0x8410: reserved bits 0001 (1), Length 16; value 0001 0002 0003 0004 0005.
    const r = new AvpReader(hex('8410 0000 0063 0001 0002 0003 0004 0005 bc06 0000 0000'));
    expect(r.next()).toBe(true);
    expect(r.reserved).toBe(1);
    expect([r.u16(), r.u16(2), r.u16(8)]).toEqual([1, 2, 5]);
    expect([r.u32(), r.u32(2), r.u32(6)]).toEqual([0x00010002, 0x00020003, 0x00040005]);
    expect(r.next()).toBe(true);
    expect(r.reserved).toBe(15);
    expect(r.next()).toBe(false);
  });

  it('avpLength is the 6-byte header plus the value', () => {
    expect(avpLength({ type: 9, value: new Uint8Array(0) })).toBe(6);
    expect(avpLength({ type: 9, value: hex('0007') })).toBe(8);
    expect(avpLength({ type: 7, value: new Uint8Array(1017) })).toBe(1023);
  });
});

describe('local misuse of the AVP layer is a TypeError / RangeError naming what to change', () => {
  const b10 = hex('8008 0000 0009 1234 0000');

  it('AvpReader.reset and decodeAvps bounds', () => {
    expect(() => new AvpReader().reset(b10, 5, 3)).toThrow(
      new RangeError('AvpReader.reset: need integers 0 ≤ start ≤ end ≤ 10 (bytes.length), got start 5, end 3'),
    );
    for (const [start, end] of [[-1, 3], [0.5, 3], [0, 11], [Number.NaN, 3], [0, Number.NaN], [0, 5.5]]) {
      expect(() => new AvpReader().reset(b10, start!, end)).toThrow(
        new RangeError(`AvpReader.reset: need integers 0 ≤ start ≤ end ≤ 10 (bytes.length), got start ${start}, end ${end}`),
      );
    }
    // The edges themselves are fine: an empty range walks nothing.
    expect(new AvpReader().reset(b10, 10, 10).next()).toBe(false);
    expect(new AvpReader().reset(b10, 0, 0).next()).toBe(false);
    expect(() => decodeAvps(b10, 0, 11)).toThrow(new RangeError('end must be an integer from 0 to 10, got 11'));
    expect(() => decodeAvps(b10, 4, 3)).toThrow(new RangeError('offset must be an integer from 0 to 3, got 4'));
    expect(() => decodeAvps('8008' as never)).toThrow(new TypeError('bytes must be a Uint8Array, got string'));
  });

  it('encodeAvp names the AVP whose value is wrong (vendor 0 when not given)', () => {
    expect(() => encodeAvp({ type: 7, value: 'lac' as never })).toThrow(new TypeError('value of AVP 0:7 must be a Uint8Array, got string'));
    expect(() => encodeAvp({ vendorId: 9, type: 7, value: null as never })).toThrow(new TypeError('value of AVP 9:7 must be a Uint8Array, got null'));
    expect(() => encodeAvp({ type: 7, value: new Uint8Array(1018) })).toThrow(new RangeError('value of AVP 0:7 is 1018 bytes; an AVP holds at most 1017'));
  });

  it('encodeAvp names the header field out of range', () => {
    const value = hex('0007');
    expect(() => encodeAvp({ vendorId: 0x10000, type: 9, value })).toThrow(new RangeError('vendorId must be an integer from 0 to 65535, got 65536'));
    expect(() => encodeAvp({ type: -1, value })).toThrow(new RangeError('AVP type must be an integer from 0 to 65535, got -1'));
    expect(() => encodeAvp({ reserved: 16, type: 9, value })).toThrow(new RangeError('reserved must be an integer from 0 to 15, got 16'));
  });

  it('encodeAvp writes into a target only where the whole AVP fits', () => {
    const target = new Uint8Array(10).fill(0xee);
    expect(toHex(encodeAvp({ mandatory: true, type: 9, value: hex('0007') }, target, 2))).toBe('eeee' + '800800000009' + '0007');
    expect(() => encodeAvp({ type: 9, value: hex('0007') }, target, 3)).toThrow(new RangeError('offset must be an integer from 0 to 2, got 3'));
  });
});
