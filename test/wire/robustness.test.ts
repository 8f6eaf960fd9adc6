/**
 * Robustness: whatever bytes arrive, the parsers return a value or throw an `L2tpError` — never a
 * `TypeError`, a `RangeError` or an out-of-bounds read that turns into garbage — and whatever
 * parses can be read in full (every typed getter, `avps`, `toJSON()`) without throwing.
 * Also: the worst-case message (64 KiB of tiny AVPs, or every catalogue row then tiny AVPs) costs
 * work linear in its size, parsed and read in full, and each typed getter costs the same on it as on
 * a small message (O(1)): counted in byte reads, not by the clock.
 *
 * fast-check prints the seed and path of a failing run; replay with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AVP_CATALOG,
  L2tpError,
  decodeAvps,
  parseControl,
  parseData,
  parseHeader,
  unhideAvpValue,
  type ControlMessage,
} from '../../src/index.js';
import { TEST_SECRET, TYPED_DEFS, looksLikeL2tpArb, mutatedMessageArb, typedValueArb } from '../support/arbitraries.js';
import { runs } from '../runs.js';

const RUNS = runs(10_000);

/** Run `f`; an L2tpError is a fine answer, anything else thrown fails the property. */
function remoteOnly<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof L2tpError) {
      expect(typeof e.code).toBe('string');
      return undefined;
    }
    throw e;
  }
}

/** Read everything a caller could read from a parsed message. */
function readAll(m: ControlMessage): void {
  for (const d of AVP_CATALOG) void (m as unknown as Record<string, unknown>)[d.key];
  for (const a of m.avps) {
    void a.value;
    a.toJSON();
  }
  JSON.stringify(m);
  void m.bytes.length;
}

/** Every parser entry point on the same bytes. */
function everyParser(bytes: Uint8Array, secret: string | undefined): void {
  for (const options of [undefined, { secret: secret ?? TEST_SECRET }, { requireAvps: false }]) {
    const m = remoteOnly(() => parseControl(bytes, options));
    if (m) readAll(m);
  }
  for (const cookieLength of [0, 4, 8] as const) {
    remoteOnly(() => parseHeader(bytes, { cookieLength }));
    const d = remoteOnly(() => parseData(bytes, { cookieLength }));
    if (d) void d.payload.length;
  }
  const avps = remoteOnly(() => decodeAvps(bytes, Math.min(12, bytes.length)));
  if (avps) for (const a of avps) void a.value;
}

