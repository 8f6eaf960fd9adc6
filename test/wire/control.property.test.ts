/**
 * Properties of the control codec (fast-check, 10,000 runs each):
 * - `parseControl(encodeControl(m))` gives back m's header and typed fields, for arbitrary valid
 *   messages: message types 1–29 and ZLBs, every catalogue AVP, hidden (with a secret) or not,
 *   L2TPv2 and L2TPv3;
 * - re-encoding a parsed message gives the same bytes (DESIGN §2: "nothing is ever lost");
 * - each of the 15 L2TPv2 builders, with random options, parses back to those options.
 *
 * fast-check prints the seed and path of a failing run; replay with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AVP_CATALOG, encodeControl, encodingLength, parseControl, type ControlMessage } from '../../src/index.js';
import { BUILDERS, TYPED_DEFS, builderCaseArb, controlMessageArb, requiredDefs } from '../support/arbitraries.js';
import { runs } from '../runs.js';

const RUNS = runs(10_000);

/** Every typed field of `m` that is present, by catalogue key (Message Type left out). */
function typedFields(m: ControlMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of TYPED_DEFS) {
    const v = (m as unknown as Record<string, unknown>)[d.key];
    if (v !== undefined) out[d.key] = v;
  }
  return out;
}

/** Byte equality that does not care where the views sit in their buffers. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Uint8Array fields become plain arrays so a mismatch prints readably and views compare by content. */
function plain(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v instanceof Uint8Array) out[k] = Array.from(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = plain(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

describe('parseControl(encodeControl(m))', () => {
  it('gives back the header and every typed field, and nothing else typed', () => {
    const keys = new Set<string>();
    const hiddenKeys = new Set<string>();
    const types = new Set<string>();
    fc.assert(
      fc.property(controlMessageArb(), (g) => {
        const bytes = encodeControl(g.init);
        const m = parseControl(bytes, { secret: g.secret });
        types.add(`${g.init.version}:${g.init.type}`);
        for (const k of Object.keys(g.expected)) keys.add(k);
        for (const a of m.avps) if (a.hidden) hiddenKeys.add(`${a.vendorId}:${a.type}`);
        expect(m.version).toBe(g.init.version);
        expect(m.tunnelId).toBe(g.init.tunnelId);
        expect(m.sessionId).toBe(g.init.version === 2 ? g.init.sessionId : 0);
        expect(m.ns).toBe(g.init.ns);
        expect(m.nr).toBe(g.init.nr);
        expect(m.length).toBe(bytes.length);
        expect(m.type).toBe(g.init.type);
        expect(m.isZlb).toBe(g.init.type === 0);
        if (g.init.type !== 0) expect(m.messageType).toBe(g.init.type);
        expect(plain(typedFields(m))).toEqual(plain(g.expected as Record<string, unknown>));
        // The raw list: Message Type first, then as many AVPs as encoded (RV + typed + extras).
        if (g.init.type !== 0) {
          const n = Object.keys(g.expected).length + (g.init.extraAvps?.length ?? 0);
          expect(m.avps.length).toBe(1 + n);
          expect(m.avps[0]!.type).toBe(0);
        }
      }),
      { numRuns: RUNS },
    );
    // The runs covered what the property claims: every typed field, every hideable one hidden,
    // message types 0 (ZLB) and 1–29 in both versions.
    expect(TYPED_DEFS.filter((d) => !keys.has(d.key)).map((d) => d.key)).toEqual([]);
    expect(TYPED_DEFS.filter((d) => d.hideable && !hiddenKeys.has(`${d.vendorId}:${d.type}`)).map((d) => d.key)).toEqual([]);
    for (const v of [2, 3]) for (let t = 0; t <= 29; t++) expect(types.has(`${v}:${t}`), `version ${v} type ${t}`).toBe(true);
  });

  it('hidden AVPs carry the H bit exactly where the hiding options say, and need the secret', () => {
    fc.assert(
      fc.property(
        controlMessageArb().filter((g) => g.secret !== undefined),
        (g) => {
          const bytes = encodeControl(g.init);
          const withSecret = parseControl(bytes, { secret: g.secret });
          const hidden = withSecret.avps.filter((a) => a.hidden);
          const h = g.init.hiding!;
          const known = hidden.filter((a) => AVP_CATALOG.some((d) => d.vendorId === a.vendorId && d.type === a.type) && a.reserved === undefined);
          for (const a of known) {
            // Not an extra raw AVP: the hiding options chose it (RFC 2661 §4.3).
            expect(a.vendorId).toBe(0);
            if (h.avps) expect(h.avps).toContain(a.type);
          }
          // Without the secret, hidden typed fields are absent but the message still parses (v2 counts
          // a hidden required AVP as present).
          const without = parseControl(bytes);
          for (const a of known) {
            const d = AVP_CATALOG.find((x) => x.vendorId === a.vendorId && x.type === a.type)!;
            expect((without as unknown as Record<string, unknown>)[d.key]).toBeUndefined();
          }
          expect(without.avps.length).toBe(withSecret.avps.length);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('encodeControl(parseControl(b)) = b', () => {
  it('re-encoding a parsed message gives the same bytes, and encodingLength agrees', () => {
    fc.assert(
      fc.property(controlMessageArb(), fc.nat(16), (g, pad) => {
        const bytes = encodeControl(g.init);
        expect(encodingLength(g.init)).toBe(bytes.length);
        const m = parseControl(bytes, { secret: g.secret });
        const again = encodeControl(m);
        expect(sameBytes(again, bytes)).toBe(true);
        expect(encodingLength(m)).toBe(bytes.length);
        // The same from a plain snapshot (what a log line or a worker message would carry).
        expect(sameBytes(encodeControl(m.toObject()), bytes)).toBe(true);
        // And into a caller's buffer at an offset.
        const target = new Uint8Array(pad + bytes.length + 3);
        encodeControl(m, target, pad);
        expect(sameBytes(target.subarray(pad, pad + bytes.length), bytes)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('builders', () => {
  it('covers the 15 L2TPv2 messages (14 of RFC 2661 §6 and the ZLB)', () => {
    expect(BUILDERS.length).toBe(15);
  });

  it('every builder with random options parses back to those options (RFC 2661 §6)', () => {
    fc.assert(
      fc.property(builderCaseArb, ({ builder, options }) => {
        const bytes = (builder.build as (o: unknown) => Uint8Array)(options);
        const m = parseControl(bytes);
        expect(m.type).toBe(builder.type);
        expect(m.tunnelId).toBe(options.tunnelId ?? 0);
        expect(m.sessionId).toBe(options.sessionId ?? 0);
        expect(m.ns).toBe(options.ns ?? 0);
        expect(m.nr).toBe(options.nr ?? 0);
        const expected: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(options)) if (!['tunnelId', 'sessionId', 'ns', 'nr'].includes(k)) expected[k] = v;
        if (builder.type === 1 || builder.type === 2) {
          // SCCRQ/SCCRP defaults: protocol version 1.0 (§4.4.3), framing sync + async, window 4 (§5.8).
          expected.protocolVersion ??= { version: 1, revision: 0 };
          expected.framingCapabilities ??= 3;
          expected.receiveWindowSize ??= 4;
        }
        expect(plain(typedFields(m))).toEqual(plain(expected));
        for (const d of requiredDefs(builder.type)) expect(m.avps.some((a) => a.vendorId === 0 && a.type === d.type)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
