/**
 * The kit's arbitraries yield what they promise: messages this library's parser accepts, whose
 * typed fields are the values generated, and that re-encode to the same bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MUTATORS,
  TYPED_AVP_DEFS,
  V2_MESSAGE_TYPES,
  controlHeaderV3Arb,
  controlMessageArb,
  dataHeaderV3Arb,
  dataMessageArb,
  encodeValue,
  exchangeArb,
  headerV2Arb,
  hiddenAvpArb,
  rawAvpArb,
  typedAvpArb,
  valueArb,
  vendorAvpArb,
  zlbArb,
  type ExchangeMessage,
} from '../../src/arbitraries.js';
import { avpDef, decodeAvps, encodeAvp, encodeControl, parseControl, parseData, parseHeader, unhideAvpValue, type ControlMessage } from '../../src/index.js';
import { runs } from '../runs.js';

const RUNS = runs(1000);
const SECRET = 'l2tp-wire-test-secret';

/** Re-encode a parsed message from its raw AVP list (nothing typed involved). */
function reencode(m: ControlMessage): Uint8Array {
  return encodeControl({ version: m.version, tunnelId: m.tunnelId, sessionId: m.sessionId, ns: m.ns, nr: m.nr, avps: m.avps.map((a) => a.toObject()) });
}

