import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2tpError } from '../../src/wire/errors.js';
import { STREAM_MAX_MESSAGE_LENGTH, StreamFramer, toStreamMessage } from '../../src/transports/stream-framer.js';
import { fromHex, loadHex, toHex } from '../support/vectors.js';

/** Every message two real xl2tpd peers exchanged: control (flags c802) and data with L=1 (flags 4002). */
const REAL = ['plain', 'auth', 'hidden', 'hello', 'data', 'retransmit'].flatMap((n) => loadHex(n).map((f) => f.bytes));
/** The data capture's DATA messages (LCP Configure-Request), sent by xl2tpd with L=1. */
const REAL_DATA = loadHex('data')
  .map((f) => f.bytes)
  .filter((b) => b[0] === 0x40);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Feed `stream` cut at `cuts` and collect what comes out (as hex, to compare contents). */
function frame(stream: Uint8Array, cuts: number[]): string[] {
  const out: string[] = [];
  const framer = new StreamFramer((m) => out.push(toHex(m)));
  let prev = 0;
  for (const c of [...cuts, stream.length]) {
    framer.push(stream.slice(prev, c));
    prev = c;
  }
  framer.end();
  expect(framer.buffered).toBe(0);
  return out;
}

function catchErr(f: () => void): L2tpError {
  try {
    f();
  } catch (e) {
    if (e instanceof L2tpError) return e;
    throw e;
  }
  throw new Error('expected an L2tpError');
}

describe('StreamFramer', () => {
  it('the captures hold control and L=1 data messages (test premise)', () => {
    expect(REAL.length).toBeGreaterThan(60);
    expect(REAL_DATA).toHaveLength(2);
    for (const m of REAL) expect(((m[2]! << 8) | m[3]!) === m.length).toBe(true); // Length = size
  });

  it('splits several messages merged into one chunk', () => {
    expect(frame(concat(REAL), [])).toEqual(REAL.map(toHex));
  });

  it('reassembles messages pushed one byte at a time', () => {
    const stream = concat(REAL.slice(0, 20));
    const cuts = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    expect(frame(stream, cuts)).toEqual(REAL.slice(0, 20).map(toHex));
  });

  it('handles a cut inside the 4-byte prefix (flags word / Length field)', () => {
    const [a, b] = [REAL[0]!, REAL[1]!];
    const stream = concat([a, b]);
    for (const within of [1, 2, 3]) expect(frame(stream, [a.length + within])).toEqual([toHex(a), toHex(b)]);
    expect(frame(stream, [1, 2, 3])).toEqual([toHex(a), toHex(b)]);
  });

  it('property: any split of a concatenation of real messages yields exactly those messages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...REAL), { minLength: 0, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (msgs, rawCuts) => {
          const stream = concat(msgs);
          const cuts = [...new Set(rawCuts.map((c) => (stream.length ? c % (stream.length + 1) : 0)))].sort((x, y) => x - y);
          expect(frame(stream, cuts)).toEqual(msgs.map(toHex));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: arbitrary well-formed v2 messages of any length up to 65535 survive any split', () => {
    const message = fc
      .tuple(fc.boolean(), fc.integer({ min: 12, max: 3000 }), fc.integer({ min: 0, max: 255 }))
      .map(([control, length, fill]) => {
        const m = new Uint8Array(length).fill(fill);
        // RFC 2661 §3.1 flags word: T, L, S for control; L only for data; version 2.
        m[0] = control ? 0xc8 : 0x40;
        m[1] = 0x02;
        m[2] = length >> 8;
        m[3] = length & 0xff;
        return m;
      });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), (msgs, rawCuts) => {
        const stream = concat(msgs);
        const cuts = [...new Set(rawCuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
        expect(frame(stream, cuts)).toEqual(msgs.map(toHex));
      }),
      { numRuns: 200 },
    );
  });

  it('is zero-copy for a message wholly inside one chunk, and copies one that spans chunks', () => {
    const chunk = concat([REAL[0]!, REAL[1]!]);
    const seen: Uint8Array[] = [];
    const framer = new StreamFramer((m) => seen.push(m));
    framer.push(chunk.subarray(0, REAL[0]!.length + 5));
    framer.push(chunk.subarray(REAL[0]!.length + 5));
    expect(seen[0]!.buffer).toBe(chunk.buffer);
    expect(seen[0]!.byteOffset).toBe(0);
    expect(seen[1]!.buffer).not.toBe(chunk.buffer);
    expect(toHex(seen[1]!)).toBe(toHex(REAL[1]!));
  });

  it('buffers at most one partial message: a 65535-byte message fed byte by byte', () => {
    const big = new Uint8Array(STREAM_MAX_MESSAGE_LENGTH);
    big.set([0x40, 0x02, 0xff, 0xff]); // data, L=1, Length 65535 (the 16-bit maximum, RFC 2661 §3.1)
    big[STREAM_MAX_MESSAGE_LENGTH - 1] = 0xaa;
    const seen: Uint8Array[] = [];
    const framer = new StreamFramer((m) => seen.push(m));
    let most = 0;
    for (let i = 0; i < big.length; i++) {
      framer.push(big.subarray(i, i + 1));
      most = Math.max(most, framer.buffered);
    }
    expect(most).toBe(STREAM_MAX_MESSAGE_LENGTH - 1);
    expect(framer.buffered).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.length).toBe(STREAM_MAX_MESSAGE_LENGTH);
    expect(seen[0]![STREAM_MAX_MESSAGE_LENGTH - 1]).toBe(0xaa);
  });

  describe('lost framing makes the stream unusable', () => {
    const cases: Array<[string, string, L2tpError['code'], number]> = [
      // [what, first bytes, code, offset within the bad message]
      ['a v2 data message without L=1 (flags 0x0002)', '0002 1d64 d158 ff03', 'BAD_FLAGS', 0],
      ['an L2TPv3 control message without L (flags 0x8803)', '8803 000c 0000 0000', 'BAD_FLAGS', 0],
      ['version 1 (L2F)', 'c801 000c 0000 0000', 'BAD_VERSION', 1],
      ['text, not L2TP ("GET ")', '4745 5420 2f20 4854', 'BAD_VERSION', 1],
      ['Length 0', '4002 0000 0000 0000', 'BAD_LENGTH', 2],
      ['Length 5 (under the 6-byte v2 data minimum)', '4002 0005 0000 0000', 'BAD_LENGTH', 2],
      ['Length 7 (under the 8-byte v2 header with L)', '4002 0007 0000 0000', 'BAD_LENGTH', 2],
      ['Length 11 on a control message (12-byte header with Ns/Nr)', 'c802 000b 0000 0000 0000', 'BAD_LENGTH', 2],
      ['Length 11 on an L2TPv3 control message (12-byte header)', 'c803 000b 0000 0000 0000', 'BAD_LENGTH', 2],
    ];
    for (const [what, hex, code, offset] of cases) {
      it(`${what} → ${code}`, () => {
        const good = REAL[2]!;
        const seen: string[] = [];
        const framer = new StreamFramer((m) => seen.push(toHex(m)));
        const err = catchErr(() => framer.push(concat([good, fromHex(hex)])));
        expect(err.code).toBe(code);
        expect(err.offset).toBe(good.length + offset); // offset in the stream
        expect(seen).toEqual([toHex(good)]); // what came before is still delivered
        expect(framer.error).toBe(err);
        expect(() => framer.push(good)).toThrow(err); // unusable from now on
        expect(seen).toHaveLength(1);
      });
    }

    it('also when the bad prefix arrives split across chunks', () => {
      const framer = new StreamFramer(() => {});
      framer.push(fromHex('40'));
      framer.push(fromHex('02 00'));
      expect(catchErr(() => framer.push(fromHex('03'))).code).toBe('BAD_LENGTH');
    });
  });

  it('end() reports a stream cut inside a message as TRUNCATED, and is quiet at a boundary', () => {
    const framer = new StreamFramer(() => {});
    framer.push(REAL[0]!);
    framer.end();
    const cut = new StreamFramer(() => {});
    cut.push(REAL[0]!.subarray(0, 10));
    const err = catchErr(() => cut.end());
    expect(err.code).toBe('TRUNCATED');
    expect(err.offset).toBe(10);
    const inPrefix = new StreamFramer(() => {});
    inPrefix.push(REAL[0]!.subarray(0, 3));
    expect(catchErr(() => inPrefix.end()).code).toBe('TRUNCATED');
  });

  it('rejects misuse with TypeError', () => {
    expect(() => new StreamFramer(undefined as never)).toThrow(TypeError);
    expect(() => new StreamFramer(() => {}).push('c802' as never)).toThrow(TypeError);
  });
});

