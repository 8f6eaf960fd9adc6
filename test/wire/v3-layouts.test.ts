/**
 * L2TPv3 header layouts checked against RFC 3931's figures, bit by bit. The expected words are
 * computed here from the bit positions the figures draw (bit 0 is the most significant bit of
 * the first octet), not from our HeaderFlag constants or encoder:
 *
 * - Figure 3.2.1, control message header: `|T|L|x|x|S|x|x|x|x|x|x|x|  Ver  |  Length  |`,
 *   Control Connection ID (32), Ns (16), Nr (16); T, L and S MUST be 1, Ver 3.
 * - Figure 4.1.2.1, session header over UDP: `|T|x|x|x|x|x|x|x|x|x|x|x|  Ver  |  Reserved  |`,
 *   Session ID (32), Cookie (0, 32 or 64 bits); T MUST be 0.
 * - Figure 4.6, Default L2-Specific Sublayer: `|x|S|x|x|x|x|x|x|  Sequence Number (24)  |`.
 * Reserved bits "MUST be set to 0 on outgoing messages and ignored on incoming messages".
 */
import { describe, expect, it } from 'vitest';
import { Pseudowire, encodeHeader, parseHeader, readDefaultL2ss } from '../../src/index.js';
import { toHex } from '../support/hex.js';

/** The 16-bit word with the given figure bit positions (0 = most significant) set. */
const bits = (...positions: number[]): number => positions.reduce((w, p) => w | (1 << (15 - p)), 0);
const word = (w: number): string => w.toString(16).padStart(4, '0');
const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/ /g, '').match(/../g)!.map((b) => parseInt(b, 16)));

describe('RFC 3931 Figure 3.2.1: control message header', () => {
  const first = bits(0, 1, 4) | 3; // T, L, S; Ver = 3 in bits 12-15
  it('is the word we write, with Length, Control Connection ID, Ns, Nr after it', () => {
    expect(word(first)).toBe('c803');
    expect(toHex(encodeHeader({ version: 3, isControl: true, length: 0x1234, controlConnectionId: 0xfedcba98, ns: 0x0102, nr: 0x0304 }))).toBe(`${word(first)}1234fedcba9801020304`);
  });
  it('reserved x bits set by a sender are ignored on receipt', () => {
    const withX = first | bits(2, 3, 5, 6, 7, 8, 9, 10, 11);
    const h = parseHeader(hex(`${word(withX)}000c 00000007 0005 0006`));
    expect(h).toEqual({ version: 3, isControl: true, length: 12, controlConnectionId: 7, ns: 5, nr: 6, headerLength: 12 });
  });
});

describe('RFC 3931 Figure 4.1.2.1: data (session) header over UDP', () => {
  it('T=0, Ver=3, Reserved 0, then Session ID and cookie', () => {
    const first = 3;
    const pw = new Pseudowire({ localSessionId: 1, remoteSessionId: 0x80000001, remoteCookie: hex('a1b2c3d4') });
    expect(toHex(pw.send(hex('ffffffffffff0200000000010806')))).toBe(`${word(first)}0000 80000001 a1b2c3d4 ffffffffffff0200000000010806`.replace(/ /g, ''));
  });
  it('reserved x bits and the Reserved field are ignored on receipt (bits 1, 4, 6, 7 meant something in v2)', () => {
    const withX = 3 | bits(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    const h = parseHeader(hex(`${word(withX)}ffff 00000009 cafef00d`), { cookieLength: 4 });
    expect(h.version === 3 && !h.isControl && { sessionId: h.sessionId, cookie: toHex(h.cookie!), headerLength: h.headerLength }).toEqual({ sessionId: 9, cookie: 'cafef00d', headerLength: 12 });
    const pw = new Pseudowire({ localSessionId: 9, remoteSessionId: 1, localCookie: hex('cafef00d') });
    const r = pw.receive(hex(`${word(withX)}ffff 00000009 cafef00d ffffffffffff0200000000010806`.replace(/ /g, '')));
    expect(r.ok).toBe(true);
  });
});

describe('RFC 3931 Figure 4.6: Default L2-Specific Sublayer', () => {
  it('S is bit 1; the Sequence Number the low 24 bits', () => {
    const s = bits(1) >> 8; // bit 1 of the first octet
    expect(s).toBe(0x40);
    const pw = new Pseudowire({ localSessionId: 1, remoteSessionId: 2, remoteL2SpecificSublayer: 1, remoteDataSequencing: 2 });
    pw.send(hex('ffffffffffff0200000000010806'));
    const second = pw.send(hex('ffffffffffff0200000000010806'));
    expect(toHex(second.subarray(8, 12))).toBe(`${s.toString(16)}000001`);
    // Every bit but S set: not a valid number, whatever the other bits say.
    expect(readDefaultL2ss(Uint8Array.of(0xff & ~s, 0xff, 0xff, 0xff), 0)).toEqual({ sequenced: false, sequenceNumber: undefined });
  });
});
