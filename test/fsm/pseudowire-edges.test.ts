/**
 * The edges of one L2TPv3 session's data plane (RFC 3931 §4.1, §4.5, §4.6, §5.4.4; RFC 4719 §3.1):
 * the last valid value of every bound, the exact words of each local-misuse error (they name the
 * option to change), and which frames Data Sequencing level 1 leaves unnumbered. Expected bytes
 * are written by hand from the RFC figures, never taken from our encoder.
 */
import { describe, expect, it } from 'vitest';
import { Pseudowire, type PseudowireOptions } from '../../src/index.js';
import { hex, toHex } from '../support/hex.js';
import { expectLocalError } from '../support/local-errors.js';

const base = { localSessionId: 1, remoteSessionId: 2 } as const;
const make = (o: Partial<PseudowireOptions>) => () => new Pseudowire({ ...base, ...o });
/** The Default L2-Specific Sublayer word of a message sent with no cookie (bytes 8–11). */
const l2ssOf = (datagram: Uint8Array): string => toHex(datagram.subarray(8, 12));

describe('constructor: bounds and the error that names the option', () => {
  it('Session IDs: 1…2^32−1 accepted, the message names which ID (§4.1: non-zero, 32 bits)', () => {
    expect(new Pseudowire({ localSessionId: 0xffffffff, remoteSessionId: 0xffffffff }).send(new Uint8Array(14)).subarray(4, 8)).toEqual(hex('ffffffff'));
    expectLocalError(make({ localSessionId: 0 }), RangeError, 'localSessionId must be a whole number in 1…4294967295 (RFC 3931 §4.1: non-zero, 32 bits), got 0');
    expect(make({ remoteSessionId: 2 ** 32 })).toThrow(/^remoteSessionId must be a whole number in 1…4294967295 .*got 4294967296$/);
  });

  it('cookies: 0, 4 or 8 bytes; the message names the option and what it got', () => {
    expectLocalError(make({ localCookie: new Uint8Array(5) }), RangeError, 'localCookie must be a Uint8Array of 0, 4 or 8 bytes (RFC 3931 §5.4.4), got 5 bytes');
    expect(make({ remoteCookie: new Uint8Array(6) })).toThrow(/^remoteCookie must be a Uint8Array of 0, 4 or 8 bytes .*got 6 bytes$/);
    expect(make({ remoteCookie: 'abcd' as unknown as Uint8Array })).toThrow(/^remoteCookie .*got string$/);
  });

  it('L2-Specific Sublayer is 0 or 1, Data Sequencing 0, 1 or 2 (§5.4.4)', () => {
    expectLocalError(make({ localL2SpecificSublayer: 2 as 1 }), RangeError, 'localL2SpecificSublayer must be 0 (none) or 1 (the Default L2-Specific Sublayer, RFC 3931 §5.4.4), got 2');
    expect(make({ remoteL2SpecificSublayer: 3 as 1 })).toThrow(/^remoteL2SpecificSublayer must be 0 \(none\) or 1 .*got 3$/);
    expectLocalError(make({ localL2SpecificSublayer: 1, localDataSequencing: 3 as 2 }), RangeError, 'localDataSequencing must be 0, 1 or 2 (RFC 3931 §5.4.4), got 3');
    expect(make({ remoteL2SpecificSublayer: 1, remoteDataSequencing: 3 as 2 })).toThrow(/^remoteDataSequencing must be 0, 1 or 2 .*got 3$/);
  });

  it('sequenceWindow is a whole number in 1…2^23, resyncThreshold a whole number ≥ 1 (Appendix C)', () => {
    expect(() => new Pseudowire({ ...base, sequenceWindow: 1, resyncThreshold: 1 })).not.toThrow();
    expect(() => new Pseudowire({ ...base, sequenceWindow: 2 ** 23 })).not.toThrow();
    for (const w of [0, 1.5, 2 ** 23 + 1]) expectLocalError(make({ sequenceWindow: w }), RangeError, `sequenceWindow must be a whole number in 1…8388608 (2^23), got ${w}`);
    for (const t of [0, 2.5]) expectLocalError(make({ resyncThreshold: t }), RangeError, `resyncThreshold must be a whole number ≥ 1, got ${t}`);
  });

  it("keeps its own copy of the peer's cookie: changing the caller's array later changes nothing sent", () => {
    const theirs = hex('deadbeef');
    const pw = new Pseudowire({ ...base, remoteCookie: theirs });
    theirs.fill(0);
    expect(toHex(pw.send(new Uint8Array(14)).subarray(8, 12))).toBe('deadbeef');
  });
});