describe('values and AVPs', () => {
  it('every catalogue row has a value arbitrary whose values decode back equal', () => {
    for (const d of TYPED_AVP_DEFS) {
      fc.assert(
        fc.property(valueArb(d.codec), (v) => {
          const b = encodeValue(d, v);
          expect(b.length).toBeGreaterThanOrEqual(d.codec.minLength);
          expect(b.length).toBeLessThanOrEqual(d.codec.maxLength);
          d.codec.validate?.(b, 0, b.length);
          expect(d.codec.decode(b, 0, b.length)).toEqual(v);
        }),
        { numRuns: 30 },
      );
    }
  });

  it('typed AVPs carry the catalogue M bit and parse back to the same AVP', () => {
    fc.assert(
      fc.property(typedAvpArb(), ({ def, avp }) => {
        expect(avp.mandatory).toBe(def.mandatory);
        const [p] = decodeAvps(encodeAvp(avp));
        expect(p!.toObject()).toEqual({ mandatory: def.mandatory, hidden: false, vendorId: def.vendorId, type: def.type, value: avp.value });
      }),
      { numRuns: RUNS },
    );
  });

  it('raw AVPs are unknown to the catalogue; vendor AVPs are vendor AVPs with M=0', () => {
    fc.assert(
      fc.property(rawAvpArb(), vendorAvpArb(), (raw, vendor) => {
        expect(avpDef(raw.vendorId ?? 0, raw.type)).toBeUndefined();
        expect(vendor.vendorId).not.toBe(0);
        expect(vendor.mandatory).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('hidden AVP values unhide to the original value, whatever the padding', () => {
    fc.assert(
      fc.property(hiddenAvpArb({ secret: SECRET }), (h) => {
        expect(h.hidden.length).toBe(2 + h.value.length + h.padding.length);
        expect(unhideAvpValue(h.attributeType, h.hidden, h.secret, h.randomVector)).toEqual(h.value);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('headers', () => {
  it('v2 headers parse back to their fields', () => {
    fc.assert(
      fc.property(headerV2Arb(), ({ header: h, bytes }) => {
        const p = parseHeader(bytes);
        expect(p).toMatchObject({ version: 2, isControl: h.isControl, tunnelId: h.tunnelId, sessionId: h.sessionId, headerLength: bytes.length });
        if (p.version !== 2) return;
        expect(p.ns).toBe(h.isControl ? (h.ns ?? 0) : h.ns);
        expect(p.length).toBe(h.length);
        if (h.isControl) expect(parseControl(bytes).isZlb).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('v3 headers parse back to their fields', () => {
    fc.assert(
      fc.property(controlHeaderV3Arb(), dataHeaderV3Arb(), (c, d) => {
        expect(parseHeader(c.bytes)).toMatchObject({ version: 3, isControl: true, controlConnectionId: c.header.controlConnectionId, ns: c.header.ns, nr: c.header.nr, length: 12 });
        expect(parseControl(c.bytes)).toMatchObject({ version: 3, tunnelId: c.header.controlConnectionId, isZlb: true });
        const cookieLength = (d.header.cookie?.length ?? 0) as 0 | 4 | 8;
        const p = parseHeader(d.bytes, { cookieLength });
        expect(p).toMatchObject({ version: 3, isControl: false, sessionId: d.header.sessionId, headerLength: 8 + cookieLength });
        if (p.version === 3 && !p.isControl) expect(p.cookie).toEqual(d.header.cookie);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('control messages', () => {
  it('are accepted, carry the generated typed values, and re-encode to the same bytes', () => {
    fc.assert(
      fc.property(controlMessageArb(), (g) => {
        const m = parseControl(g.bytes);
        expect(m.typeName).toBe(g.name);
        expect(m.length).toBe(g.bytes.length);
        const json = m.toObject() as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(g.fields)) expect(json[k], k).toEqual(v);
        expect(reencode(m)).toEqual(g.bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('cover every RFC 2661 message type, each with its §6 required AVPs', () => {
    for (const def of V2_MESSAGE_TYPES) {
      fc.assert(
        fc.property(controlMessageArb({ types: [def.type] }), (g) => {
          const m = parseControl(g.bytes);
          expect(m.type).toBe(def.type);
          for (const t of def.requiredV2) expect(m.avps.some((a) => a.vendorId === 0 && a.type === t)).toBe(true);
          // §6: SCCRQ goes to Tunnel ID 0; tunnel messages to Session ID 0.
          if (def.name === 'SCCRQ') expect(m.tunnelId).toBe(0);
          if (def.scope === 'tunnel') expect(m.sessionId).toBe(0);
        }),
        { numRuns: 100 },
      );
    }
  });

  it('with a secret: hidden AVPs unhide into the typed fields; without it they stay raw', () => {
    fc.assert(
      fc.property(controlMessageArb({ secret: SECRET }), (g) => {
        const m = parseControl(g.bytes, { secret: SECRET });
        const json = m.toObject() as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(g.fields)) expect(json[k], k).toEqual(v);
        expect(reencode(m)).toEqual(g.bytes);
        const blind = parseControl(g.bytes).toObject() as unknown as Record<string, unknown>;
        for (const t of g.hiddenTypes) {
          expect(m.avps.find((a) => a.vendorId === 0 && a.type === t)!.hidden).toBe(true);
          expect(blind[avpDef(0, t)!.key]).toBeUndefined();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('ZLBs are 12-byte acknowledgements', () => {
    fc.assert(
      fc.property(zlbArb(), (g) => {
        expect(g.bytes.length).toBe(12);
        expect(parseControl(g.bytes)).toMatchObject({ isZlb: true, ...g.init });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('data messages', () => {
  it('parse back to their payload and IDs', () => {
    fc.assert(
      fc.property(dataMessageArb(), (g) => {
        const cookieLength = (g.init.version === 3 ? (g.init.cookie?.length ?? 0) : 0) as 0 | 4 | 8;
        const d = parseData(g.bytes, { cookieLength });
        expect(d.payload).toEqual(g.payload);
        expect(d.sessionId).toBe(g.init.sessionId);
        if (d.version === 2 && g.init.version !== 3) expect(d.tunnelId).toBe(g.init.tunnelId);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('exchanges', () => {
  /** An independent model of §5.8 sequencing: each side's Ns counts its non-ZLB control messages. */
  function checkSequencing(messages: readonly ExchangeMessage[]): void {
    const sent = { 'lac-to-lns': 0, 'lns-to-lac': 0 };
    const back = { 'lac-to-lns': 'lns-to-lac', 'lns-to-lac': 'lac-to-lns' } as const;
    for (const msg of messages) {
      if (msg.name === 'DATA') continue;
      const m = parseControl(msg.bytes);
      expect(m.typeName).toBe(msg.name);
      expect(m.ns, `${msg.name} Ns`).toBe(sent[msg.direction]);
      expect(m.nr, `${msg.name} Nr`).toBe(sent[back[msg.direction]]);
      if (!m.isZlb) sent[msg.direction]++;
    }
  }

  it('run SCCRQ … StopCCN with consistent IDs and Ns/Nr', () => {
    fc.assert(
      fc.property(fc.option(fc.constant(SECRET), { nil: undefined }), fc.integer(), (secret, seed) => {
        const [x] = fc.sample(exchangeArb({ secret }), { seed, numRuns: 1 });
        const names = x!.messages.filter((m) => m.name !== 'DATA').map((m) => m.name);
        expect(names.slice(0, 8)).toEqual(['SCCRQ', 'SCCRP', 'SCCCN', 'ZLB', 'ICRQ', 'ICRP', 'ICCN', 'ZLB']);
        expect(names.slice(8)).toEqual(['CDN', 'ZLB', 'StopCCN', 'ZLB']);
        checkSequencing(x!.messages);
        for (const msg of x!.messages) {
          const h = parseHeader(msg.bytes);
          if (h.version !== 2) throw new Error('v2 expected');
          const to = msg.direction === 'lac-to-lns' ? x!.lnsTunnelId : x!.lacTunnelId;
          expect(h.tunnelId).toBe(msg.name === 'SCCRQ' ? 0 : to);
          if (msg.name === 'DATA') expect(h.sessionId).toBe(msg.direction === 'lac-to-lns' ? x!.lnsSessionId : x!.lacSessionId);
        }
        const sccrq = parseControl(x!.messages[0]!.bytes);
        expect(sccrq.assignedTunnelId).toBe(x!.lacTunnelId);
        expect(parseControl(x!.messages[4]!.bytes).assignedSessionId).toBe(x!.lacSessionId);
        expect(parseControl(x!.messages[5]!.bytes).assignedSessionId).toBe(x!.lnsSessionId);
        expect(sccrq.challenge !== undefined).toBe(secret !== undefined);
      }),
      { numRuns: RUNS },
    );
  });
});

it('every rule has exactly one mutator', () => {
  const ids = MUTATORS.map((m) => m.rule.id);
  expect(new Set(ids).size).toBe(ids.length);
});
