/**
 * Local misuse of the wire API is a RangeError/TypeError saying what to change (DESIGN §4,
 * issue 12 item 5): every numeric option of src/wire is range-checked.
 */
import { describe, expect, it } from 'vitest';
import { AvpReader, decodeAvps, encodeControl, encodeData, encodeHeader, headerLength, hideAvpValue, parseData, parseHeader } from '../../src/index.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.replace(/\s/g, '').match(/../g)!.map((x) => parseInt(x, 16)));
}

// An L2TPv3 data message (RFC 3931 §4.1.2.1): flags/version 0x0003, reserved, Session ID 0x11223344, 8-byte cookie, payload.
const V3_DATA = hex('0003 0000 11223344 0102030405060708 aabb');

describe('parseData / parseHeader cookieLength (RFC 3931 §4.1: 0, 4 or 8 bytes)', () => {
  it.each([0, 4, 8] as const)('accepts %i', (cookieLength) => {
    const d = parseData(V3_DATA, { cookieLength });
    expect(d.headerLength).toBe(8 + cookieLength);
  });
  it.each([1.5, Number.NaN, 3, -1, 16, Infinity, '4'])('refuses %s with a RangeError naming cookieLength', (cookieLength) => {
    expect(() => parseData(V3_DATA, { cookieLength } as never)).toThrow(RangeError);
    expect(() => parseData(V3_DATA, { cookieLength } as never)).toThrow(/cookieLength must be 0, 4 or 8/);
    expect(() => parseHeader(V3_DATA, { cookieLength } as never)).toThrow(RangeError);
  });
});

describe('other numeric options', () => {
  it('offsetSize: an integer 0–65535, before any size is computed', () => {
    for (const offsetSize of [1.5, Number.NaN, -1, 0x10000]) {
      expect(() => headerLength({ isControl: false, tunnelId: 1, sessionId: 1, offsetSize })).toThrow(/offsetSize must be an integer/);
      expect(() => encodeData({ tunnelId: 1, sessionId: 1, payload: new Uint8Array(1), offsetSize })).toThrow(RangeError);
    }
  });
  it('AvpReader.reset: integer bounds inside the bytes', () => {
    const b = new Uint8Array(20);
    for (const [s, e] of [[Number.NaN, 20], [0.5, 20], [-1, 20], [0, 21], [10, 5]]) {
      expect(() => new AvpReader().reset(b, s!, e!)).toThrow(RangeError);
    }
    expect(new AvpReader().reset(b, 20, 20).next()).toBe(false);
  });
  it('decodeAvps, encodeControl target offset, hideAvpValue attribute type', () => {
    expect(() => decodeAvps(new Uint8Array(12), 1.5)).toThrow(RangeError);
    expect(() => encodeControl({ type: 6 }, new Uint8Array(64), Number.NaN)).toThrow(RangeError);
    expect(() => hideAvpValue(0x10000, new Uint8Array(2), 's', new Uint8Array(16))).toThrow(RangeError);
    expect(() => encodeControl({ type: 6, ns: 1.5 })).toThrow(/ns must be an integer/);
  });
});

describe('L2TPv3 Session ID 0 (RFC 3931 §4.1: "a non-zero identifier")', () => {
  it('a data message to Session ID 0 is refused on parse (BAD_SESSION_ID at byte 4)', () => {
    const zero = hex('0003 0000 00000000 aabb');
    expect(() => parseData(zero)).toThrow(expect.objectContaining({ code: 'BAD_SESSION_ID', offset: 4 }));
    expect(parseData(hex('0003 0000 00000001 aabb')).sessionId).toBe(1);
  });
  it('is never emitted: encoding it is a RangeError', () => {
    expect(() => encodeData({ version: 3, sessionId: 0, payload: new Uint8Array(2) })).toThrow(RangeError);
    expect(() => encodeHeader({ version: 3, isControl: false, sessionId: 0 })).toThrow(/non-zero/);
  });
});

describe('reserved AVP bits: v2 "unrecognized" (RFC 2661 §4.1), v3 ignored on receipt (RFC 3931 §5.1)', () => {
  // Message Type SCCRQ, then Host Name "a" with M=1 and the lowest reserved bit set (0x8407).
  const avps = '8008 0000 0000 0001  8407 0000 0007 61';
  it('v3: the Host Name is read, and the raw AVP keeps its reserved bits', async () => {
    const { parseControl } = await import('../../src/index.js');
    const m = parseControl(hex(`c803 001b 00000000 0000 0000 ${avps}`));
    expect(m.version).toBe(3);
    expect(m.hostName).toBe('a');
    expect(m.avps[1]!.reserved).toBe(1);
  });
  it('v2: the same AVP is unrecognised, so no Host Name', async () => {
    const { parseControl } = await import('../../src/index.js');
    const m = parseControl(hex(`c802 001b 0000 0000 0000 0000 ${avps}`), { requireAvps: false });
    expect(m.hostName).toBeUndefined();
    expect(m.avps[1]!.reserved).toBe(1);
  });
});
