/**
 * L2TPv3 data messages on a stream (our convention, not in any RFC; see stream-framer.ts): the
 * message's total length rides in the Reserved bytes 2–3 of the RFC 3931 §4.1.2.1 header, written
 * by `toStreamMessage` and set back to 0 by `StreamFramer`. Every vector is written out by hand
 * from the §4.1.2.1 layout (and the §4.6 default L2-Specific Sublayer), never by our encoder:
 *
 *   |T|x|x|x|x|x|x|x|x|x|x|x|  Ver  |     Reserved (0 over UDP)     |
 *   |                         Session ID                            |
 *   |               Cookie (optional, maximum 64 bits)...           |
 *   |               L2-Specific Sublayer (optional)                 |
 *   |               Data (payload)...                               |
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2tpError } from '../../src/wire/errors.js';
import { StreamFramer, toStreamMessage } from '../../src/transports/stream-framer.js';
import { fromHex, loadHex, toHex } from '../support/vectors.js';

/** A broadcast ARP Ethernet header (RFC 4719 §3.1: no preamble, no FCS) and 2 payload bytes: 16 bytes. */
const ETH = 'ffffffffffff 02000000000a 0806 0001';

/** Each vector: the message as sent over UDP (Reserved = 0) and as carried on a stream (Reserved = its length). */
const V3: Array<{ what: string; udp: string; stream: string }> = [
  {
    what: 'no cookie, no sublayer (8-byte header + 16) = 24 = 0x18',
    udp: `0003 0000 00001234 ${ETH}`,
    stream: `0003 0018 00001234 ${ETH}`,
  },
  {
    what: '4-byte cookie, default sublayer S=1 Sequence 1 (§4.6) = 32 = 0x20',
    udp: `0003 0000 89abcdef deadbeef 40000001 ${ETH}`,
    stream: `0003 0020 89abcdef deadbeef 40000001 ${ETH}`,
  },
  {
    what: '8-byte cookie, default sublayer S=0 = 36 = 0x24',
    udp: `0003 0000 00000001 0102030405060708 00000000 ${ETH}`,
    stream: `0003 0024 00000001 0102030405060708 00000000 ${ETH}`,
  },
  {
    what: 'the 8-byte minimum (a Session ID, nothing after it)',
    udp: '0003 0000 ffffffff',
    stream: '0003 0008 ffffffff',
  },
];
const h = (s: string) => toHex(fromHex(s));

/** Real v2 control and L=1 data messages (xl2tpd captures), to interleave with v3 data. */
const V2 = loadHex('plain')
  .map((f) => f.bytes)
  .slice(0, 3);
/** An L2TPv3 SCCRQ header-only control message (RFC 3931 §3.2.1): T=L=S=1, Ver 3, Length 12, CCID 0, Ns 0, Nr 0. */
const V3_CONTROL = 'c803 000c 00000000 0000 0000';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Feed `stream` cut at `cuts` (fresh copies: the framer owns what it is given) and collect hex. */
function frame(stream: Uint8Array, cuts: number[]): string[] {
  const out: string[] = [];
  const framer = new StreamFramer((m) => out.push(toHex(m)));
  let prev = 0;
  for (const c of [...cuts, stream.length]) {
    framer.push(stream.slice(prev, c));
    prev = c;
  }
  framer.end();
  return out;
}

function framingError(bytes: Uint8Array): L2tpError {
  const framer = new StreamFramer(() => {});
  try {
    framer.push(bytes);
  } catch (e) {
    if (e instanceof L2tpError) return e;
    throw e;
  }
  throw new Error('expected an L2tpError');
}

describe('toStreamMessage: an L2TPv3 data message gets its length in Reserved bytes 2–3', () => {
  for (const v of V3) {
    it(v.what, () => {
      const udp = fromHex(v.udp);
      const before = toHex(udp);
      const framed = toStreamMessage(udp);
      expect(toHex(framed)).toBe(h(v.stream));
      expect(toHex(udp)).toBe(before); // a copy: the caller's bytes are untouched
      expect(toStreamMessage(framed)).toBe(framed); // already framed: returned as is (the relay frames twice)
    });
  }

  it('overwrites whatever a UDP peer left in Reserved (ignored on receipt, §4.1.2.1)', () => {
    expect(toHex(toStreamMessage(fromHex('0003 abcd 00000007 aa')))).toBe(h('0003 0009 00000007 aa'));
  });

  it('leaves the reserved flag bits as they are and adds no L bit (reserved in a v3 data header)', () => {
    expect(toHex(toStreamMessage(fromHex('7ff3 0000 00000001 bb')))).toBe(h('7ff3 0009 00000001 bb'));
  });

  it('refuses, with RangeError, what no stream can carry: under the 8-byte header, or over 65535 bytes', () => {
    expect(() => toStreamMessage(fromHex('0003 0000 0000 01'))).toThrow(/at least 8 bytes/);
    const big = new Uint8Array(0x10000);
    big[1] = 0x03;
    expect(() => toStreamMessage(big)).toThrow(/too long/);
    expect(toStreamMessage(big.subarray(0, 0xffff)).length).toBe(0xffff); // 65535 still fits
  });
});

