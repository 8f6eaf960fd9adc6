/**
 * The capture reader on files written here byte by byte from the format specifications (libpcap
 * file format; pcapng, draft-ietf-opsawg-pcapng §4; tcpdump.org LINKTYPE list; RFC 791, RFC 8200,
 * RFC 768; RFC 2661 §3.1; RFC 3931 §4.1.1, §4.6, §5.4.4) — never with our writer — so each case
 * pins down a container, link layer, IP version or L2TP encapsulation on its own.
 */
import { describe, expect, it } from 'vitest';
import { decodeCapture, readCaptureFile, recordToJson } from '../../src/pcap.js';
import { L2tpError } from '../../src/wire/errors.js';
import { hex } from '../support/hex.js';

const cat = (...parts: string[]) => parts.join('').replace(/\s+/g, '');
const be32 = (n: number) => n.toString(16).padStart(8, '0');
const le32 = (n: number) => be32(n).match(/../g)!.reverse().join('');
const be16 = (n: number) => n.toString(16).padStart(4, '0');
const bytesOf = (h: string) => h.replace(/\s+/g, '').length / 2;
/** A pcapng block, big-endian: type, total length, body padded to 4, total length again (§3.1). */
const block = (type: number, body: string) => {
  const b = body.replace(/\s+/g, '');
  const padded = b + '00'.repeat((4 - ((b.length / 2) % 4)) % 4);
  const len = 12 + padded.length / 2;
  return be32(type) + be32(len) + padded + be32(len);
};

// --- L2TP messages, written from RFC 2661 §3.1 / §4.4.1 -------------------------------------
/** Hello (type 6) to tunnel 7, Ns 3, Nr 2: header (12) + Message Type AVP (8). */
const HELLO = 'c802 0014 0007 0000 0003 0002  8008 0000 0000 0006';
/** ZLB ack to tunnel 7, Ns 4, Nr 3. */
const ZLB = 'c802 000c 0007 0000 0004 0003';

// --- IP and UDP headers (checksums 0: the reader does not check them) ------------------------
const udp = (sport: number, dport: number, payload: string) => be16(sport) + be16(dport) + be16(8 + bytesOf(payload)) + '0000' + payload;
/** IPv4 192.0.2.1 → 192.0.2.2 (or `reverse`d). */
const ipv4 = (proto: number, payload: string, flags = '4000', reverse = false) =>
  cat('45 00', be16(20 + bytesOf(payload)), '0000', flags, '40', proto.toString(16).padStart(2, '0'), '0000', reverse ? 'c0000202 c0000201' : 'c0000201 c0000202', payload);
/** IPv6 2001:db8::1 → 2001:db8::2, a Hop-by-Hop Options header (PadN) before `proto`. */
const ipv6Hbh = (proto: number, payload: string) =>
  cat('60000000', be16(8 + bytesOf(payload)), '00 40', '20010db8000000000000000000000001', '20010db8000000000000000000000002', proto.toString(16).padStart(2, '0'), '00 0104 00000000', payload);