describe('send: frame checks by Pseudowire Type (RFC 4719 §3.1)', () => {
  it('Ethernet (5) and Ethernet VLAN (4) need the 14-byte header; 14 is enough; other types are not inspected', () => {
    expect(new Pseudowire(base).send(new Uint8Array(14)).length).toBe(8 + 14);
    const vlan = new Pseudowire({ ...base, pseudowireType: 4 });
    expectLocalError(() => vlan.send(new Uint8Array(13)), RangeError, 'an Ethernet frame is at least 14 bytes (addresses and EtherType, no FCS: RFC 4719 §3.1), got 13');
    const other = new Pseudowire({ ...base, pseudowireType: 7 });
    expect(toHex(other.send(hex('0102')))).toBe('00030000000000020102');
  });

  it('the largest message is 65535 bytes; one more is refused with its size', () => {
    const pw = new Pseudowire(base);
    expect(pw.send(new Uint8Array(0xffff - 8)).length).toBe(0xffff);
    expectLocalError(() => pw.send(new Uint8Array(0xffff - 7)), RangeError, 'data message would be 65536 bytes, more than one UDP datagram holds');
  });

  it('a frame or datagram that is not a Uint8Array is a TypeError saying so', () => {
    const pw = new Pseudowire(base);
    expectLocalError(() => pw.send('frame' as unknown as Uint8Array), TypeError, 'frame must be a Uint8Array');
    expectLocalError(() => pw.receive('datagram' as unknown as Uint8Array), TypeError, 'datagram must be a Uint8Array');
  });
});

describe('send: Data Sequencing level 1 leaves exactly IP unnumbered (§5.4.4), through one 802.1Q/802.1ad tag', () => {
  const level1 = (): Pseudowire => new Pseudowire({ ...base, remoteL2SpecificSublayer: 1, remoteDataSequencing: 1 });
  const macs = '020000000002 020000000001';
  const pad = (h: string, n: number): Uint8Array => Uint8Array.from([...hex(h), ...new Array(n).fill(0x33)]);

  it.each([
    ['untagged IPv4 of 60 bytes (bytes 16–17 are not an EtherType)', pad(`${macs} 0800 4500`, 44), false],
    ['802.1ad (0x88a8) tagged IPv4', pad(`${macs} 88a8 0064 0800 4500`, 40), false],
    ['802.1Q tagged IPv4, exactly 18 bytes', hex(`${macs} 8100 0064 0800`), false],
    ['802.1Q tag with one byte after it (17 bytes): no inner EtherType to read', hex(`${macs} 8100 0064 08`), true],
    ['802.1Q tagged ARP', pad(`${macs} 8100 0064 0806`, 28), true],
  ] as const)('%s: numbered %s', (_name, frame, numbered) => {
    const pw = level1();
    const first = pw.send(frame);
    expect(l2ssOf(first)).toBe(numbered ? '40000000' : '00000000');
    expect(pw.stats.sentSequenced).toBe(numbered ? 1 : 0);
  });
});

describe('receive: the exact edges of the checks (§4.5, §4.6)', () => {
  const C4 = hex('deadbeef');

  it('8 bytes with our Session ID but no room for our cookie: a cookie drop; 9 bytes with another ID: a session drop', () => {
    const pw = new Pseudowire({ ...base, localCookie: C4 });
    expect(pw.receive(hex('00030000 00000001'))).toEqual({ ok: false, drop: 'cookie' });
    expect(pw.receive(hex('00030000 00000009 de'))).toEqual({ ok: false, drop: 'session' });
    expect(pw.stats).toMatchObject({ received: 2, droppedCookie: 1, droppedSession: 1, droppedMalformed: 0 });
  });

  it('a message that ends right after the sublayer carries an empty frame (type not inspected)', () => {
    const pw = new Pseudowire({ ...base, pseudowireType: 7, localL2SpecificSublayer: 1 });
    const r = pw.receive(hex('00030000 00000001 00000000'));
    expect(r).toEqual({ ok: true, frame: new Uint8Array(0), sequenceNumber: undefined });
  });

  it('a 14-byte Ethernet frame is delivered (only shorter ones are runts, RFC 4719 §3.1)', () => {
    const pw = new Pseudowire(base);
    const frame = hex('020000000002 020000000001 0806');
    const r = pw.receive(Uint8Array.from([...hex('00030000 00000001'), ...frame]));
    expect(r.ok && toHex(r.frame)).toBe(toHex(frame));
  });

  it('other Pseudowire Types deliver short frames as they are; Ethernet VLAN drops them as runts', () => {
    const short = hex('00030000 00000001 0102');
    expect(new Pseudowire({ ...base, pseudowireType: 7 }).receive(short)).toEqual({ ok: true, frame: hex('0102'), sequenceNumber: undefined });
    expect(new Pseudowire({ ...base, pseudowireType: 4 }).receive(short)).toEqual({ ok: false, drop: 'runt' });
  });
});
