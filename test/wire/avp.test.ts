import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AvpReader, decodeAvps, encodeAvp, ParsedAvp } from '../../src/wire/avp.js';
import { L2tpError } from '../../src/wire/errors.js';
import { hex, toHex } from '../support/hex.js';
import { code } from '../support/errors.js';
import { runs } from '../runs.js';

// The AVPs of xl2tpd's SCCRQ (test/vectors/plain.hex frame 1), after the 12-byte header.
const SCCRQ_AVPS = hex(
  '80080000000000018008000000020100800a0000000300000003800a00000004000000000008000000060690800f000000076c61632d706c61696e00130000000878656c6572616e63652e636f6d800800000009b57480080000000a0004',
);


describe('decodeAvps (RFC 2661 §4.1)', () => {
  it('walks xl2tpd SCCRQ AVPs: types, flags and lengths as tshark decoded them', () => {
    const avps = decodeAvps(SCCRQ_AVPS);
    // plain.summary.txt: 0[M]/8 2[M]/8 3[M]/10 4[M]/10 6[]/8 7[M]/15 8[]/19 9[M]/8 10[M]/8
    expect(avps.map((a) => [a.type, a.mandatory, a.valueLength + 6])).toEqual([
      [0, true, 8], [2, true, 8], [3, true, 10], [4, true, 10], [6, false, 8], [7, true, 15], [8, false, 19], [9, true, 8], [10, true, 8],
    ]);
    expect(new TextDecoder().decode(avps[5]!.value)).toBe('lac-plain');
    expect(avps.every((a) => !a.hidden && a.vendorId === 0 && a.reserved === undefined)).toBe(true);
  });

  it('keys on (vendor, type): a vendor AVP with an IETF type number stays a vendor AVP', () => {
    const [a] = decodeAvps(hex('800a 0009 0007 61626364'));
    expect([a!.vendorId, a!.type]).toEqual([9, 7]);
  });

  it('skips an unknown non-mandatory AVP by its length and reads the ones after it', () => {
    const avps = decodeAvps(hex('000a 0000 0063 61626364 8008 0000 0009 1234'));
    expect(avps.map((a) => a.type)).toEqual([99, 9]);
    expect(toHex(avps[1]!.value)).toBe('1234');
  });

  it('rejects AVP lengths 0 to 5 with BAD_AVP_LENGTH at the AVP offset', () => {
    for (let len = 0; len < 6; len++) {
      const b = hex('8008000000000001 0000 0000 0000');
      b[8] = 0x80;
      b[9] = len;
      try {
        decodeAvps(b);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(L2tpError);
        expect((e as L2tpError).code).toBe('BAD_AVP_LENGTH');
        expect((e as L2tpError).offset).toBe(8);
      }
    }
  });

  it('rejects an AVP whose length runs past the end (xl2tpd: "Invalid AVP length")', () => {
    expect(code(() => decodeAvps(hex('8014 0000 0007 61626364')))).toBe('BAD_AVP_LENGTH');
  });

  it('rejects trailing bytes too short for an AVP header', () => {
    expect(code(() => decodeAvps(hex('8008 0000 0009 1234 8000')))).toBe('TRUNCATED');
  });

  it('reports the reserved bits (§4.1: non-zero means unrecognised)', () => {
    const [a] = decodeAvps(hex('8408 0000 0009 1234'));
    expect(a!.reserved).toBe(1);
  });

  it('reads bytes only inside [offset, end)', () => {
    const b = hex('ffff 8008 0000 0009 1234 ffff');
    expect(decodeAvps(b, 2, 10).map((a) => a.type)).toEqual([9]);
  });

  it('throws RangeError for a bad range (local misuse)', () => {
    expect(() => decodeAvps(SCCRQ_AVPS, 5, 1000)).toThrow(RangeError);
  });
});

describe('AvpReader', () => {
  it('walks the same AVPs as decodeAvps without allocating records', () => {
    const r = new AvpReader(SCCRQ_AVPS);
    const seen: number[] = [];
    while (r.next()) seen.push(r.type);
    expect(seen).toEqual([0, 2, 3, 4, 6, 7, 8, 9, 10]);
  });
  it('reads each header field of the current AVP: vendor AVP, then an IETF one, at an offset', () => {
    // Cisco (9) type 7 "abcd", then IETF Assigned Tunnel ID 0x1234 (M=1), after 3 bytes of junk.
    const b = hex('ffffff c00a 0009 0007 61626364 8008 0000 0009 1234');
    const r = new AvpReader(b, 3);
    const seen: unknown[] = [];
    while (r.next()) seen.push([r.offset, r.vendorId, r.type, r.mandatory, r.hidden, r.reserved, r.valueOffset, r.valueLength, toHex(r.value())]);
    expect(seen).toEqual([
      [3, 9, 7, true, true, 0, 9, 4, '61626364'],
      [13, 0, 9, true, false, 0, 19, 2, '1234'],
    ]);
  });
  it('reads integers from the current value', () => {
    const r = new AvpReader(SCCRQ_AVPS);
    while (r.next() && r.type !== 9);
    expect(r.u16()).toBe(46452);
    r.reset(SCCRQ_AVPS, 0);
    r.next();
    r.next();
    r.next();
    expect(r.u32()).toBe(3);
  });
  it('agrees with decodeAvps on any input (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        let fromDecode: string;
        try {
          fromDecode = decodeAvps(b).map((a) => `${a.offset}:${a.vendorId}:${a.type}:${a.valueLength}`).join();
        } catch (e) {
          expect(e).toBeInstanceOf(L2tpError);
          fromDecode = 'error';
        }
        const r = new AvpReader(b);
        const seen: string[] = [];
        try {
          while (r.next()) seen.push(`${r.offset}:${r.vendorId}:${r.type}:${r.valueLength}`);
        } catch (e) {
          expect(e).toBeInstanceOf(L2tpError);
          seen.length = 0;
          seen.push('error');
        }
        expect(seen.join()).toBe(fromDecode);
      }),
      { numRuns: runs(10000) },
    );
  });
});

describe('encodeAvp', () => {
  it("writes xl2tpd's Host Name AVP", () => {
    expect(toHex(encodeAvp({ mandatory: true, type: 7, value: new TextEncoder().encode('lac-plain') }))).toBe('800f000000076c61632d706c61696e');
  });
  it('writes H, reserved bits and vendor ID', () => {
    expect(toHex(encodeAvp({ hidden: true, reserved: 15, vendorId: 3561, type: 1, value: hex('aa') }))).toBe('7c070de90001aa');
  });
  it('rejects values over 1017 bytes', () => {
    expect(() => encodeAvp({ type: 7, value: new Uint8Array(1018) })).toThrow(/at most 1017/);
    expect(encodeAvp({ type: 7, value: new Uint8Array(1017) }).length).toBe(1023);
  });
  it('round-trips (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          mandatory: fc.boolean(),
          hidden: fc.boolean(),
          reserved: fc.integer({ min: 0, max: 15 }),
          vendorId: fc.integer({ min: 0, max: 0xffff }),
          type: fc.integer({ min: 0, max: 0xffff }),
          value: fc.uint8Array({ maxLength: 1017 }),
        }),
        (a) => {
          const [p] = decodeAvps(encodeAvp(a));
          expect(p).toBeInstanceOf(ParsedAvp);
          expect(p!.toObject()).toEqual({ ...a, reserved: a.reserved || undefined });
        },
      ),
      { numRuns: runs(2000) },
    );
  });
});
