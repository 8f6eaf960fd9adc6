/**
 * Header errors at their boundaries: each malformed header is refused with the exact code, the
 * offset of the field at fault and a message naming it; each field of encodeHeader that is out of
 * range is refused with a RangeError naming the field. Every byte string is written by hand from
 * the layouts of RFC 2661 §3.1 (L2TPv2: flags word, [Length], Tunnel ID, Session ID, [Ns, Nr],
 * [Offset Size, pad]) and RFC 3931 §3.2.1 / §4.1.2.1 (L2TPv3 over UDP), never by our encoder.
 */
import { describe, expect, it } from 'vitest';
import { encodeHeader, headerLength, parseHeader, type HeaderInit } from '../../src/wire/header.js';
import { expectL2tpError } from '../support/errors.js';
import { hex, toHex } from '../support/hex.js';

describe('parseHeader refuses each malformed L2TPv2 header with code, offset and reason (RFC 2661 §3.1)', () => {
  it.each([
    ['no bytes', '', 'TRUNCATED', 0, 'message shorter than the 2-byte flags word'],
    ['1 byte', 'c8', 'TRUNCATED', 1, 'message shorter than the 2-byte flags word'],
    // 2 bytes are enough to read the version: a lone flags word is judged by it.
    ['version 1 in 2 bytes', '0001', 'BAD_VERSION', 1, 'version 1 is L2F (RFC 2341), not L2TP'],
    ['version 1 with a full header', 'c801000c 00000000 00000000', 'BAD_VERSION', 1, 'version 1 is L2F (RFC 2341), not L2TP'],
    ['version 0', '0000 0007 0009', 'BAD_VERSION', 1, 'unknown L2TP version 0'],
    ['version 4', 'c804000c 00000000 00000000', 'BAD_VERSION', 1, 'unknown L2TP version 4'],
    ['L=1, 2 bytes', '4002', 'TRUNCATED', 2, 'message ends inside the Length field'],
    ['L=1, 3 bytes', '4002 00', 'TRUNCATED', 3, 'message ends inside the Length field'],
    // With the Length field whole, the Length it holds is where the message ends.
    ['L=1, 4 bytes, Length 4', '4002 0004', 'TRUNCATED', 4, 'message ends inside Tunnel ID / Session ID'],
    ['L=1, 4 bytes, Length 3', '4002 0003', 'TRUNCATED', 3, 'message ends inside Tunnel ID / Session ID'],
    ['L=1, Length 7 of 8 bytes', '4002 0007 0007 0009', 'TRUNCATED', 7, 'message ends inside Tunnel ID / Session ID'],
    ['Length 106 in 12 bytes', 'c802006a 00000000 00000000', 'BAD_LENGTH', 2, 'Length 106 exceeds the 12 bytes received'],
    ['Length 9 in 8 bytes', '4002 0009 0007 0009', 'BAD_LENGTH', 2, 'Length 9 exceeds the 8 bytes received'],
    ['no L, 5 bytes', '0002 0007 00', 'TRUNCATED', 5, 'message ends inside Tunnel ID / Session ID'],
    ['S=1, 9 bytes', '0802 0007 0009 0001 00', 'TRUNCATED', 9, 'message ends inside Ns / Nr'],
    ['L=1 S=1, Length 11 of 12 bytes', 'c802 000b 0007 0000 0001 0002', 'TRUNCATED', 11, 'message ends inside Ns / Nr'],
    ['O=1, 7 bytes', '0202 0007 0009 00', 'TRUNCATED', 7, 'message ends inside Offset Size'],
    // The offset points at the Offset Size field itself.
    ['Offset Size 4, 3 pad bytes', '0202 0007 0009 0004 000000', 'BAD_LENGTH', 6, 'Offset Size 4 runs past the end of the message'],
    ['Offset Size 16, 1 pad byte', '0202 0001 0002 0010 00', 'BAD_LENGTH', 6, 'Offset Size 16 runs past the end of the message'],
    ['L S O: Offset Size 1 past Length 14', '4a02 000e 0007 0009 0001 0002 0001 00', 'BAD_LENGTH', 12, 'Offset Size 1 runs past the end of the message'],
  ])('%s', (_name, bytes, code, offset, reason) => {
    expectL2tpError(() => parseHeader(hex(bytes)), { code, offset, reason });
  });

  it('accepts the same headers at their exact lengths', () => {
    expect(parseHeader(hex('4002 0008 0007 0009'))).toMatchObject({ length: 8, tunnelId: 7, sessionId: 9, headerLength: 8 });
    expect(parseHeader(hex('0002 0007 0009'))).toMatchObject({ length: undefined, headerLength: 6 });
    expect(parseHeader(hex('0802 0007 0009 0001 0002'))).toMatchObject({ ns: 1, nr: 2, headerLength: 10 });
    expect(parseHeader(hex('0202 0007 0009 0004 00000000'))).toMatchObject({ offsetSize: 4, headerLength: 12 });
    expect(parseHeader(hex('4a02 000f 0007 0009 0001 0002 0001 00'))).toMatchObject({ length: 15, offsetSize: 1, headerLength: 15 });
  });
});