describe('pcapng (big-endian section, three interfaces: Linux cooked v1 in ns, Ethernet+VLAN in µs, cooked v2; Enhanced, Simple and obsolete Packet Blocks)', () => {
  const sll = (proto: string) => cat('0000 0304 0006 000000000000 0000', proto);
  const sll2 = (proto: string) => cat(proto, '0000', '00000001', '0304', '00', '06', '000000000000 0000');
  const frame1 = sll('86dd') + ipv6Hbh(17, udp(1701, 50000, HELLO));
  const frame2 = cat('020000000002 020000000001', '8100 0064', '0800') + ipv4(17, udp(50000, 1701, ZLB));
  const frame3 = sll2('0800') + ipv4(17, udp(1701, 50000, HELLO));
  const file = cat(
    block(0x0a0d0d0a, '1a2b3c4d 0001 0000 ffffffffffffffff'),
    // IDB 0: LINKTYPE_LINUX_SLL, snaplen 262144, if_tsresol = 9 (ns), end of options.
    block(1, cat('0071 0000 00040000', '0009 0001 09000000', '0000 0000')),
    // IDB 1: Ethernet, no options (µs).
    block(1, '0001 0000 00040000'),
    // IDB 2: LINKTYPE_LINUX_SLL2.
    block(1, '0114 0000 00040000'),
    // EPB on interface 0 at 1 700 000 000.123456789 s (ns units: 0x17979cfe 3d85cd15).
    block(6, cat('00000000 17979cfe 3d85cd15', be32(bytesOf(frame1)), be32(bytesOf(frame1)), frame1)),
    // A Name Resolution Block (no frame) between packets must be skipped.
    block(4, '0000 0000'),
    // EPB on interface 1 at 1 700 000 001.000002 s (µs units).
    block(6, cat('00000001', be32(Math.floor(1_700_000_001_000_002 / 2 ** 32)), be32(1_700_000_001_000_002 % 2 ** 32), be32(bytesOf(frame2)), be32(bytesOf(frame2)), frame2)),
    block(6, cat('00000002 00000000 00000000', be32(bytesOf(frame3)), be32(bytesOf(frame3)), frame3)),
    // Simple Packet Block (§4.4): original length, then the data; interface 0, no timestamp.
    block(3, cat(be32(bytesOf(frame1)), frame1)),
    // Obsolete Packet Block (type 2): interface 1 (16 bits), drops, timestamp 1 µs, lengths, data.
    block(2, cat('0001 0000 00000000 00000001', be32(bytesOf(frame2)), be32(bytesOf(frame2)), frame2)),
  );

  it('reads the frames with their interface link type and timestamps to the microsecond', () => {
    const f = readCaptureFile(hex(file));
    expect(f.format).toBe('pcapng');
    expect(f.frames.map((x) => [x.number, x.linkType, x.interfaceId, x.timestampUs, x.data.length])).toEqual([
      [1, 113, 0, 1_700_000_000_123_456, bytesOf(frame1)],
      [2, 1, 1, 1_700_000_001_000_002, bytesOf(frame2)],
      [3, 276, 2, 0, bytesOf(frame3)],
      [4, 113, 0, 0, bytesOf(frame1)],
      [5, 1, 1, 1, bytesOf(frame2)],
    ]);
  });

  it('finds L2TP behind cooked v1 + IPv6 with an extension header, Ethernet + 802.1Q, cooked v2 + IPv4', () => {
    const c = decodeCapture(hex(file));
    expect(c.frameCount).toBe(5);
    expect(c.records.map((r) => [r.frame, r.src, r.dst, r.control?.typeName, r.control?.tunnelId, r.control?.ns, r.control?.nr])).toEqual([
      [1, { address: '2001:db8::1', port: 1701 }, { address: '2001:db8::2', port: 50000 }, 'HELLO', 7, 3, 2],
      [2, { address: '192.0.2.1', port: 50000 }, { address: '192.0.2.2', port: 1701 }, 'ZLB', 7, 4, 3],
      [3, { address: '192.0.2.1', port: 1701 }, { address: '192.0.2.2', port: 50000 }, 'HELLO', 7, 3, 2],
      [4, { address: '2001:db8::1', port: 1701 }, { address: '2001:db8::2', port: 50000 }, 'HELLO', 7, 3, 2],
      [5, { address: '192.0.2.1', port: 50000 }, { address: '192.0.2.2', port: 1701 }, 'ZLB', 7, 4, 3],
    ]);
    expect(recordToJson(c.records[0]!).time).toBe('2023-11-14T22:13:20.123456Z');
  });
});

