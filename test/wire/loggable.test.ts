/**
 * Everything a peer can make the library produce is loggable (issue 12 item 4): `toJSON()` of a
 * parsed message and of each AVP survives `JSON.stringify`, with 64-bit values as decimal strings
 * and bytes as lowercase hex.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlMessageArb } from '../../src/arbitraries.js';
import { AVP_CATALOG, encodeControl, L2tpError, parseControl, VendorId, type ControlMessage } from '../../src/index.js';
import { runs } from '../runs.js';

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));
}

const SECRET = 'loggable-secret';
const U64_KEYS = new Set(AVP_CATALOG.filter((d) => d.codec.kind === 'u64').map((d) => d.key));
const BYTES_KEYS = new Set(AVP_CATALOG.filter((d) => d.codec.kind === 'bytes').map((d) => d.key));

describe('JSON.stringify of a parsed message', () => {
  it('the issue 12 message (Tx Connect Speed, AVP 74, 64-bit) stringifies, the speed as a decimal string', () => {
    // The message from the issue: a Hello (Message Type 6) carrying Tx Connect Speed (AVP 74) = 0, 8 bytes.
    const m = parseControl(hex('c802002200010000000000008008000000000006000e0000004a0000000000000000'));
    const j = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
    expect(j.txConnectSpeedV3).toBe('0');
    expect(j.avps).toEqual([
      { mandatory: true, hidden: false, vendorId: 0, type: 0, value: '0006' },
      { mandatory: false, hidden: false, vendorId: 0, type: 74, value: '0000000000000000' },
    ]);
  });

  it('2^64 − 1 and a Broadband Forum rate come out exact; a Tie Breaker as hex', () => {
    const bytes = encodeControl({
      type: 1,
      protocolVersion: { version: 1, revision: 0 },
      hostName: 'h',
      framingCapabilities: 3,
      assignedTunnelId: 9,
      tieBreaker: hex('0102030405060708'),
      rxConnectSpeedV3: (1n << 64n) - 1n,
      actualDataRateUpstream: 123456789012345678n,
    });
    const j = JSON.parse(JSON.stringify(parseControl(bytes))) as Record<string, unknown>;
    expect(j.rxConnectSpeedV3).toBe('18446744073709551615');
    expect(j.actualDataRateUpstream).toBe('123456789012345678');
    expect(j.tieBreaker).toBe('0102030405060708');
    // toObject() keeps the native values (what encodeControl takes back).
    const o = parseControl(bytes).toObject();
    expect(o.rxConnectSpeedV3).toBe((1n << 64n) - 1n);
    expect(encodeControl(o)).toEqual(bytes);
  });
});

/** xorshift32: the mutation loop is seeded, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

/**
 * Every typed value in the JSON form is JSON-native: 64-bit ones decimal strings equal to the
 * typed field, bytes hex, each AVP's value hex of twice its length. Returns a problem, or ''
 * (plain checks: `expect` per field would cost more than the parse, 100,000 times).
 */
function loggableProblem(m: ControlMessage): { problem: string; u64: number } {
  const j = JSON.parse(JSON.stringify(m)) as Record<string, unknown> & { avps: { value: string }[] };
  let u64 = 0;
  for (const k in j) {
    const v = j[k];
    if (U64_KEYS.has(k)) {
      if (typeof v !== 'string' || !/^\d+$/.test(v) || BigInt(v) !== (m as unknown as Record<string, bigint>)[k]) return { problem: `${k}: ${String(v)}`, u64 };
      u64++;
    } else if (BYTES_KEYS.has(k) && (typeof v !== 'string' || !HEX.test(v))) return { problem: `${k}: ${String(v)}`, u64 };
  }
  if (j.avps.length !== m.avps.length) return { problem: 'avps length', u64 };
  for (let i = 0; i < j.avps.length; i++) {
    const v = j.avps[i]!.value;
    if (v.length !== 2 * m.avps[i]!.valueLength || !HEX.test(v)) return { problem: `avps[${i}].value ${v}`, u64 };
  }
  return { problem: '', u64 };
}
const HEX = /^(?:[0-9a-f]{2})*$/;

describe('over 100,000 mutated messages (seeded)', () => {
  it('every one that parses (with or without the secret) stringifies; 64-bit fields as decimal strings', () => {
    // Seeds: generated messages of every RFC 2661 type (some hidden), plus ones carrying every
    // 64-bit AVP of the catalogue so the mutations reach the values that used to throw.
    const seeds: Uint8Array[] = [
      ...fc.sample(controlMessageArb({ extras: false }), { numRuns: 150, seed: 12 }).map((g) => g.bytes),
      ...fc.sample(controlMessageArb({ secret: SECRET }), { numRuns: 50, seed: 13 }).map((g) => g.bytes),
    ];
    const u64Fields: Record<string, bigint> = {};
    for (const k of U64_KEYS) u64Fields[k] = 0x0123456789abcdefn;
    for (let t = 1; t <= 16; t++) if (t !== 5 && t !== 13) seeds.push(encodeControl({ type: t, tunnelId: 7, ...u64Fields }).slice());
    const u64Seeds = seeds.splice(200);
    const next = rng(0x12c0ffee);
    const N = runs(100_000);
    let parsed = 0;
    let withU64 = 0;
    for (let i = 0; i < N; i++) {
      // Half the mutations start from a message with 64-bit AVPs (the values that used to throw).
      const pool = i & 1 ? u64Seeds : seeds;
      const b = pool[next() % pool.length]!.slice();
      // 1–3 edits: a byte set at random, or a bit flipped.
      const edits = 1 + (next() % 3);
      for (let e = 0; e < edits; e++) {
        const at = next() % b.length;
        if (next() & 1) b[at] = next() & 0xff;
        else b[at]! ^= 1 << (next() % 8);
      }
      let m: ControlMessage;
      try {
        // Every other message with the secret: hidden AVPs unhidden into typed fields too.
        m = parseControl(b, { secret: i & 2 ? SECRET : undefined });
      } catch (e) {
        if (!(e instanceof L2tpError)) throw e;
        continue;
      }
      parsed++;
      const r = loggableProblem(m);
      if (r.problem !== '') expect.fail(`mutation ${i} (${toHex(b)}): ${r.problem}`);
      if (r.u64 > 0) withU64++;
    }
    // Not vacuous: tens of thousands parse (32,020 with this seed), thousands carry a 64-bit value.
    expect(parsed).toBeGreaterThan(N / 5);
    expect(withU64).toBeGreaterThan(N / 20);
    expect(VendorId.BroadbandForum).toBe(3561);
  });
});