describe('parseHeader refuses each malformed L2TPv3 header (RFC 3931 §3.2.1, §4.1.2.1)', () => {
  it.each([
    ['control without S', 'c003 000c 00000001 0000 0000', 'BAD_FLAGS', 0, 'L2TPv3 control message without the L and S bits set'],
    ['control without L', '8803 000c 00000001 0000 0000', 'BAD_FLAGS', 0, 'L2TPv3 control message without the L and S bits set'],
    ['control, 2 bytes', 'c803', 'TRUNCATED', 2, 'L2TPv3 control header is 12 bytes'],
    ['control, 6 bytes', 'c803 000c 0000', 'TRUNCATED', 6, 'L2TPv3 control header is 12 bytes'],
    ['control, 11 bytes', 'c803 000c 00000001 0000 00', 'TRUNCATED', 11, 'L2TPv3 control header is 12 bytes'],
    ['control, Length 13 in 12 bytes', 'c803 000d 00000001 0000 0000', 'BAD_LENGTH', 2, 'Length 13 exceeds the 12 bytes received'],
    ['control, Length 11', 'c803 000b 00000001 0000 0000', 'BAD_LENGTH', 2, 'Length 11 is shorter than the 12-byte header'],
    ['control, Length 0', 'c803 0000 00000001 0000 0000 00', 'BAD_LENGTH', 2, 'Length 0 is shorter than the 12-byte header'],
    ['data, 7 bytes', '0003 0000 000001', 'TRUNCATED', 7, 'L2TPv3 data header with a 0-byte cookie is 8 bytes'],
    ['data to Session ID 0', '0003 0000 00000000 ff03', 'BAD_SESSION_ID', 4, 'L2TPv3 data message with Session ID 0 (RFC 3931 §4.1: non-zero)'],
  ])('%s', (_name, bytes, code, offset, reason) => {
    expectL2tpError(() => parseHeader(hex(bytes)), { code, offset, reason });
  });

  it.each([
    [4, '0003 0000 00000001 aabbcc', 11, 'L2TPv3 data header with a 4-byte cookie is 12 bytes'],
    [8, '0003 0000 00000001 aabbccdd 112233', 15, 'L2TPv3 data header with a 8-byte cookie is 16 bytes'],
  ] as const)('data with a %i-byte cookie one byte short → TRUNCATED', (cookieLength, bytes, offset, reason) => {
    expectL2tpError(() => parseHeader(hex(bytes), { cookieLength }), { code: 'TRUNCATED', offset, reason });
  });

  it('accepts a control header of exactly 12 bytes with Length 12, and data of exactly 8 + cookie bytes', () => {
    expect(parseHeader(hex('c803 000c 00000001 0002 0003'))).toEqual({ version: 3, isControl: true, length: 12, controlConnectionId: 1, ns: 2, nr: 3, headerLength: 12 });
    expect(parseHeader(hex('0003 0000 00000001'))).toMatchObject({ sessionId: 1, headerLength: 8 });
    expect(parseHeader(hex('0003 0000 00000001 aabbccdd'), { cookieLength: 4 })).toMatchObject({ sessionId: 1, headerLength: 12 });
  });
});

