/**
 * The L2TPv3 data plane of one session (RFC 3931 §4.1.2.1, §4.5, §4.6, Appendix C; RFC 4719 §3).
 * Expected bytes are written by hand from the RFC's figures: the data header over UDP is
 * `0003 0000` (T=0, Ver=3, Reserved), the 32-bit Session ID, the cookie, then the Default
 * L2-Specific Sublayer `|x|S|x…|Sequence Number (24)|` — never produced by our own encoder.
 */
import { describe, expect, it } from 'vitest';
import { Pseudowire, type PseudowireOptions, type PseudowireReceipt } from '../../src/index.js';
import { Prng } from '../../src/testing/prng.js';
import { SimulatedLink } from '../../src/testing/link.js';
import { hex, toHex } from '../support/hex.js';

/** An Ethernet frame without FCS: dst, src, EtherType, payload (RFC 4719 §3.1). */
const ARP = hex('ffffffffffff 020000000001 0806') ;
const FRAME = Uint8Array.from([...ARP, ...new Array(46).fill(0x5a)]);
const C4 = hex('deadbeef');
const C8 = hex('0102030405060708');

function frameOf(r: PseudowireReceipt): string {
  if (!r.ok) throw new Error(`dropped: ${r.drop}`);
  return toHex(r.frame);
}

/** A data message built by hand: header (RFC 3931 Figure 4.1.2.1) + cookie + sublayer + frame. */
function msg(sessionId: number, cookie: string, l2ss: string, frame: Uint8Array = FRAME): Uint8Array {
  return hex(`00030000 ${sessionId.toString(16).padStart(8, '0')} ${cookie} ${l2ss} ${toHex(frame)}`);
}

const seqd = (n: number): string => `40${n.toString(16).padStart(6, '0')}`;

/** Receiver with a cookie of ours, the default sublayer and Data Sequencing level 2. */
function receiver(extra: Partial<PseudowireOptions> = {}): Pseudowire {
  return new Pseudowire({ localSessionId: 0x0a0b0c0d, remoteSessionId: 7, localCookie: C4, localL2SpecificSublayer: 1, localDataSequencing: 2, ...extra });
}

