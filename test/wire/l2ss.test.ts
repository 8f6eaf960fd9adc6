/**
 * The Default L2-Specific Sublayer (RFC 3931 §4.6, Figure 4.6: `|x|S|x|x|x|x|x|x|Sequence Number|`).
 * Known answers are written by hand from the figure: S is bit 1 of the first octet (0x40), the
 * Sequence Number the low 24 bits; zero is a valid number; reserved bits are sent 0, ignored on receipt.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_L2SS_LENGTH, L2SS_SEQUENCE_MODULUS, readDefaultL2ss, writeDefaultL2ss } from '../../src/index.js';
import { expectL2tpError } from '../support/errors.js';
import { hex, toHex } from '../support/hex.js';

describe('Default L2-Specific Sublayer (RFC 3931 §4.6)', () => {
  it('is 4 bytes with a 2^24 sequence space', () => {
    expect(DEFAULT_L2SS_LENGTH).toBe(4);
    expect(L2SS_SEQUENCE_MODULUS).toBe(16777216);
  });

  it.each([
    ['40000005', { sequenced: true, sequenceNumber: 5 }],
    ['40000000', { sequenced: true, sequenceNumber: 0 }], // "zero, which is a valid sequence number"
    ['40ffffff', { sequenced: true, sequenceNumber: 0xffffff }],
    ['4012abcd', { sequenced: true, sequenceNumber: 0x12abcd }],
    ['ff123456', { sequenced: true, sequenceNumber: 0x123456 }], // x bits ignored
    ['00123456', { sequenced: false, sequenceNumber: undefined }], // S=0: "MUST be ignored"
    ['bf123456', { sequenced: false, sequenceNumber: undefined }], // every bit but S
  ])('reads %s', (h, want) => expect(readDefaultL2ss(hex(h), 0)).toEqual(want));

  it('reads at an offset (after an 8-byte data header and a 4-byte cookie)', () => {
    expect(readDefaultL2ss(hex('00030000 00000001 deadbeef 40000102 aabb'), 12)).toEqual({ sequenced: true, sequenceNumber: 0x102 });
  });

  it.each([[0, '40000000'], [1, '40000001'], [0x10203, '40010203'], [0xffffff, '40ffffff'], [undefined, '00000000']])('writes %s as %s', (seq, want) => {
    const b = new Uint8Array(6).fill(0xee);
    writeDefaultL2ss(b, 1, seq);
    expect(toHex(b)).toBe(`ee${want}ee`);
  });

  it('refuses a number outside 24 bits, naming it (RangeError)', () => {
    const b = new Uint8Array(4);
    for (const bad of [-1, 0x1000000, 1.5, Number.NaN]) {
      expect(() => writeDefaultL2ss(b, 0, bad)).toThrow(
        new RangeError(`sequenceNumber must be a whole number in 0…16777215 (24 bits, RFC 3931 §4.6), got ${bad}`),
      );
    }
  });

  it('writes where the 4 bytes fit, from offset 0 to the last byte, and refuses any other offset (RangeError)', () => {
    const b = new Uint8Array(8).fill(0xee);
    writeDefaultL2ss(b, 0, 1);
    writeDefaultL2ss(b, 4, 2);
    expect(toHex(b)).toBe('4000000140000002');
    for (const offset of [5, -1, 1.5, Number.NaN, 8]) {
      expect(() => writeDefaultL2ss(b, offset, 0)).toThrow(
        new RangeError(`the 4-byte Default L2-Specific Sublayer does not fit at offset ${offset} of 8 bytes`),
      );
    }
    // Nothing was written by the refused calls.
    expect(toHex(b)).toBe('4000000140000002');
  });

  it('throws TRUNCATED (an L2tpError) when fewer than 4 bytes remain', () => {
    const reason = 'data message ends inside the 4-byte Default L2-Specific Sublayer (RFC 3931 §4.6)';
    expectL2tpError(() => readDefaultL2ss(hex('400000'), 0), { code: 'TRUNCATED', offset: 3, reason });
    expectL2tpError(() => readDefaultL2ss(hex('40000001'), 1), { code: 'TRUNCATED', offset: 4, reason });
  });
});