describe('parsers only ever return a value or throw L2tpError', () => {
  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => everyParser(b, undefined)),
      { numRuns: RUNS },
    );
  });

  it('bytes that look like L2TP (plausible flags, coherent Length, AVP-shaped bodies)', () => {
    fc.assert(
      fc.property(looksLikeL2tpArb, (b) => everyParser(b, undefined)),
      { numRuns: RUNS },
    );
  });

  it('valid messages mutated: truncated, bit-flipped, lying Length, lying AVP Length, AVPs dropped/duplicated, spliced', () => {
    let parsed = 0;
    fc.assert(
      fc.property(mutatedMessageArb, ({ bytes, secret }) => {
        const m = remoteOnly(() => parseControl(bytes, { secret }));
        if (m) {
          parsed++;
          readAll(m);
        }
        everyParser(bytes, secret);
      }),
      { numRuns: RUNS },
    );
    // The mutations must leave some messages parseable, or the getters were never exercised.
    expect(parsed).toBeGreaterThan(RUNS / 20);
  });

  it('decodeAvps over any range of any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.nat(), fc.nat(), (b, x, y) => {
        const end = b.length === 0 ? 0 : y % (b.length + 1);
        const start = end === 0 ? 0 : x % (end + 1);
        remoteOnly(() => decodeAvps(b, start, end));
      }),
      { numRuns: RUNS },
    );
  });

  it('unhideAvpValue of any hidden bytes, secret and Random Vector', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.uint8Array({ maxLength: 1017 }),
        fc.oneof(fc.string({ maxLength: 32 }), fc.uint8Array({ maxLength: 32 })),
        fc.uint8Array({ minLength: 1, maxLength: 32 }),
        (type, hidden, secret, rv) => {
          const v = remoteOnly(() => unhideAvpValue(type, hidden, secret, rv));
          if (v) expect(v.length).toBeLessThanOrEqual(hidden.length - 2);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Worst case: a message of nothing but 6-byte AVPs.

/** Message Type (HELLO) then `n` 6-byte AVPs with first word `w` (M/H bits) and the given type. */
function manyAvps(n: number, w: number, vendorId: number, type: number): Uint8Array {
  const len = 12 + 8 + 6 * n;
  if (len > 0xffff) throw new RangeError(`${n} AVPs do not fit a message`);
  const b = new Uint8Array(len);
  b.set([0xc8, 0x02, len >>> 8, len & 0xff, 0, 1, 0, 0, 0, 0, 0, 0, 0x80, 8, 0, 0, 0, 0, 0, 6]);
  for (let i = 0, o = 20; i < n; i++, o += 6) b.set([(w | 6) >>> 8, (w | 6) & 0xff, vendorId >>> 8, vendorId & 0xff, type >>> 8, type & 0xff], o);
  return b;
}

/** Most AVPs of 6 bytes that fit one message: (65535 − 12 − 8) / 6. */
const MAX_AVPS = Math.floor((0xffff - 20) / 6);

/**
 * A view of `bytes` that counts the parser's unit of work, as a count of operations, not a clock,
 * so the bound holds on a loaded machine: every indexed read, and every byte of each `subarray`
 * handed out (a value view, a string decoded by `TextDecoder`, a hidden value to unhide: its
 * length bounds what can be read through it). `escapes` counts reads of `buffer`/`byteOffset`,
 * the way around the counter (a `DataView` over the buffer): the tests require none, so a change
 * that reads the bytes another way has to change the counter too, not pass unseen.
 */
function counting(bytes: Uint8Array): { view: Uint8Array; reads: () => number; escapes: () => number } {
  let n = 0;
  let escapes = 0;
  const subarray = (s?: number, e?: number): Uint8Array => {
    const v = bytes.subarray(s, e);
    n += v.length;
    return v;
  };
  const view = new Proxy(bytes, {
    get(target, prop) {
      if (typeof prop === 'string' && prop.length > 0 && prop.charCodeAt(0) <= 57 && prop.charCodeAt(0) >= 48) n++;
      if (prop === 'subarray') return subarray;
      if (prop === 'buffer' || prop === 'byteOffset') escapes++;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { view, reads: () => n, escapes: () => escapes };
}

/** Byte reads per message byte of `op` on a ~1 KiB and on the 64 KiB message. */
function readsPerByte(make: (n: number) => Uint8Array, op: (b: Uint8Array) => void): { small: number; big: number } {
  const small = make(167); // 1022 bytes
  const big = make(MAX_AVPS); // 65534 bytes
  const s = counting(small);
  op(s.view);
  const g = counting(big);
  op(g.view);
  expect([s.escapes(), g.escapes()]).toEqual([0, 0]);
  return { small: s.reads() / small.length, big: g.reads() / big.length };
}

/**
 * One AVP of every catalogue row (a valid value of at most 12 bytes where the row allows it, from
 * a fixed seed), each with its header, in catalogue order: every typed getter has a value to decode.
 */
const EVERY_ROW: Uint8Array[] = TYPED_DEFS.map((d, i) => {
  const [value] = fc.sample(typedValueArb(d, Math.max(12, d.codec.minLength)), { seed: 16 + i, numRuns: 1 });
  const n = d.codec.encodedLength(value as never);
  const avp = new Uint8Array(6 + n);
  avp.set([(d.mandatory ? 0x80 : 0) | ((6 + n) >>> 8), (6 + n) & 0xff, d.vendorId >>> 8, d.vendorId & 0xff, d.type >>> 8, d.type & 0xff]);
  d.codec.encode(value as never, avp, 6);
  return avp;
});
const EVERY_ROW_BYTES = EVERY_ROW.reduce((n, a) => n + a.length, 0);

/**
 * HELLO (no required AVPs), then every catalogue row once, then filler up to about `size` bytes:
 * the rows again (each re-validated by the parser: the index keeps the first) then 6-byte
 * Sequencing Required AVPs (catalogued, empty: the tiniest typed AVP).
 */
function everyRowThenFiller(size: number): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0x80, 8, 0, 0, 0, 0, 0, 6), ...EVERY_ROW];
  let len = 12 + 8 + EVERY_ROW_BYTES;
  for (let i = 0; len + EVERY_ROW[i % EVERY_ROW.length]!.length <= size / 2; i++) {
    parts.push(EVERY_ROW[i % EVERY_ROW.length]!);
    len += EVERY_ROW[i % EVERY_ROW.length]!.length;
  }
  const seq = Uint8Array.of(0x80, 6, 0, 0, 0, 39);
  while (len + 6 <= size) {
    parts.push(seq);
    len += 6;
  }
  const b = new Uint8Array(len);
  b.set([0xc8, 0x02, len >>> 8, len & 0xff, 0, 1, 0, 0, 0, 0, 0, 0]);
  let o = 12;
  for (const p of parts) {
    b.set(p, o);
    o += p.length;
  }
  return b;
}

const WORST_CASES: [string, (n: number) => Uint8Array, { secret?: string; requireAvps?: boolean }][] = [
  ['every catalogue row, the rows again, then 6-byte AVPs', (n) => everyRowThenFiller(20 + 6 * n), {}],
  ['unknown M=0 AVPs', (n) => manyAvps(n, 0, 0, 200), {}],
  ['Sequencing Required (empty, catalogued) AVPs', (n) => manyAvps(n, 0x8000, 0, 39), {}],
  ['vendor AVPs (one Map lookup each)', (n) => manyAvps(n, 0, 9, 99), {}],
  ['hidden Host Name AVPs, no secret', (n) => manyAvps(n, 0x4000, 0, 7), {}],
];

describe(`the worst-case message (${MAX_AVPS} AVPs of 6 bytes, 64 KiB) costs linear work, counted in byte reads`, () => {
  it('has about 10,900 AVPs and parses', () => {
    expect(MAX_AVPS).toBe(10919);
    const m = parseControl(manyAvps(MAX_AVPS, 0, 0, 200));
    expect(m.length).toBe(65534);
    expect(m.avps.length).toBe(MAX_AVPS + 1);
  });

  it("the counter sees the work: 20 reads of a getter cost one walk (a rescanning getter, as before issue 16, would cost 20)", () => {
    const big = manyAvps(MAX_AVPS, 0, 0, 200);
    const c = counting(big);
    const m = parseControl(c.view);
    const afterParse = c.reads();
    for (let i = 0; i < 20; i++) void m.hostName; // 20 reads of one getter: one index walk, then O(1)
    expect(c.reads() - afterParse).toBeLessThan(2 * big.length);
    expect(afterParse).toBeGreaterThanOrEqual(big.length); // the parse reads every AVP header once
  });

  it.each(WORST_CASES)('parseControl, %s: at most 4 byte reads per byte, the same at 64 KiB as at 1 KiB', (_name, make, options) => {
    const r = readsPerByte(make, (b) => parseControl(b, options));
    expect(r.big).toBeLessThanOrEqual(4);
    expect(r.big / r.small).toBeLessThan(1.5);
  });

  it.each(WORST_CASES)('parse + every typed getter + toJSON(), %s: at most 16 reads per byte at 64 KiB too (a log line must not be a DoS)', (_name, make, options) => {
    const r = readsPerByte(make, (b) => readAll(parseControl(b, options)));
    expect(r.big).toBeLessThanOrEqual(16);
    expect(r.big / r.small).toBeLessThan(1.5);
  });

  it('every typed getter is O(1) in the message: the same reads on a 64 KiB message as on a small one with the same first AVPs, and no more than its own AVP', () => {
    const small = everyRowThenFiller(EVERY_ROW_BYTES + 20);
    const big = everyRowThenFiller(0xffff);
    expect(big.length).toBeGreaterThan(0xffff - 40);
    const s = counting(small);
    const g = counting(big);
    const ms = parseControl(s.view) as unknown as Record<string, unknown>;
    const mg = parseControl(g.view) as unknown as Record<string, unknown>;
    let decoded = 0;
    for (const [i, d] of TYPED_DEFS.entries()) {
      const before = [s.reads(), g.reads()];
      const a = ms[d.key];
      const b = mg[d.key];
      const perRead = [s.reads() - before[0]!, g.reads() - before[1]!];
      expect(b, d.key).toEqual(a);
      if (a !== undefined) decoded++;
      // The first occurrence is the same AVP in both: the same reads, bounded by that AVP's size
      // (a string's bytes are read twice: the ASCII check, then the characters).
      expect(perRead[1], d.key).toBe(perRead[0]);
      expect(perRead[1], d.key).toBeLessThanOrEqual(2 * EVERY_ROW[i]!.length + 4);
      // Reading it again costs the same: nothing rescans.
      const again = g.reads();
      void mg[d.key];
      expect(g.reads() - again, d.key).toBe(perRead[1]);
    }
    expect(decoded).toBe(TYPED_DEFS.length); // every getter had a value: the counter saw real decodes
    expect([s.escapes(), g.escapes()]).toEqual([0, 0]);
  });
});