describe('encodeHeader refuses what it cannot write, naming the field (RangeError / TypeError)', () => {
  const ZLB: HeaderInit = { isControl: true, length: 12, tunnelId: 7, sessionId: 0, ns: 1, nr: 2 };
  const V3_CONTROL = { version: 3, isControl: true, length: 12, controlConnectionId: 1, ns: 0, nr: 0 } as const;

  it.each([
    ['version 4', { ...ZLB, version: 4 as never }, 'version must be 2 or 3, got 4'],
    ['a 17-bit Tunnel ID', { ...ZLB, tunnelId: 0x10000 }, 'tunnelId must be an integer from 0 to 65535, got 65536'],
    ['a negative Session ID', { ...ZLB, sessionId: -1 }, 'sessionId must be an integer from 0 to 65535, got -1'],
    ['Length 65536', { ...ZLB, length: 0x10000 }, 'length must be an integer from 0 to 65535, got 65536'],
    ['a data Length of 1.5', { isControl: false, length: 1.5, tunnelId: 7, sessionId: 9 }, 'length must be an integer from 0 to 65535, got 1.5'],
    ['Ns 65536', { ...ZLB, ns: 0x10000 }, 'ns must be an integer from 0 to 65535, got 65536'],
    ['Nr 65536', { ...ZLB, nr: 0x10000 }, 'nr must be an integer from 0 to 65535, got 65536'],
    ['a data Nr of -1', { isControl: false, tunnelId: 7, sessionId: 9, ns: 0, nr: -1 }, 'nr must be an integer from 0 to 65535, got -1'],
    ['Offset Size 65536', { isControl: false, tunnelId: 7, sessionId: 9, offsetSize: 0x10000 }, 'offsetSize must be an integer from 0 to 65535, got 65536'],
    ['a control message with Offset Size 0', { ...ZLB, offsetSize: 0 }, 'control messages carry no Offset Size and no priority (RFC 2661 §3.1)'],
    ['a control message with priority', { ...ZLB, priority: true }, 'control messages carry no Offset Size and no priority (RFC 2661 §3.1)'],
    ['v3 control Length 11', { ...V3_CONTROL, length: 11 }, 'length must be an integer from 12 to 65535, got 11'],
    ['v3 a 33-bit Control Connection ID', { ...V3_CONTROL, controlConnectionId: 2 ** 32 }, 'controlConnectionId must be an integer from 0 to 4294967295, got 4294967296'],
    ['v3 Ns 65536', { ...V3_CONTROL, ns: 0x10000 }, 'ns must be an integer from 0 to 65535, got 65536'],
    ['v3 Nr -1', { ...V3_CONTROL, nr: -1 }, 'nr must be an integer from 0 to 65535, got -1'],
    ['v3 data to Session ID 0', { version: 3, isControl: false, sessionId: 0 }, 'sessionId (L2TPv3 data: non-zero, RFC 3931 §4.1) must be an integer from 1 to 4294967295, got 0'],
    ['v3 a 3-byte cookie', { version: 3, isControl: false, sessionId: 1, cookie: new Uint8Array(3) }, 'cookie must be 4 or 8 bytes (RFC 3931 §4.1), got 3'],
  ] as [string, HeaderInit, string][])('%s', (_name, init, message) => {
    expect(() => encodeHeader(init)).toThrow(new RangeError(message));
  });

  it('writes into a target only where the whole header fits', () => {
    // A 12-byte ZLB header in 14 bytes: offsets 0…2 fit, 3 does not.
    const target = new Uint8Array(14);
    expect(toHex(encodeHeader(ZLB, target, 2))).toBe('0000c802000c000700000001' + '0002');
    expect(() => encodeHeader(ZLB, target, 3)).toThrow(new RangeError('offset must be an integer from 0 to 2, got 3'));
    expect(() => encodeHeader(ZLB, new Uint8Array(11))).toThrow(new RangeError('offset must be an integer from 0 to -1, got 0'));
    expect(() => encodeHeader(ZLB, [] as never)).toThrow(new TypeError('target must be a Uint8Array, got object'));
  });
});

describe('encodeHeader writes every byte of its header and no other (RFC 2661 §3.1, RFC 3931 §4.1.2.1)', () => {
  const dirty = (n: number) => new Uint8Array(n).fill(0xee);

  it('an explicit version 2 is L2TPv2', () => {
    expect(toHex(encodeHeader({ version: 2, isControl: false, tunnelId: 7, sessionId: 9 }))).toBe('000200070009');
  });

  it('Nr without Ns writes no sequence numbers (S needs both), and counts none', () => {
    const init = { isControl: false, tunnelId: 7, sessionId: 9, nr: 2 };
    expect(headerLength(init)).toBe(6);
    expect(toHex(encodeHeader(init))).toBe('000200070009');
  });

  it('zeroes the Offset pad in a dirty target', () => {
    const b = encodeHeader({ isControl: false, tunnelId: 7, sessionId: 9, offsetSize: 3 }, dirty(13));
    expect(toHex(b)).toBe('0202 0007 0009 0003 000000 eeee'.replace(/ /g, ''));
  });

  it('writes the reserved word of an L2TPv3 data header as 0 at its own offset', () => {
    const b = encodeHeader({ version: 3, isControl: false, sessionId: 1 }, dirty(12), 2);
    expect(toHex(b)).toBe('eeee 0003 0000 00000001 eeee'.replace(/ /g, ''));
  });
});