describe('pcapng timestamps at the edges of what a date can show (if_tsresol 9.2, if_tsoffset 14)', () => {
  const frame = cat('0000 0304 0006 000000000000 0000 0800') + ipv4(17, udp(1701, 50000, HELLO));
  const epb = (hi: number, lo: number) => block(6, cat('00000000', be32(hi), be32(lo), be32(bytesOf(frame)), be32(bytesOf(frame)), frame));
  const shb = block(0x0a0d0d0a, '1a2b3c4d 0001 0000 ffffffffffffffff');
  const time = (file: string) => {
    const c = decodeCapture(hex(file));
    return c.records.map((r) => [r.timestampUs, recordToJson(r).time]);
  };

  it('if_tsoffset −1 s and 500 µs: half a millisecond after 23:59:59 on 31 December 1969', () => {
    // IDB: Linux cooked, µs (no if_tsresol), if_tsoffset = −1 (int64, big-endian two's complement).
    const idb = block(1, cat('0071 0000 00040000', '000e 0008 ffffffffffffffff', '0000 0000'));
    expect(time(shb + idb + epb(0, 500))).toEqual([[-999_500, '1969-12-31T23:59:59.000500Z']]);
  });

  it('if_tsresol 0 (whole seconds) and the largest timestamp: no date, and the record still serialises', () => {
    // 2^64 − 1 seconds is ~5.8e11 years: past ECMAScript's ±8.64e15 ms (ECMA-262 §21.4.1.1).
    const idb = block(1, cat('0071 0000 00040000', '0009 0001 00000000', '0000 0000'));
    const [[us, t]] = time(shb + idb + epb(0xffffffff, 0xffffffff)) as [[number, string | null]];
    expect(us).toBe(Number(0xffffffffffffffffn * 1_000_000n));
    expect(t).toBeNull();
    // The last whole second a date can show (8.64e12 s = +275760-09-13) still has one.
    const last = 8_640_000_000_000;
    expect(time(shb + idb + epb(Math.floor(last / 2 ** 32), last % 2 ** 32))).toEqual([[last * 1e6, '+275760-09-13T00:00:00.000000Z']]);
    expect(time(shb + idb + epb(Math.floor((last + 1) / 2 ** 32), (last + 1) % 2 ** 32))).toEqual([[(last + 1) * 1e6, null]]);
  });
});

describe('pcap, little-endian µs, LINKTYPE_NULL', () => {
  const rec = (usec: number, frame: string) => cat(le32(1_700_000_000), le32(usec), le32(bytesOf(frame)), le32(bytesOf(frame)), frame);
  const hdr = cat('d4c3b2a1 0200 0400 00000000 00000000 00000400', le32(0));
  const hello = '02000000' + ipv4(17, udp(1701, 1701, HELLO));
  const dns = '02000000' + ipv4(17, udp(5353, 53, '00'));
  const fragment = '02000000' + ipv4(17, udp(1701, 1701, HELLO), '2000'); // MF set
  // macOS AF_INET6 is 30; the NULL header is in the capturing host's order (here little-endian).
  const v6 = '1e000000' + ipv6Hbh(17, udp(1701, 1701, ZLB));
  const file = hdr + rec(123_456, hello) + rec(1, dns) + rec(2, fragment) + rec(3, v6);

  it('keeps L2TP frames only, counts fragments it did not reassemble, and reads the AF in either order', () => {
    const c = decodeCapture(hex(file));
    expect(c.format).toBe('pcap');
    expect(c.records.map((r) => [r.frame, r.timestampUs, r.control?.typeName])).toEqual([
      [1, 1_700_000_000_123_456, 'HELLO'],
      [4, 1_700_000_000_000_003, 'ZLB'],
    ]);
    expect(c.fragments).toEqual([3]);
  });

  it('groups the Hello and the ZLB to tunnel 7 at different ends as two tunnels (no SCCRQ/SCCRP tied them)', () => {
    const c = decodeCapture(hex(file));
    expect(c.tunnels.map((t) => t.ends)).toEqual([[{ address: '192.0.2.2', port: 1701, id: 7 }], [{ address: '2001:db8::2', port: 1701, id: 7 }]]);
  });

  it('UDP on another port is L2TP only when that port is given', () => {
    const other = hdr + rec(5, '02000000' + ipv4(17, udp(40000, 17010, HELLO)));
    expect(decodeCapture(hex(other)).records).toHaveLength(0);
    expect(decodeCapture(hex(other), { ports: [17010] }).records[0]?.control?.typeName).toBe('HELLO');
  });
});

