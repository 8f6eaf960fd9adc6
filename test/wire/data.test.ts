/**
 * Data messages: L2TPv2 (RFC 2661 §3.1, T=0, with every L/S/O/P combination) and L2TPv3 over
 * UDP (RFC 3931 §4.1.2.1, with a 0/4/8-byte cookie). Known answers are hand-written from the
 * RFC's header layout or taken from xl2tpd's DATA frames in test/vectors/data.hex.
 */
import { describe, expect, it } from 'vitest';
import { encodeData, parseData, parseHeader, type DataMessageV2, type DataMessageV3 } from '../../src/index.js';
import { fromHex, loadHex, toHex } from '../support/vectors.js';
import { code, expectL2tpError } from '../support/errors.js';

const LCP = 'ff03c0210101000e010405dc0506';

function v2(b: Uint8Array): DataMessageV2 {
  const d = parseData(b);
  if (d.version !== 2) throw new Error('expected v2');
  return d;
}


describe('xl2tpd DATA frames (data.hex #10, #11: flags 0x4002, an LCP Configure-Request)', () => {
  const frames = loadHex('data').filter((f) => (f.bytes[0]! & 0x80) === 0);

  it('there are two, one each way', () => expect(frames.map((f) => f.frame)).toEqual([10, 11]));

  it.each([
    [10, 0x1d64, 0xd158, `${LCP}55667788`],
    [11, 0x517c, 0x80a9, `${LCP}11223344`],
  ])('#%i parses: L=1, Length 26, no Ns/Nr, payload is the PPP frame', (frame, tunnelId, sessionId, payload) => {
    const b = frames.find((f) => f.frame === frame)!.bytes;
    const d = v2(b);
    expect({ ...d, payload: toHex(d.payload) }).toEqual({
      version: 2,
      isControl: false,
      length: 26,
      tunnelId,
      sessionId,
      ns: undefined,
      nr: undefined,
      offsetSize: undefined,
      priority: false,
      headerLength: 8,
      payload,
    });
    // The payload is a view into the input, not a copy.
    expect(d.payload.buffer).toBe(b.buffer);
    // encodeData writes the same bytes xl2tpd sent.
    expect(toHex(encodeData({ tunnelId, sessionId, payload: fromHex(payload), withLength: true }))).toBe(toHex(b));
  });
});

describe('L2TPv2 data: L, S, O, P combinations (RFC 2661 §3.1)', () => {
  // Tunnel 7, session 9, payload ff03 unless said otherwise.
  it.each([
    ['none', '0002 0007 0009 ff03', { length: undefined, ns: undefined, nr: undefined, offsetSize: undefined, priority: false, headerLength: 6 }],
    ['L', '4002 000a 0007 0009 ff03', { length: 10, ns: undefined, nr: undefined, offsetSize: undefined, priority: false, headerLength: 8 }],
    ['S', '0802 0007 0009 0001 0002 ff03', { length: undefined, ns: 1, nr: 2, offsetSize: undefined, priority: false, headerLength: 10 }],
    ['O (3 pad bytes)', '0202 0007 0009 0003 000000 ff03', { length: undefined, ns: undefined, nr: undefined, offsetSize: 3, priority: false, headerLength: 11 }],
    ['O (0 pad bytes)', '0202 0007 0009 0000 ff03', { length: undefined, ns: undefined, nr: undefined, offsetSize: 0, priority: false, headerLength: 8 }],
    ['P', '0102 0007 0009 ff03', { length: undefined, ns: undefined, nr: undefined, offsetSize: undefined, priority: true, headerLength: 6 }],
    ['L S', '4802 000e 0007 0009 fffe ffff ff03', { length: 14, ns: 0xfffe, nr: 0xffff, offsetSize: undefined, priority: false, headerLength: 12 }],
    ['L S O P', '4b02 0011 0007 0009 0001 0002 0001 00 ff03', { length: 17, ns: 1, nr: 2, offsetSize: 1, priority: true, headerLength: 15 }],
  ])('%s', (_name, hex, expected) => {
    const b = fromHex(hex.replace(/ /g, ''));
    const d = v2(b);
    expect({ ...d, payload: toHex(d.payload) }).toEqual({ version: 2, isControl: false, tunnelId: 7, sessionId: 9, ...expected, payload: 'ff03' });
    expect(parseHeader(b)).toEqual({ version: 2, isControl: false, tunnelId: 7, sessionId: 9, ...expected });
  });

  it('the payload ends at Length when L=1 (trailing bytes are not payload)', () => {
    const d = v2(fromHex('4002000a00070009ff03eeeeee'));
    expect(toHex(d.payload)).toBe('ff03');
  });

  it('reserved header bits are ignored (§3.1)', () => {
    expect(toHex(v2(fromHex('34f200070009ff03')).payload)).toBe('ff03');
  });

  it('an empty payload is allowed', () => {
    expect(v2(fromHex('000200070009')).payload.length).toBe(0);
  });

  it.each([
    ['a control message', 'c802000c0001000000000000', 'BAD_FLAGS'],
    ['Length past the input', '4002000b00070009ff03', 'BAD_LENGTH'],
    ['Length inside the header', '4002000600070009ff03', 'TRUNCATED'],
    ['ends inside Tunnel/Session ID', '00020007', 'TRUNCATED'],
    ['ends inside Ns/Nr', '080200070009000100', 'TRUNCATED'],
    ['ends inside Offset Size', '02020007000900', 'TRUNCATED'],
    ['Offset Size past the end', '0202000700090004000000', 'BAD_LENGTH'],
    ['version 1 (L2F)', '000100070009', 'BAD_VERSION'],
    ['version 0', '000000070009', 'BAD_VERSION'],
    ['one byte', '00', 'TRUNCATED'],
  ])('%s → %s', (_name, hex, expected) => {
    expect(code(() => parseData(fromHex(hex)))).toBe(expected);
  });
});