describe('StreamFramer: L2TPv3 data framed by its Reserved bytes, handed up with them back at 0', () => {
  const streams = V3.map((v) => fromHex(v.stream));
  const udps = V3.map((v) => h(v.udp));

  it('one message per chunk', () => {
    for (const [i, s] of streams.entries()) expect(frame(s, [])).toEqual([udps[i]]);
  });

  it('coalesced with v2 and v3 control messages in one chunk', () => {
    const parts = [V2[0]!, streams[0]!, fromHex(V3_CONTROL), streams[1]!, V2[1]!, streams[2]!, streams[3]!, V2[2]!];
    const want = [toHex(V2[0]!), udps[0], h(V3_CONTROL), udps[1], toHex(V2[1]!), udps[2], udps[3], toHex(V2[2]!)];
    expect(frame(concat(parts), [])).toEqual(want);
  });

  it('split one byte at a time, and cut inside the 4-byte prefix', () => {
    const s = concat(streams);
    expect(frame(s, Array.from({ length: s.length - 1 }, (_, i) => i + 1))).toEqual(udps);
    for (const within of [1, 2, 3]) expect(frame(s, [streams[0]!.length + within])).toEqual(udps);
  });

  it('property: any split of any sequence of these v3 data and v2/v3 control messages yields them, v3 data as over UDP', () => {
    const pool: Array<[Uint8Array, string]> = [...streams.map((s, i): [Uint8Array, string] => [s, udps[i]!]), ...V2.map((m): [Uint8Array, string] => [m, toHex(m)]), [fromHex(V3_CONTROL), h(V3_CONTROL)]];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 12 }), (msgs, rawCuts) => {
        const stream = concat(msgs.map(([m]) => m));
        const cuts = [...new Set(rawCuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
        expect(frame(stream, cuts)).toEqual(msgs.map(([, out]) => out));
      }),
      { numRuns: 300 },
    );
  });

  it('the L bit and other reserved flag bits of a v3 data header are ignored (§4.1.2.1), and passed up as they are', () => {
    expect(frame(fromHex('4003 0009 00000001 cc 7ff3 0008 00000002'), [])).toEqual([h('4003 0000 00000001 cc'), h('7ff3 0000 00000002')]);
  });

  describe('a length under the 8-byte v3 data header loses the framing (BAD_LENGTH at the length field)', () => {
    for (const [what, hex] of [
      ['0 (what a UDP sender writes: Reserved MUST be 0)', '0003 0000 00000001'],
      ['4 (the prefix alone)', '0003 0004 00000001'],
      ['7 (one short of the Session ID)', '0003 0007 00000001'],
    ] as const) {
      it(what, () => {
        const good = fromHex(V3[0]!.stream);
        const seen: string[] = [];
        const framer = new StreamFramer((m) => seen.push(toHex(m)));
        let err: unknown;
        try {
          framer.push(concat([good, fromHex(hex)]));
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(L2tpError);
        expect((err as L2tpError).code).toBe('BAD_LENGTH');
        expect((err as L2tpError).offset).toBe(good.length + 2);
        expect(seen).toEqual([h(V3[0]!.udp)]); // the message before it was delivered
        expect(() => framer.push(good)).toThrow(err as Error); // unusable from now on
      });
    }

    it('also when the prefix arrives split across chunks', () => {
      const framer = new StreamFramer(() => {});
      framer.push(fromHex('00'));
      framer.push(fromHex('03 00'));
      let code: string | undefined;
      try {
        framer.push(fromHex('05'));
      } catch (e) {
        code = (e as L2tpError).code;
      }
      expect(code).toBe('BAD_LENGTH');
    });

    it('a lone v3 data prefix with length 0 is refused without waiting for more bytes', () => {
      expect(framingError(fromHex('0003 0000')).code).toBe('BAD_LENGTH');
    });
  });

  it('a stream that ends inside a v3 data message is TRUNCATED; nothing partial is delivered', () => {
    const seen: Uint8Array[] = [];
    const framer = new StreamFramer((m) => seen.push(m));
    framer.push(fromHex(V3[1]!.stream).subarray(0, 20));
    let code: string | undefined;
    try {
      framer.end();
    } catch (e) {
      code = (e as L2tpError).code;
    }
    expect(code).toBe('TRUNCATED');
    expect(seen).toHaveLength(0);
  });
});