describe('pcap, big-endian ns magic, LINKTYPE_LOOP, L2TPv3 over IP protocol 115 (RFC 3931 §4.1.1)', () => {
  const rec = (nsec: number, frame: string) => cat(be32(1_700_000_000), be32(nsec), be32(bytesOf(frame)), be32(bytesOf(frame)), frame);
  const hdr = cat('a1b23c4d 0002 0004 00000000 00000000 00040000', be32(108));
  /** A is 192.0.2.1, B is 192.0.2.2. */
  const loop = (l2tp: string, fromB = false) => '00000002' + ipv4(115, l2tp, '4000', fromB);
  // ICRQ A→B: Session ID 0 (control), v3 header to CCID 0x11223344; Local Session ID 0xabcd,
  // Remote Session ID 0, Assigned Cookie deadbeef, L2-Specific Sublayer 1 (default).
  const icrq = cat('00000000', 'c803 003a 11223344 0000 0000', '8008 0000 0000 000a', '800a 0000 003f 0000abcd', '800a 0000 0040 00000000', '000a 0000 0041 deadbeef', '8008 0000 0045 0001');
  // ICRP B→A to CCID 0x55667788: Local 0x5678, Remote 0xabcd, an 8-byte cookie, no sublayer AVP.
  const icrp = cat('00000000', 'c803 0036 55667788 0000 0001', '8008 0000 0000 000b', '800a 0000 003f 00005678', '800a 0000 0040 0000abcd', '000e 0000 0041 0102030405060708');
  // B→A data to session 0xabcd: A's cookie, the default sublayer (S=1, sequence 5), "hello".
  const toA = cat('0000abcd', 'deadbeef', '40000005', '68656c6c6f');
  // A→B data to session 0x5678: B's 8-byte cookie, no sublayer, "hi".
  const toB = cat('00005678', '0102030405060708', '6869');
  const file = hdr + rec(123_456_789, loop(icrq)) + rec(200_000_999, loop(icrp, true)) + rec(300_000_000, loop(toA, true)) + rec(400_000_000, loop(toB));

  it('parses control messages after the zero Session ID, µs from ns by truncation', () => {
    const c = decodeCapture(hex(file));
    const [a, b] = c.records;
    expect([a!.timestampUs, a!.encapsulation, a!.src, a!.control?.typeName, a!.control?.tunnelId, a!.control?.localSessionId]).toEqual([
      1_700_000_000_123_456,
      'ip',
      { address: '192.0.2.1' },
      'ICRQ',
      0x11223344,
      0xabcd,
    ]);
    expect(b!.timestampUs).toBe(1_700_000_000_200_000);
    expect(b!.control?.remoteSessionId).toBe(0xabcd);
  });

  it('learns each end’s cookie size and sublayer from the control connection and applies them to data to that end', () => {
    const c = decodeCapture(hex(file));
    const [, , d1, d2] = c.records;
    expect(d1!.data?.sessionId).toBe(0xabcd);
    expect(Array.from(d1!.data!.version === 3 ? d1!.data!.cookie! : [])).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(d1!.sublayer).toEqual({ sequenced: true, sequenceNumber: 5 });
    expect(new TextDecoder().decode(d1!.data!.payload)).toBe('hello');
    expect(d2!.data?.sessionId).toBe(0x5678);
    expect(recordToJson(d2!).header).toEqual({ sessionId: 0x5678, cookie: '0102030405060708' });
    expect(d2!.sublayer).toBeUndefined();
    expect(new TextDecoder().decode(d2!.data!.payload)).toBe('hi');
    // One control connection, one session, all four messages in it.
    expect(c.tunnels).toHaveLength(1);
    expect(c.tunnels[0]!.ends).toEqual([
      { address: '192.0.2.2', id: 0x11223344 },
      { address: '192.0.2.1', id: 0x55667788 },
    ]);
    expect(c.sessions.map((s) => [s.tunnel, s.records])).toEqual([[0, [0, 1, 2, 3]]]);
  });

  it('without the control messages, cookie and sublayer come from the options', () => {
    const only = hdr + rec(0, loop(toA, true));
    const bare = decodeCapture(hex(only)).records[0]!;
    expect(bare.data!.payload.length).toBe(13); // cookie and sublayer taken as payload
    const told = decodeCapture(hex(only), { cookieLength: 4, l2SpecificSublayer: 1 }).records[0]!;
    expect(new TextDecoder().decode(told.data!.payload)).toBe('hello');
    expect(told.sublayer).toEqual({ sequenced: true, sequenceNumber: 5 });
  });
});

