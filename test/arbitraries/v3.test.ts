/**
 * The L2TPv3 part of the fuzzing kit: generated v3 control and data messages parse back to what
 * they were built from; each v3 mutator's output is what its label promises; and on any mutated
 * v3 bytes the parsers throw nothing but L2tpError (and the data plane throws nothing at all).
 * Runs are small on purpose (a busy 2-core machine): 150 per property.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  V3_MESSAGE_AVPS,
  V3_MUTATORS,
  V3_RULES,
  controlMessageV3Arb,
  dataMessageV3Arb,
  v3MutationArb,
  type GeneratedControlV3,
  type GeneratedDataV3,
  type MutatedV3Message,
  type V3RuleId,
} from '../../src/arbitraries.js';
import { L2tpError, Pseudowire, avpDef, avpDefByKey, messageDef, parseControl, parseControlV3, parseData, parseHeader, readDefaultL2ss, type ControlMessage } from '../../src/index.js';

const RUNS = 150;
const SECRET = 'v3 fuzz secret';
const anyV3 = fc.oneof(controlMessageV3Arb(), controlMessageV3Arb({ secret: SECRET }), dataMessageV3Arb({ maxFrame: 64 }));

function parsedControl(g: GeneratedControlV3, bytes = g.bytes): ControlMessage {
  return g.auth ? parseControlV3(bytes, g.auth) : parseControl(bytes);
}

/** A receiver for `d`: its Session ID and cookie, its sublayer, no sequence checks, frames not inspected. */
function receiverFor(d: GeneratedDataV3): Pseudowire {
  return new Pseudowire({ localSessionId: d.sessionId, remoteSessionId: 1, localCookie: d.cookie, localL2SpecificSublayer: d.l2SpecificSublayer, pseudowireType: 7 });
}

function typed(m: ControlMessage): Record<string, unknown> {
  const { avps: _a, length: _l, ...rest } = m.toJSON();
  return rest;
}

