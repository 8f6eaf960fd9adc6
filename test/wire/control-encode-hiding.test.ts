/**
 * The encoder's hiding at its edges (RFC 2661 §4.3, §4.4.1): the Random Vector AVP it writes, the
 * one Random Vector per message, the size bounds of the vector and of a hidden value, and the
 * default padding of each hidden AVP (hiding-plan.ts: MD5(secret | RV | 0x70 | AVP index | block)).
 * Hidden values are opened here with an independent §4.3 implementation over node:crypto's MD5.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeControl, MessageType } from '../../src/index.js';
import { hex, toHex } from '../support/hex.js';
import { revealSubformat } from '../support/hidden-reference.js';

const SECRET = 'hiding-secret';
const S = new TextEncoder().encode(SECRET);
const RV = hex('00112233 44556677 8899aabb ccddeeff');

const md5 = (...parts: Uint8Array[]) => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** §4.3 reversed by the node:crypto reference (test/support/hidden-reference.ts). */
const unhide = (type: number, hidden: Uint8Array): Uint8Array => revealSubformat(type, hidden, S, RV);

/** The AVPs after the 12-byte header: [header word, vendor, type, value]. */
function avps(b: Uint8Array): { flags: number; length: number; vendor: number; type: number; value: Uint8Array }[] {
  const out = [];
  for (let o = 12; o < b.length; ) {
    const w = (b[o]! << 8) | b[o + 1]!;
    const length = w & 0x3ff;
    out.push({ flags: w & 0xfc00, length, vendor: (b[o + 2]! << 8) | b[o + 3]!, type: (b[o + 4]! << 8) | b[o + 5]!, value: b.subarray(o + 6, o + length) });
    o += length;
  }
  return out;
}

describe('the Random Vector AVP the encoder writes (§4.3, §4.4.1)', () => {
  it('comes right after Message Type, M=1 H=0, Length 6 + its size, and is the only one even if a randomVector field is given', () => {
    const other = hex('deadbeef');
    for (const target of [undefined, new Uint8Array(200)]) {
      const b = encodeControl({ type: MessageType.HELLO, tunnelId: 1, randomVector: other, hiding: { secret: SECRET, randomVector: RV } }, target);
      // Header: Length 12 + 8 + 22 = 42; Message Type HELLO; Random Vector: 0x8000 | 22, vendor 0, type 36.
      expect(toHex(b.subarray(0, 42))).toBe('c802002a000100000000000080080000000000068016000000240011223344556677' + '8899aabbccddeeff');
      if (target === undefined) expect(b.length).toBe(42);
    }
  });

  it('a 1017-byte vector (the most an AVP holds) is written with Length 1023; 1018 and 0 bytes are RangeErrors', () => {
    const big = new Uint8Array(1017).fill(7);
    const b = encodeControl({ type: MessageType.HELLO, hiding: { secret: SECRET, randomVector: big } });
    expect(toHex(b.subarray(20, 26))).toBe('83ff00000024');
    expect(b.length).toBe(20 + 1023);
    for (const n of [1018, 0]) {
      expect(() => encodeControl({ type: MessageType.HELLO, hiding: { secret: SECRET, randomVector: new Uint8Array(n) } })).toThrow(
        new RangeError(`hiding.randomVector must be 1 to 1017 bytes, got ${n}`),
      );
    }
  });

  it('a vector that is not bytes is a TypeError naming hiding.randomVector', () => {
    expect(() => encodeControl({ type: MessageType.HELLO, hiding: { secret: SECRET, randomVector: 'rv' as never } })).toThrow(
      new TypeError('hiding.randomVector must be a Uint8Array, got string'),
    );
  });
});

describe('hidden values (§4.3)', () => {
  it('each hidden AVP gets its own default padding, derived with its index in the message', () => {
    // ICRQ (§6.6): Assigned Session ID (14, 2 bytes) then Call Serial Number (15, 4 bytes), both MAY be hidden.
    const b = encodeControl({ type: MessageType.ICRQ, tunnelId: 1, assignedSessionId: 0x1234, callSerialNumber: 1, hiding: { secret: SECRET, randomVector: RV } });
    const list = avps(b);
    expect(list.map((a) => [a.flags, a.type])).toEqual([
      [0x8000, 0],
      [0x8000, 36],
      [0xc000, 14],
      [0xc000, 15],
    ]);
    // hiding-plan.ts: r = MD5(S | RV | 0x70 | index | 0); the hidden part (2 + value + padding)
    // totals max(8, 2 + value) + r[0] mod (16 − that + 1) bytes, padded with r[1…].
    const expectHidden = (a: (typeof list)[number], index: number, value: string) => {
      const size = 2 + hex(value).length;
      const r = md5(S, RV, Uint8Array.of(0x70, index, 0));
      const total = 8 + (r[0]! % (16 - 8 + 1));
      expect(a.length).toBe(6 + total);
      const plain = unhide(a.type, a.value);
      expect(toHex(plain)).toBe(toHex(Uint8Array.of(0, size - 2)) + value + toHex(r.subarray(1, 1 + total - size)));
    };
    expectHidden(list[2]!, 0, '1234');
    expectHidden(list[3]!, 1, '00000001');
  });

  it('a value whose hidden part would exceed 1017 bytes is a RangeError naming the field', () => {
    // Vendor Name (§4.4.3, MAY be hidden): 1016 bytes + the 2-byte Original Length = 1018.
    const hiding = { secret: SECRET, randomVector: RV };
    expect(() => encodeControl({ type: MessageType.HELLO, vendorName: 'v'.repeat(1016), hiding })).toThrow(
      new RangeError('vendorName (Vendor Name AVP) is 1018 bytes encoded; an AVP holds at most 1017'),
    );
    // With explicit padding: 2 + 1000 + 16.
    expect(() => encodeControl({ type: MessageType.HELLO, vendorName: 'v'.repeat(1000), hiding: { ...hiding, padding: new Uint8Array(16) } })).toThrow(
      new RangeError('vendorName (Vendor Name AVP) is 1018 bytes encoded; an AVP holds at most 1017'),
    );
    // 1015 bytes: hidden part 1017, the most an AVP holds.
    const b = encodeControl({ type: MessageType.HELLO, vendorName: 'v'.repeat(1015), hiding });
    const last = avps(b)[2]!;
    expect([last.flags, last.length, last.type]).toEqual([0x4000, 1023, 8]);
    expect(toHex(unhide(8, last.value).subarray(0, 4))).toBe('03f77676');
  });
});