describe('send: the bytes RFC 3931 §4.1.2.1 / §4.6 lay out', () => {
  it('no cookie, no sublayer: 8-byte header then the frame', () => {
    const pw = new Pseudowire({ localSessionId: 1, remoteSessionId: 0x11223344 });
    expect(toHex(pw.send(FRAME))).toBe(`0003000011223344${toHex(FRAME)}`);
  });

  it('the peer\'s 4-byte cookie and the default sublayer with numbers from 0 (Appendix C: "MUST begin ... at zero")', () => {
    const pw = new Pseudowire({ localSessionId: 1, remoteSessionId: 0x11223344, remoteCookie: C4, remoteL2SpecificSublayer: 1, remoteDataSequencing: 2 });
    expect(toHex(pw.send(FRAME))).toBe(`0003000011223344deadbeef40000000${toHex(FRAME)}`);
    expect(toHex(pw.send(FRAME))).toBe(`0003000011223344deadbeef40000001${toHex(FRAME)}`);
    expect(pw.stats).toMatchObject({ sent: 2, sentSequenced: 2 });
  });

  it('an 8-byte cookie; the sublayer without sequencing is all zero (S=0)', () => {
    const pw = new Pseudowire({ localSessionId: 1, remoteSessionId: 0xfffffffe, remoteCookie: C8, remoteL2SpecificSublayer: 1 });
    expect(toHex(pw.send(FRAME))).toBe(`00030000fffffffe010203040506070800000000${toHex(FRAME)}`);
    expect(pw.stats.sentSequenced).toBe(0);
  });

  it('Data Sequencing level 1 numbers only non-IP frames (§5.4.4), looking through a VLAN tag', () => {
    const pw = new Pseudowire({ localSessionId: 1, remoteSessionId: 2, remoteL2SpecificSublayer: 1, remoteDataSequencing: 1 });
    const ipv4 = hex('020000000002 020000000001 0800 4500');
    const ipv6InVlan = hex('020000000002 020000000001 8100 0064 86dd 6000');
    const l2 = { arp: pw.send(FRAME), ipv4: pw.send(ipv4), ipv6: pw.send(ipv6InVlan), arp2: pw.send(FRAME) };
    expect(toHex(l2.arp.subarray(8, 12))).toBe('40000000');
    expect(toHex(l2.ipv4.subarray(8, 12))).toBe('00000000');
    expect(toHex(l2.ipv6.subarray(8, 12))).toBe('00000000');
    expect(toHex(l2.arp2.subarray(8, 12))).toBe('40000001');
  });

  it('refuses local misuse with RangeError/TypeError', () => {
    const base = { localSessionId: 1, remoteSessionId: 2 };
    expect(() => new Pseudowire({ ...base, localSessionId: 0 })).toThrow(RangeError);
    expect(() => new Pseudowire({ ...base, remoteSessionId: 2 ** 32 })).toThrow(RangeError);
    expect(() => new Pseudowire({ ...base, remoteCookie: new Uint8Array(6) })).toThrow(RangeError);
    expect(() => new Pseudowire({ ...base, localDataSequencing: 2 })).toThrow(/L2SpecificSublayer/);
    expect(() => new Pseudowire({ ...base, remoteDataSequencing: 1 })).toThrow(/Result Code 15/);
    expect(() => new Pseudowire({ ...base, sequenceWindow: 2 ** 23 + 1 })).toThrow(RangeError);
    expect(() => new Pseudowire({ ...base, resyncThreshold: 0 })).toThrow(RangeError);
    const pw = new Pseudowire(base);
    expect(() => pw.send(new Uint8Array(13))).toThrow(/14 bytes/);
    expect(() => pw.send([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => pw.send(new Uint8Array(0x10000))).toThrow(RangeError);
  });
});

describe('receive: Session ID and cookie (§4.5: invalid ones "MUST be dropped")', () => {
  it('delivers the frame of a message with our Session ID and our cookie', () => {
    const pw = receiver();
    expect(frameOf(pw.receive(msg(0x0a0b0c0d, 'deadbeef', seqd(0))))).toBe(toHex(FRAME));
  });

  it.each([
    ['a wrong 4-byte cookie', msg(0x0a0b0c0d, 'deadbeee', seqd(0)), 'cookie'],
    ['no cookie at all (the frame\'s first bytes read as one)', msg(0x0a0b0c0d, '', seqd(0)), 'cookie'],
    ['a message too short to hold our cookie', hex('00030000 0a0b0c0d dead'), 'cookie'],
    ['another Session ID', msg(0x0a0b0c0e, 'deadbeef', seqd(0)), 'session'],
    ['Session ID 0 (§4.1: non-zero)', msg(0, 'deadbeef', seqd(0)), 'session'],
    ['an L2TPv3 control message', hex('c80300140a0b0c0d00000000 8008000000000014'), 'malformed'],
    ['an L2TPv2 data message', hex('0002 0001 0002 ff03c021'), 'malformed'],
    ['version 1 (L2F)', hex('00010000 0a0b0c0d deadbeef 40000000'), 'malformed'],
    ['4 bytes', hex('00030000'), 'malformed'],
    ['nothing', new Uint8Array(0), 'malformed'],
    ['no room for the sublayer', msg(0x0a0b0c0d, 'deadbeef', '4000', new Uint8Array(0)), 'malformed'],
    ['a frame shorter than an Ethernet header (RFC 4719 §3.1)', msg(0x0a0b0c0d, 'deadbeef', seqd(0), new Uint8Array(13)), 'runt'],
  ] as const)('drops %s and counts it, without throwing', (_name, bytes, drop) => {
    const pw = receiver();
    expect(pw.receive(bytes)).toEqual({ ok: false, drop });
    const s = pw.stats;
    expect(s.received).toBe(1);
    expect(s.delivered).toBe(0);
    const key = { cookie: 'droppedCookie', session: 'droppedSession', malformed: 'droppedMalformed', runt: 'droppedRunt' }[drop];
    expect(s[key as keyof typeof s]).toBe(1);
  });

  it('an 8-byte cookie must match all 8 bytes', () => {
    const pw = receiver({ localCookie: C8 });
    expect(pw.receive(msg(0x0a0b0c0d, '0102030405060709', seqd(0)))).toEqual({ ok: false, drop: 'cookie' });
    expect(pw.receive(msg(0x0a0b0c0d, 'deadbeef', seqd(0)))).toEqual({ ok: false, drop: 'cookie' });
    expect(frameOf(pw.receive(msg(0x0a0b0c0d, '0102030405060708', seqd(0))))).toBe(toHex(FRAME));
  });

  it('keeps its own copy of the cookie (changing the caller\'s array changes nothing)', () => {
    const mine = C4.slice();
    const pw = receiver({ localCookie: mine });
    mine[0] = 0;
    expect(pw.receive(msg(0x0a0b0c0d, 'deadbeef', seqd(0))).ok).toBe(true);
  });

  it('a non-Uint8Array datagram is our caller\'s mistake (TypeError)', () => {
    expect(() => receiver().receive('x' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('receive: sequence numbers (§4.6, Appendix C)', () => {
  const feed = (pw: Pseudowire, seqs: number[]): (number | string)[] =>
    seqs.map((n) => {
      const r = pw.receive(msg(0x0a0b0c0d, 'deadbeef', seqd(n)));
      return r.ok ? r.sequenceNumber! : r.drop;
    });

  it('delivers new numbers, drops duplicates and late ones, counts the gap', () => {
    const pw = receiver();
    expect(feed(pw, [0, 1, 1, 3, 2, 4, 0, 6, 5])).toEqual([0, 1, 'duplicate', 3, 'out-of-order', 4, 'duplicate', 6, 'out-of-order']);
    expect(pw.stats).toMatchObject({ received: 9, delivered: 5, droppedDuplicate: 2, droppedOutOfOrder: 2, lost: 2, resyncs: 0 });
  });

  it('a first message numbered above 0 counts the numbers before it as lost', () => {
    const pw = receiver();
    expect(feed(pw, [3])).toEqual([3]);
    expect(pw.stats.lost).toBe(3);
  });

  it('wraps: 2^23−1 ahead is new, 2^23 ahead is old (§4.6: the preceding 2^23−1 values are "less")', () => {
    const pw = receiver();
    expect(feed(pw, [0x7fffff, 0xfffffe, 0xffffff, 0, 1, 0xffffff])).toEqual([0x7fffff, 0xfffffe, 0xffffff, 0, 1, 'duplicate']);
    const fresh = receiver();
    expect(feed(fresh, [0x800000])).toEqual(['out-of-order']);
  });

  it('resynchronises after a run of old numbers in sequence among themselves (Appendix C MUST)', () => {
    const pw = receiver({ resyncThreshold: 4 });
    expect(feed(pw, [999])).toEqual([999]);
    // The peer lost its sequence state and starts again at 0.
    expect(feed(pw, [0, 1, 2, 3, 4, 5])).toEqual(['out-of-order', 'out-of-order', 'out-of-order', 3, 4, 5]);
    expect(pw.stats.resyncs).toBe(1);
  });

  it('old numbers not in sequence never resynchronise', () => {
    const pw = receiver({ resyncThreshold: 3 });
    feed(pw, [500]);
    expect(feed(pw, [10, 20, 30, 40, 50, 60])).toEqual(Array(6).fill('out-of-order'));
    expect(pw.stats.resyncs).toBe(0);
  });

  it('a smaller window makes numbers further ahead old (sequenceWindow, Appendix C "SHOULD be configurable")', () => {
    const pw = receiver({ sequenceWindow: 100 });
    expect(feed(pw, [99, 199, 300])).toEqual([99, 199, 'out-of-order']);
  });

  it('level 0: numbers that arrive anyway "will be ignored upon receipt" (§5.4.4)', () => {
    const pw = receiver({ localDataSequencing: 0 });
    const r = [pw.receive(msg(0x0a0b0c0d, 'deadbeef', seqd(5))), pw.receive(msg(0x0a0b0c0d, 'deadbeef', seqd(5)))];
    expect(r.map((x) => x.ok && x.sequenceNumber)).toEqual([undefined, undefined]);
    expect(pw.stats.delivered).toBe(2);
  });

  it('level 2 with S=0: delivered, counted as unsequenced', () => {
    const pw = receiver();
    expect(pw.receive(msg(0x0a0b0c0d, 'deadbeef', '00000007')).ok).toBe(true);
    expect(pw.stats.receivedUnsequenced).toBe(1);
  });

  it('level 1: unsequenced IP among sequenced non-IP is normal, not counted', () => {
    const pw = receiver({ localDataSequencing: 1 });
    const ip = hex('020000000002 020000000001 0800 4500');
    expect(pw.receive(msg(0x0a0b0c0d, 'deadbeef', '00000000', ip)).ok).toBe(true);
    expect(pw.stats.receivedUnsequenced).toBe(0);
  });
});

describe('two pseudowires through the lossy simulator (l2tp-wire/testing)', () => {
  it.each([[1], [2], [3]])('seed %i: each frame delivered at most once, in increasing order, every message accounted for', (seed) => {
    const opts = { localL2SpecificSublayer: 1, remoteL2SpecificSublayer: 1, localDataSequencing: 2, remoteDataSequencing: 2 } as const;
    const a = new Pseudowire({ ...opts, localSessionId: 1, remoteSessionId: 2, localCookie: C4, remoteCookie: C8 });
    const b = new Pseudowire({ ...opts, localSessionId: 2, remoteSessionId: 1, localCookie: C8, remoteCookie: C4 });
    // One frame per virtual ms; 5–9 ms each way, 10% lost, 10% duplicated, 20% held back up to 20 ms.
    const link = new SimulatedLink({ loss: 0.1, duplicate: 0.1, reorder: 0.2, reorderDelay: 20, delay: 5, jitter: 4 }, new Prng(seed));
    const got: number[] = [];
    const drain = (now: number): void => {
      for (let m = link.receive(now); m; m = link.receive(now)) {
        const r = b.receive(m);
        if (r.ok) got.push(r.frame[14]! | (r.frame[15]! << 8));
      }
    };
    for (let i = 0; i < 300; i++) {
      const f = FRAME.slice();
      f[14] = i & 0xff;
      f[15] = i >> 8;
      link.send(a.send(f), i);
      drain(i);
    }
    drain(10_000);
    for (let i = 1; i < got.length; i++) expect(got[i]).toBeGreaterThan(got[i - 1]!);
    const s = b.stats;
    expect(s.received).toBe(link.stats.delivered);
    expect(s.delivered + s.droppedDuplicate + s.droppedOutOfOrder).toBe(s.received);
    expect(s.delivered).toBe(got.length);
    expect(s.droppedDuplicate).toBeGreaterThan(0);
    expect(s.droppedOutOfOrder).toBeGreaterThan(0);
    // Every number jumped over was lost on the link or came late (and was dropped as out of order).
    expect(got.at(-1)! + 1).toBe(s.delivered + s.lost);
    expect(s.resyncs).toBe(0);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