describe('L2TPv3 over UDP (RFC 3931 §4.1.2.1): cookie and sublayer learned per end, as over IP', () => {
  it('reads data to each end with the cookie that end assigned', () => {
    const icrq = cat('c803 003a 11223344 0000 0000', '8008 0000 0000 000a', '800a 0000 003f 0000abcd', '800a 0000 0040 00000000', '000a 0000 0041 deadbeef', '8008 0000 0045 0001');
    const toA = cat('0003 0000', '0000abcd', 'deadbeef', '40000009', '6f6b');
    const frames = [ipv4(17, udp(40000, 1701, icrq)), ipv4(17, udp(1701, 40000, toA), '4000', true)];
    const file = cat('a1b2c3d4 0002 0004 00000000 00000000 00040000', be32(101), ...frames.map((f) => cat(be32(1), be32(0), be32(bytesOf(f)), be32(bytesOf(f)), f)));
    const [, d] = decodeCapture(hex(file)).records;
    expect(recordToJson(d!)).toMatchObject({ version: 3, kind: 'data', header: { sessionId: 0xabcd, cookie: 'deadbeef' }, sublayer: { sequenced: true, sequenceNumber: 9 }, payloadHead: '6f6b', session: 0, tunnel: 0 });
  });
});

describe('L2TPv3 over UDP data with an 8-byte cookie given as an option (RFC 3931 §4.1.2.1)', () => {
  it('reads Session ID, cookie and payload', () => {
    const msg = cat('0003 0000', '00000042', 'a1a2a3a4a5a6a7a8', 'ff03');
    const frame = ipv6Hbh(17, udp(1701, 1701, msg));
    const file = cat('a1b2c3d4 0002 0004 00000000 00000000 00040000', be32(229), be32(1), be32(0), be32(bytesOf(frame)), be32(bytesOf(frame)), frame);
    const r = decodeCapture(hex(file), { cookieLength: 8 }).records[0]!;
    expect(recordToJson(r)).toMatchObject({ version: 3, kind: 'data', header: { sessionId: 0x42, cookie: 'a1a2a3a4a5a6a7a8' }, payloadLength: 2, payloadHead: 'ff03' });
  });
});

describe('malformed files throw L2tpError with code and offset; malformed L2TP stays on the record', () => {
  const err = (b: Uint8Array) => {
    try {
      readCaptureFile(b);
    } catch (e) {
      if (e instanceof L2tpError) return [e.code, e.offset];
      throw e;
    }
    return undefined;
  };
  it('unknown magic, short header, record past the end, pcapng length mismatch', () => {
    expect(err(hex('00010203 0405'))).toEqual(['BAD_VERSION', 0]);
    expect(err(hex('d4c3b2a1 0200 0400'))).toEqual(['TRUNCATED', 8]);
    const hdr = 'd4c3b2a1 0200 0400 00000000 00000000 00000400 65000000';
    expect(err(hex(hdr + cat(le32(0), le32(0), le32(100), le32(100), '4500')))).toEqual(['TRUNCATED', 32]);
    expect(err(hex(hdr + '0000'))).toEqual(['TRUNCATED', 24]);
    const shb = block(0x0a0d0d0a, '1a2b3c4d 0001 0000 ffffffffffffffff');
    expect(err(hex(shb.slice(0, -8) + be32(32)))).toEqual(['BAD_LENGTH', 24]);
    expect(err(hex(shb + block(6, cat('00000000 00000000 00000000 00000000 00000000'))))).toEqual(['BAD_LENGTH', 36]);
    expect(err(hex(cat('0a0d0d0a 0000001c 1a2b3c4d 0002 0000')))).toEqual(['BAD_VERSION', 12]);
  });
  it('a truncated L2TP message in a good file is a record with an error, not a throw', () => {
    const frame = ipv4(17, udp(1701, 1701, 'c802 0014 0007'));
    const file = cat('a1b2c3d4 0002 0004 00000000 00000000 00040000', be32(101), be32(1), be32(0), be32(bytesOf(frame)), be32(bytesOf(frame)), frame);
    const r = decodeCapture(hex(file)).records[0]!;
    expect(r.control).toBeUndefined();
    expect(r.error).toMatchObject({ code: 'TRUNCATED' });
  });
});