describe('toStreamMessage', () => {
  it('returns a message that already carries L=1 and a matching Length unchanged (same object)', () => {
    for (const m of REAL) expect(toStreamMessage(m)).toBe(m);
  });

  it("inserts the Length field into an L2TPv2 data message: gives xl2tpd's own L=1 bytes", () => {
    for (const real of REAL_DATA) {
      // The same message without L (RFC 2661 §3.1 layout): flags 0x0002, Length field removed.
      const noL = concat([fromHex('0002'), real.subarray(4)]);
      expect(toHex(toStreamMessage(noL))).toBe(toHex(real));
    }
  });

  it('refuses what no stream can carry (RangeError) and non-bytes (TypeError)', () => {
    expect(() => toStreamMessage('x' as never)).toThrow(TypeError);
    expect(() => toStreamMessage(fromHex('8803 0000 0000 0000 0000 0000'))).toThrow(/must carry L=1/); // v3 control, T=1 S=1 but no L
    expect(() => toStreamMessage(fromHex('c801 000c 0000 0000 0000 0000'))).toThrow(/version 1/);
    expect(() => toStreamMessage(fromHex('c802 000d 0000 0000 0000 0000'))).toThrow(/says 13 but the message is 12/);
    expect(() => toStreamMessage(fromHex('4002 0006 0000'))).toThrow(/shorter than the 8-byte header/);
    expect(() => toStreamMessage(fromHex('0002 00'))).toThrow(RangeError);
    expect(() => toStreamMessage(new Uint8Array(0xfffe).fill(0).fill(2, 1, 2))).toThrow(/too long/);
    expect(toStreamMessage(new Uint8Array(0xfffd).fill(0).fill(2, 1, 2)).length).toBe(0xffff);
  });
});

describe('StreamFramer.reserved: the memory held for an incomplete message', () => {
  it('is the prefix bytes until the Length is known, then the whole announced Length; 0 once delivered', () => {
    const framer = new StreamFramer(() => {});
    framer.push(Uint8Array.of(0xc8, 0x02));
    expect([framer.reserved, framer.buffered]).toEqual([2, 2]);
    // Length 0xffff (RFC 2661 §3.1): the framer allocates 65,535 bytes on these 4 bytes.
    framer.push(Uint8Array.of(0xff, 0xff));
    expect([framer.reserved, framer.buffered]).toEqual([STREAM_MAX_MESSAGE_LENGTH, 4]);
    framer.push(new Uint8Array(STREAM_MAX_MESSAGE_LENGTH - 4).fill(0));
    expect([framer.reserved, framer.buffered]).toEqual([0, 0]);
  });
});