describe('controlMessageV3Arb: valid RFC 3931 control messages', () => {
  it.each([['without', undefined], ['with', SECRET]] as const)('%s a Message Digest, each parses back to its header and typed fields', (_w, secret) => {
    fc.assert(
      fc.property(controlMessageV3Arb({ secret }), (g) => {
        const m = parsedControl(g);
        expect(m.version).toBe(3);
        expect(m.type).toBe(g.type);
        expect(m.tunnelId).toBe(g.init.tunnelId);
        expect([m.ns, m.nr]).toEqual([g.init.ns, g.init.nr]);
        for (const [k, v] of Object.entries(g.fields)) expect((m as unknown as Record<string, unknown>)[k], k).toEqual(v);
        // §6: every AVP the message's subsection says MUST be present is there.
        const row = V3_MESSAGE_AVPS.find((r) => r.type === g.type)!;
        for (const k of row.required) expect(m.avps.some((a) => a.vendorId === 0 && a.type === avpDefByKey(k)!.type), k).toBe(true);
        // §5.4.1: Message Type first; the Message Digest right after it, when signed.
        expect([m.avps[0]!.type, m.avps[0]!.vendorId]).toEqual([0, 0]);
        expect(m.avps[1]?.type === 59).toBe(secret !== undefined);
        // §3.2.1: only the SCCRQ goes to Control Connection ID 0; §5.4.4: sequencing needs a sublayer.
        expect(m.tunnelId === 0).toBe(g.type === 1);
        if (m.dataSequencing) expect(m.l2SpecificSublayer).toBe(1);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a message type RFC 3931 does not define (RangeError)', () => {
    expect(() => controlMessageV3Arb({ types: ['SCCRQ', 5] })).toThrow(RangeError);
    expect(() => controlMessageV3Arb({ types: [] })).toThrow(RangeError);
  });

  it('lists every RFC 3931 control message (§3.1: 1–4, 6–12, 14–16, 20)', () => {
    expect(V3_MESSAGE_AVPS.map((r) => r.type).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 20]);
    for (const r of V3_MESSAGE_AVPS) expect(messageDef(r.type)?.name).toBe(r.name);
  });
});

describe('dataMessageV3Arb: valid RFC 3931 data messages', () => {
  it('parse back to Session ID, cookie, sublayer and frame, and a Pseudowire delivers the frame', () => {
    fc.assert(
      fc.property(dataMessageV3Arb(), (d) => {
        const p = parseData(d.bytes, { cookieLength: d.cookie.length as 0 | 4 | 8 });
        expect(p.version === 3 && [p.sessionId, p.cookie ? [...p.cookie] : []]).toEqual([d.sessionId, [...d.cookie]]);
        const after = d.l2SpecificSublayer ? 4 : 0;
        if (d.l2SpecificSublayer) expect(readDefaultL2ss(p.payload, 0).sequenceNumber).toBe(d.sequenceNumber);
        expect([...p.payload.subarray(after)]).toEqual([...d.frame]);
        const r = receiverFor(d).receive(d.bytes);
        expect(r.ok && [...r.frame]).toEqual([...d.frame]);
      }),
      { numRuns: RUNS },
    );
  });
});

/** What each accepted (not parse-error) rule must look like to the receiver. */
const ACCEPTED: Partial<Record<V3RuleId, (mut: MutatedV3Message) => void>> = {
  'v3-header-reserved-bits': (mut) => {
    const g = mut.original as GeneratedControlV3;
    expect(parseControl(mut.bytes).toJSON()).toEqual(parseControl(g.bytes).toJSON());
  },
  'v3-avp-reserved-bits': (mut) => expect(typed(parseControl(mut.bytes))).toEqual(typed(parseControl((mut.original as GeneratedControlV3).bytes))),
  'v3-unknown-ignorable-avp': (mut) => expect(typed(parseControl(mut.bytes))).toEqual(typed(parseControl((mut.original as GeneratedControlV3).bytes))),
  'v3-unknown-mandatory-avp': (mut) => expect(parseControl(mut.bytes).avps.some((a) => a.mandatory && avpDef(a.vendorId, a.type) === undefined)).toBe(true),
  'v3-unknown-message-type': (mut) => {
    const m = parseControl(mut.bytes);
    expect(messageDef(m.type)).toBeUndefined();
    expect(m.avps[0]!.mandatory).toBe(true);
  },
  'v3-zero-assigned-id': (mut) => {
    const m = parseControl(mut.bytes);
    expect(m.assignedControlConnectionId === 0 || m.localSessionId === 0).toBe(true);
  },
  'v3-ns-out-of-window': (mut) => {
    const m = parseControl(mut.bytes);
    const o = parseControl((mut.original as GeneratedControlV3).bytes);
    const d = (m.ns - o.ns) & 0xffff;
    expect(d >= 4).toBe(true);
    expect({ ...m.toJSON(), ns: o.ns }).toEqual(o.toJSON());
  },
  'v3-data-reserved-bits': (mut) => {
    const d = mut.original as GeneratedDataV3;
    const r = receiverFor(d).receive(mut.bytes);
    expect(r.ok && [...r.frame]).toEqual([...d.frame]);
  },
  'v3-l2ss-reserved-bits': (mut) => {
    const d = mut.original as GeneratedDataV3;
    const p = parseData(mut.bytes, { cookieLength: d.cookie.length as 0 | 4 | 8 });
    expect(readDefaultL2ss(p.payload, 0)).toEqual({ sequenced: d.sequenceNumber !== undefined, sequenceNumber: d.sequenceNumber });
    const r = receiverFor(d).receive(mut.bytes);
    expect(r.ok && [...r.frame]).toEqual([...d.frame]);
  },
  'v3-data-wrong-cookie': (mut) => {
    const r = receiverFor(mut.original as GeneratedDataV3).receive(mut.bytes);
    expect(r).toEqual({ ok: false, drop: 'cookie' });
  },
};

function parseFor(mut: MutatedV3Message): void {
  const o = mut.original;
  if ('frame' in o) parseData(mut.bytes, { cookieLength: o.cookie.length as 0 | 4 | 8 });
  else if (mut.rule.id.startsWith('v3-digest-')) parseControlV3(mut.bytes, o.auth!);
  else parseControl(mut.bytes);
}

describe('v3 mutators do what their label says', () => {
  it.each(V3_MUTATORS.map((m) => [m.rule.id]))('%s', (id) => {
    const rule = V3_RULES[id as V3RuleId];
    let applied = 0;
    fc.assert(
      fc.property(v3MutationArb(anyV3, { rules: [id as V3RuleId] }), (mut) => {
        applied++;
        expect(mut.rule).toBe(rule);
        expect(mut.bytes).not.toEqual(mut.original.bytes);
        if (mut.expect === 'parse-error') {
          let err: unknown;
          try {
            parseFor(mut);
          } catch (e) {
            err = e;
          }
          expect(err, mut.detail).toBeInstanceOf(L2tpError);
          expect(rule.errorCodes, `${mut.detail}: ${(err as Error).message}`).toContain((err as L2tpError).code);
          return;
        }
        expect(rule.errorCodes).toBeUndefined();
        const check = ACCEPTED[rule.id];
        expect(check, `rule ${rule.id} needs an assertion here`).toBeDefined();
        check!(mut);
      }),
      { numRuns: RUNS },
    );
    expect(applied).toBe(RUNS);
  });

  it('every rule has exactly one mutator, and each applies to the kind of message it names', () => {
    const ids = V3_MUTATORS.map((m) => m.rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(Object.keys(V3_RULES).sort());
    const [c] = fc.sample(controlMessageV3Arb({ types: ['SCCRQ'], secret: SECRET }), { numRuns: 1, seed: 18 });
    const [d] = fc.sample(dataMessageV3Arb({ cookieLength: 8, l2SpecificSublayer: 1 }), { numRuns: 1, seed: 18 });
    for (const m of V3_MUTATORS) {
      expect(m.mutate(m.rule.applies === 'control' ? d! : c!), `${m.rule.id} on the other kind`).toBeUndefined();
      expect(m.mutate(m.rule.applies === 'control' ? c! : d!), m.rule.id).toBeDefined();
    }
  });
});

describe('parsers throw only L2tpError on mutated v3 bytes', () => {
  /** Any damage: a rule's mutation, or random bytes overwritten and the message cut anywhere. */
  const damaged = fc.oneof(
    v3MutationArb(anyV3).map((m) => ({ bytes: m.bytes, original: m.original })),
    fc
      .tuple(anyV3, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat())
      .map(([original, edits, cut]) => {
        const b = original.bytes.slice(0, original.bytes.length - (cut % Math.max(1, original.bytes.length)));
        for (const [at, v] of edits) if (b.length) b[at % b.length] = v;
        return { bytes: b, original };
      }),
  );

  it('parseHeader, parseControl, parseControlV3 and parseData throw L2tpError or nothing; Pseudowire.receive never throws', () => {
    const onlyL2tpError = (f: () => unknown): void => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(L2tpError);
      }
    };
    fc.assert(
      fc.property(damaged, ({ bytes, original }) => {
        onlyL2tpError(() => parseHeader(bytes));
        onlyL2tpError(() => parseControl(bytes));
        onlyL2tpError(() => parseControl(bytes, { secret: SECRET }));
        onlyL2tpError(() => parseControlV3(bytes, { secret: SECRET, nonces: { local: new Uint8Array(16), remote: new Uint8Array(16) } }));
        for (const cookieLength of [0, 4, 8] as const) onlyL2tpError(() => parseData(bytes, { cookieLength }));
        if ('frame' in original) {
          const r = new Pseudowire({ localSessionId: original.sessionId, remoteSessionId: 1, localCookie: original.cookie, localL2SpecificSublayer: 1, localDataSequencing: 2 }).receive(bytes);
          expect(typeof r.ok).toBe('boolean');
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

it('docs/fuzzing.md lists every v3 rule with its section', async () => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(new URL('../../docs/fuzzing.md', import.meta.url), 'utf8');
  for (const r of Object.values(V3_RULES)) expect(doc).toContain(`| \`${r.id}\` | ${r.section} |`);
});