describe('L2TPv3 data over UDP (RFC 3931 §4.1.2.1): cookie length is the caller\'s', () => {
  // Flags/version 0x0003, reserved 0x0000, Session ID 0x0a0b0c0d, then the cookie and the payload.
  const b = fromHex('00030000 0a0b0c0d 11223344 55667788 ff03'.replace(/ /g, ''));

  it.each([
    [0, undefined, '112233445566778 8ff03'.replace(/ /g, '')],
    [4, '11223344', '55667788ff03'],
    [8, '1122334455667788', 'ff03'],
  ] as const)('cookie of %i bytes', (cookieLength, cookie, payload) => {
    const d = parseData(b, { cookieLength }) as DataMessageV3;
    expect(d.version).toBe(3);
    expect(d.isControl).toBe(false);
    expect(d.sessionId).toBe(0x0a0b0c0d);
    expect(d.cookie === undefined ? undefined : toHex(d.cookie)).toBe(cookie);
    expect(d.headerLength).toBe(8 + cookieLength);
    expect(toHex(d.payload)).toBe(payload);
  });

  it('encodeData writes the same layout', () => {
    expect(toHex(encodeData({ version: 3, sessionId: 0x0a0b0c0d, cookie: fromHex('1122334455667788'), payload: fromHex('ff03') }))).toBe(toHex(b));
    expect(toHex(encodeData({ version: 3, sessionId: 0xffffffff, payload: fromHex('ff03') }))).toBe('00030000ffffffffff03');
  });

  it('a message shorter than the header with its cookie → TRUNCATED', () => {
    expect(code(() => parseData(b.subarray(0, 15), { cookieLength: 8 }))).toBe('TRUNCATED');
    expect(code(() => parseData(b.subarray(0, 7)))).toBe('TRUNCATED');
  });
});

describe('encodeData (L2TPv2) known answers from the RFC 2661 §3.1 layout', () => {
  const payload = fromHex('ff03');
  it.each([
    ['plain', { tunnelId: 7, sessionId: 9, payload }, '000200070009ff03'],
    ['with Length', { tunnelId: 7, sessionId: 9, payload, withLength: true }, '4002000a00070009ff03'],
    ['with Ns/Nr', { tunnelId: 7, sessionId: 9, payload, ns: 1, nr: 2 }, '08020007000900010002ff03'],
    ['with Offset Size 3 (zero pad)', { tunnelId: 7, sessionId: 9, payload, offsetSize: 3 }, '0202000700090003000000ff03'],
    ['with priority', { tunnelId: 7, sessionId: 9, payload, priority: true }, '010200070009ff03'],
    ['everything', { tunnelId: 7, sessionId: 9, payload, withLength: true, ns: 1, nr: 2, offsetSize: 1, priority: true }, '4b0200110007000900010002000100ff03'],
  ])('%s', (_name, init, hex) => {
    const b = encodeData(init);
    expect(toHex(b)).toBe(hex);
    const d = v2(b);
    expect([d.tunnelId, d.sessionId, toHex(d.payload)]).toEqual([7, 9, 'ff03']);
  });

  it('only Ns without Nr writes no sequence numbers (S needs both)', () => {
    expect(toHex(encodeData({ tunnelId: 7, sessionId: 9, payload, ns: 1 }))).toBe('000200070009ff03');
  });

  it.each([
    ['a 5-byte v3 cookie', () => encodeData({ version: 3, sessionId: 1, cookie: new Uint8Array(5), payload }), RangeError],
    ['a payload that is not bytes', () => encodeData({ tunnelId: 1, sessionId: 1, payload: 'ppp' as never }), TypeError],
    ['a 17-bit Tunnel ID', () => encodeData({ tunnelId: 0x10000, sessionId: 1, payload }), RangeError],
    ['a 33-bit v3 Session ID', () => encodeData({ version: 3, sessionId: 2 ** 32, payload }), RangeError],
    ['over 65535 bytes with L=1', () => encodeData({ tunnelId: 1, sessionId: 1, payload: new Uint8Array(0xffff), withLength: true }), RangeError],
  ])('%s → %s', (_name, f, type) => {
    expect(f).toThrow(type);
  });

  it('with L=1 the message may be exactly 65535 bytes, not one more (the 16-bit Length field)', () => {
    // An 8-byte header (flags, Length, Tunnel ID, Session ID) and 65527 payload bytes: Length 0xffff.
    const b = encodeData({ tunnelId: 1, sessionId: 1, payload: new Uint8Array(0xffff - 8), withLength: true });
    expect([b.length, toHex(b.subarray(0, 8))]).toEqual([0xffff, '4002ffff00010001']);
    expect(() => encodeData({ tunnelId: 1, sessionId: 1, payload: new Uint8Array(0xffff - 7), withLength: true })).toThrow(
      new RangeError('data message would be 65536 bytes; the Length field holds at most 65535'),
    );
  });

  it('names what is wrong: a control message given to parseData, a payload that is not bytes', () => {
    expectL2tpError(() => parseData(fromHex('c802000c0001000000000000')), {
      code: 'BAD_FLAGS',
      offset: 0,
      reason: 'T bit is 1: a control message, not a data message',
    });
    expect(() => encodeData({ tunnelId: 1, sessionId: 1, payload: 'ppp' as never })).toThrow(new TypeError('payload must be a Uint8Array, got string'));
  });

  it('without L a data message may exceed 65535 bytes (nothing to overflow)', () => {
    expect(encodeData({ tunnelId: 1, sessionId: 1, payload: new Uint8Array(0x10000) }).length).toBe(0x10006);
  });
});
