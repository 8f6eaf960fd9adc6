/**
 * Wireshark cross-check: ≥ 500 control messages made by our builders from random options
 * (fast-check, fixed seed), written as one pcap (IPv4/UDP to port 1701), decoded by one tshark
 * run, and compared field by field with the options we gave: message type, Tunnel/Session ID,
 * Ns/Nr, every AVP's type, Length, M and H bits, and the main typed values. tshark does not unhide
 * hidden AVPs, so for those only the flags and the Length are compared (and our own parser, given
 * the secret, must recover the options).
 *
 * tshark is required: this test FAILS when it is missing. Set `L2TP_WIRE_NO_TSHARK=1` on a machine
 * that cannot install it: the tshark tests are then reported skipped, with the reason (CI installs
 * it: `apt-get install -y tshark`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  avpDefByKey,
  cdn,
  encodeData,
  hello,
  iccn,
  icrp,
  icrq,
  occn,
  ocrp,
  ocrq,
  parseControl,
  parseData,
  scccn,
  sccrp,
  sccrq,
  sli,
  stopccn,
  wen,
  zlb,
  type AvpInit,
  type ControlMessage,
} from '../../src/index.js';
import { writePcap } from '../support/pcap.js';
import { titled } from '../support/skip.js';
import { l2tpLayers, tsharkJson, tsharkProblem, tsharkVersion, type TsharkL2tp } from '../support/tshark.js';
import { TSHARK_TYPED, toHex } from '../support/vectors.js';

const SEED = 1701;
const PER_BUILDER = 36;
const DATA_MESSAGES = 40;
const SECRET = 'wireshark-cross-check-secret';

// Message type numbers from RFC 2661 §3.2 (not from our catalogue).
const BUILDERS = {
  sccrq: [1, sccrq],
  sccrp: [2, sccrp],
  scccn: [3, scccn],
  stopccn: [4, stopccn],
  hello: [6, hello],
  ocrq: [7, ocrq],
  ocrp: [8, ocrp],
  occn: [9, occn],
  icrq: [10, icrq],
  icrp: [11, icrp],
  iccn: [12, iccn],
  cdn: [14, cdn],
  wen: [15, wen],
  sli: [16, sli],
  zlb: [0, zlb],
} as const;
type BuilderName = keyof typeof BUILDERS;

// RFC 2661 defaults the SCCRQ/SCCRP builders fill in (§4.4.3; receive window 4 per §5.8).
const SCC_DEFAULTS = { protocolVersion: { version: 1, revision: 0 }, framingCapabilities: 3, receiveWindowSize: 4 };

// ---------------------------------------------------------------------------------------------
// Arbitraries

const u16 = fc.integer({ min: 0, max: 0xffff });
const id16 = fc.integer({ min: 1, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** Printable ASCII: tshark prints FT_STRING fields verbatim for these (others get escaped). */
const text = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength, maxLength });
const bytes = (minLength: number, maxLength: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength, maxLength });
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });

const header = fc.record({ tunnelId: u16, sessionId: u16, ns: u16, nr: u16 });
// The 2-byte form, with an Error Code, and with a non-empty Error Message (RFC 2661 §4.4.2).
const resultCode = fc.oneof(
  fc.record({ result: u16 }),
  fc.record({ result: u16, error: u16 }),
  fc.record({ result: u16, error: u16, message: text(1, 80) }),
);
/**
 * Vendor and unknown AVPs. Wireshark dissects vendors 9 (Cisco), 193 (Ericsson), 3561 (Broadband
 * Forum) and 4491 (CableLabs) itself; types ≥ 1000 stay unknown to it, so random values cannot
 * make it stop at a "malformed" exception halfway through a message.
 */
const vendorAvp: fc.Arbitrary<AvpInit> = fc.record({
  vendorId: fc.oneof(fc.constantFrom(9, 193, 311, 3561, 4491), fc.integer({ min: 1, max: 0xffff })),
  type: fc.integer({ min: 1000, max: 0xffff }),
  mandatory: fc.boolean(),
  value: bytes(0, 40),
});
/** IETF attribute types no RFC assigns yet (the IANA registry ends at 103). */
const unknownIetfAvp: fc.Arbitrary<AvpInit> = fc.record({
  vendorId: fc.constant(0),
  type: fc.integer({ min: 200, max: 0xffff }),
  mandatory: fc.constant(false),
  value: bytes(0, 24),
});
const extraAvps = opt(fc.array(fc.oneof(vendorAvp, unknownIetfAvp), { minLength: 1, maxLength: 3 }));
const hiding = opt(fc.record({ secret: fc.constant(SECRET), randomVector: bytes(16, 16), padding: opt(bytes(0, 20)) }));

/** Drop keys whose value is `undefined` (fc.option's "absent"). */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

type Opts = Record<string, unknown>;
const common = { header, extraAvps, hiding };
const withCommon = (a: fc.Arbitrary<Opts>): fc.Arbitrary<Opts> =>
  fc.record({ ...common, typed: a }).map(({ header: h, extraAvps: x, hiding: hd, typed }) => defined({ ...h, ...typed, extraAvps: x, hiding: hd }));

const sccTyped = (reply: boolean): fc.Arbitrary<Opts> =>
  fc.record({
    hostName: text(1, 60),
    assignedTunnelId: id16,
    protocolVersion: opt(fc.record({ version: fc.integer({ min: 0, max: 255 }), revision: fc.integer({ min: 0, max: 255 }) })),
    framingCapabilities: opt(u32),
    bearerCapabilities: opt(u32),
    receiveWindowSize: opt(u16),
    firmwareRevision: opt(u16),
    vendorName: opt(text(1, 40)),
    tieBreaker: reply ? fc.constant(undefined) : opt(bytes(8, 8)),
    challenge: opt(bytes(1, 64)),
    challengeResponse: reply ? opt(bytes(16, 16)) : fc.constant(undefined),
  });

const ARBITRARIES: Record<BuilderName, fc.Arbitrary<Opts>> = {
  sccrq: withCommon(sccTyped(false)),
  sccrp: withCommon(sccTyped(true)),
  scccn: withCommon(fc.record({ challengeResponse: opt(bytes(16, 16)) })),
  stopccn: withCommon(fc.record({ assignedTunnelId: id16, resultCode })),
  hello: withCommon(fc.record({})),
  ocrq: withCommon(
    fc.record({
      assignedSessionId: id16,
      callSerialNumber: u32,
      minimumBps: u32,
      maximumBps: u32,
      bearerType: u32,
      framingType: u32,
      calledNumber: text(0, 40),
      subAddress: opt(text(1, 20)),
    }),
  ),
  ocrp: withCommon(fc.record({ assignedSessionId: id16, physicalChannelId: opt(u32) })),
  occn: withCommon(fc.record({ txConnectSpeed: u32, framingType: u32, rxConnectSpeed: opt(u32) })),
  icrq: withCommon(
    fc.record({
      assignedSessionId: id16,
      callSerialNumber: u32,
      bearerType: opt(u32),
      physicalChannelId: opt(u32),
      calledNumber: opt(text(1, 40)),
      callingNumber: opt(text(1, 40)),
      subAddress: opt(text(1, 20)),
      agentCircuitId: opt(text(1, 40)),
      agentRemoteId: opt(text(1, 40)),
    }),
  ),
  icrp: withCommon(fc.record({ assignedSessionId: id16 })),
  iccn: withCommon(fc.record({ txConnectSpeed: u32, framingType: u32, rxConnectSpeed: opt(u32), privateGroupId: opt(bytes(1, 16)) })),
  cdn: withCommon(
    fc.record({
      resultCode,
      assignedSessionId: id16,
      q931CauseCode: opt(fc.record({ cause: u16, message: fc.integer({ min: 0, max: 255 }), advisory: opt(text(1, 30)) }).map(defined)),
    }),
  ),
  wen: withCommon(
    fc.record({
      callErrors: fc.record({ crcErrors: u32, framingErrors: u32, hardwareOverruns: u32, bufferOverruns: u32, timeoutErrors: u32, alignmentErrors: u32 }),
    }),
  ),
  sli: withCommon(fc.record({ accm: fc.record({ send: u32, receive: u32 }) })),
  zlb: header.map((h) => ({ ...h })),
};

const dataArb = fc
  .record({
    tunnelId: u16,
    sessionId: u16,
    withLength: fc.boolean(),
    seq: opt(fc.record({ ns: u16, nr: u16 })),
    offsetSize: opt(fc.integer({ min: 0, max: 16 })),
    priority: fc.boolean(),
    payload: bytes(0, 64),
  })
  .map(({ seq, ...d }) => defined({ ...d, ns: seq?.ns, nr: seq?.nr }));

interface Case {
  builder: BuilderName | 'data';
  opts: Opts;
  bytes: Uint8Array;
}

function makeCases(): Case[] {
  const cases: Case[] = [];
  let seed = SEED;
  for (const name of Object.keys(BUILDERS) as BuilderName[]) {
    const build = BUILDERS[name][1] as (o: Opts) => Uint8Array;
    for (const opts of fc.sample(ARBITRARIES[name], { seed: seed++, numRuns: PER_BUILDER })) cases.push({ builder: name, opts, bytes: build(opts) });
  }
  for (const opts of fc.sample(dataArb, { seed: seed++, numRuns: DATA_MESSAGES })) {
    cases.push({ builder: 'data', opts, bytes: encodeData(opts as unknown as Parameters<typeof encodeData>[0]) });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------

/** Set only with L2TP_WIRE_NO_TSHARK=1 and no tshark: the tshark tests are then reported skipped, with this reason. */
const noTshark = tsharkProblem();
const skipTshark = noTshark !== undefined;

describe('Wireshark cross-check (tshark decodes what our builders write)', () => {
  const cases = makeCases();
  let dir = '';
  let decoded: Array<TsharkL2tp | undefined> = [];
  let version: string | undefined;

  beforeAll(() => {
    version = tsharkVersion();
    if (!version) return;
    dir = mkdtempSync(join(tmpdir(), 'l2tp-wire-tshark-'));
    const file = join(dir, 'builders.pcap');
    writeFileSync(file, writePcap(cases.map((c) => ({ payload: c.bytes }))));
    decoded = l2tpLayers(tsharkJson(file));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skipTshark)(titled('has tshark (set L2TP_WIRE_NO_TSHARK=1 only where it cannot be installed)', noTshark), () => {
    expect(version, 'tshark not found on PATH: install it (apt-get install -y tshark) or set L2TP_WIRE_NO_TSHARK=1').toMatch(/^TShark/);
  });

  it(`generates ≥ 500 messages covering all 15 builders, hidden AVPs and vendor AVPs`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(500);
    expect(new Set(cases.map((c) => c.builder)).size).toBe(16);
    const parsed = cases.filter((c) => c.builder !== 'data').map((c) => parseControl(c.bytes, { requireAvps: false }));
    expect(parsed.filter((m) => m.avps.some((a) => a.hidden)).length).toBeGreaterThanOrEqual(50);
    expect(parsed.filter((m) => m.avps.some((a) => a.vendorId !== 0)).length).toBeGreaterThanOrEqual(50);
  });

  it.skipIf(skipTshark)(titled('tshark decodes one L2TP message per frame', noTshark), () => {
    expect(decoded).toHaveLength(cases.length);
    decoded.forEach((t, i) => expect(t, `frame ${i + 1} (${cases[i]!.builder})`).toBeDefined());
  });

  it.skipIf(skipTshark)(titled('control messages: type, IDs, Ns/Nr, every AVP header, typed values as encoded', noTshark), () => {
    let avps = 0;
    const comparedKeys = new Map<string, number>();
    const count = (k: string): void => void comparedKeys.set(k, (comparedKeys.get(k) ?? 0) + 1);
    cases.forEach((c, i) => {
      if (c.builder === 'data') return;
      const t = decoded[i]!;
      const where = `frame ${i + 1} ${c.builder} ${JSON.stringify(c.opts, (_, v) => (v instanceof Uint8Array ? toHex(v) : v))}`;
      const o = c.opts;
      expect(t.flags, where).toBe(0xc802);
      expect([t.tunnelId, t.sessionId, t.ns, t.nr, t.length], where).toEqual([o.tunnelId ?? 0, o.sessionId ?? 0, o.ns ?? 0, o.nr ?? 0, c.bytes.length]);
      const type = BUILDERS[c.builder][0];
      if (type === 0) {
        expect([t.isZlb, t.avps.length], where).toEqual([true, 0]);
        return;
      }
      expect(t.isZlb, where).toBe(false);
      expect(t.avps[0]!.type, where).toBe(0);
      expect(Number(t.avps[0]!.fields.get('l2tp.avp.message_type')?.[0]), where).toBe(type);

      // AVP headers: tshark against our parser over the same bytes, AVP by AVP in order.
      const m: ControlMessage = parseControl(c.bytes, { secret: SECRET, requireAvps: false });
      expect(t.avps.length, where).toBe(m.avps.length);
      m.avps.forEach((a, k) => {
        const ta = t.avps[k]!;
        const w = `${where} AVP #${k} (${a.vendorId}:${a.type})`;
        expect([ta.mandatory, ta.hidden, ta.length], w).toEqual([a.mandatory, a.hidden, a.valueLength + 6]);
        // tshark prints no Vendor ID or type for a hidden AVP.
        if (!a.hidden) expect([ta.vendorId, ta.type], w).toEqual([a.vendorId, a.type]);
        avps++;
      });

      // What we asked for, AVP by AVP: present once, M bit as the catalogue rule says, H bit as hidden.
      const asked: Opts = defined({ ...(c.builder === 'sccrq' || c.builder === 'sccrp' ? SCC_DEFAULTS : {}), ...o });
      const hiddenKeys = new Set<string>();
      for (const [key, value] of Object.entries(asked)) {
        const def = avpDefByKey(key);
        if (!def) continue; // header fields, extraAvps, hiding
        const k = m.avps.findIndex((a) => a.vendorId === def.vendorId && a.type === def.type);
        expect(k, `${where} ${key} present`).toBeGreaterThan(0);
        const ta = t.avps[k]!;
        expect(ta.mandatory, `${where} ${key} M`).toBe(def.mandatory);
        const hidden = o.hiding !== undefined && def.hideable;
        expect(ta.hidden, `${where} ${key} H`).toBe(hidden);
        if (hidden) {
          hiddenKeys.add(key);
          // RFC 2661 §4.3: Original Length (2) + value + padding, so at least 8 + padding bytes.
          const padding = ((o.hiding as { padding?: Uint8Array }).padding ?? new Uint8Array(0)).length;
          expect(ta.length, `${where} ${key} hidden length`).toBeGreaterThanOrEqual(6 + 2 + padding);
          // tshark cannot unhide; our parser, given the secret, must give back what we asked.
          expect(comparable(field(m, key)), `${where} ${key} unhidden`).toEqual(comparable(value));
          count('hidden');
          continue;
        }
        const spec = TSHARK_TYPED.get(`${def.vendorId}:${def.type}`);
        if (!spec) continue;
        const want = comparable(value);
        expect(spec.read(ta), `${where} ${key}`).toEqual(spec.mask === undefined ? want : (want as number) & spec.mask);
        count(key);
      }
      // Hiding adds a Random Vector AVP right after Message Type (§4.3), in the clear.
      if (o.hiding !== undefined) {
        expect([t.avps[1]!.type, t.avps[1]!.hidden], where).toEqual([36, false]);
        expect(TSHARK_TYPED.get('0:36')!.read(t.avps[1]!), where).toBe(toHex((o.hiding as { randomVector: Uint8Array }).randomVector));
      }
      // Raw extra AVPs come last, in order, with their own flags and lengths.
      const extra = (o.extraAvps as AvpInit[] | undefined) ?? [];
      const tail = t.avps.slice(t.avps.length - extra.length);
      expect(
        tail.map((a) => [a.vendorId, a.type, a.mandatory, a.hidden, a.length]),
        where,
      ).toEqual(extra.map((a) => [a.vendorId ?? 0, a.type, a.mandatory === true, false, 6 + a.value.length]));
    });
    expect(avps).toBeGreaterThan(2000);
    // Every main typed value was compared in the clear at least a few times, and many hidden ones.
    for (const key of [
      'hostName', 'vendorName', 'assignedTunnelId', 'assignedSessionId', 'resultCode', 'receiveWindowSize', 'protocolVersion',
      'framingCapabilities', 'bearerCapabilities', 'firmwareRevision', 'tieBreaker', 'challenge', 'challengeResponse',
      'callSerialNumber', 'minimumBps', 'maximumBps', 'bearerType', 'framingType', 'calledNumber', 'callingNumber', 'subAddress',
      'txConnectSpeed', 'rxConnectSpeed', 'physicalChannelId', 'privateGroupId', 'q931CauseCode', 'callErrors', 'accm',
      'agentCircuitId', 'agentRemoteId',
    ]) {
      expect(comparedKeys.get(key) ?? 0, key).toBeGreaterThanOrEqual(3);
    }
    expect(comparedKeys.get('hidden')).toBeGreaterThanOrEqual(100);
  });

  it.skipIf(skipTshark)(titled('data messages: flags, IDs, Length, Ns/Nr, offset as encoded', noTshark), () => {
    cases.forEach((c, i) => {
      if (c.builder !== 'data') return;
      const t = decoded[i]!;
      const o = c.opts as { tunnelId: number; sessionId: number; withLength: boolean; ns?: number; nr?: number; offsetSize?: number; priority: boolean };
      const where = `frame ${i + 1} data ${JSON.stringify(o, (_, v) => (v instanceof Uint8Array ? toHex(v) : v))}`;
      expect([t.isControl, t.version, t.lengthBit, t.seqBit, t.offsetBit, t.priority], where).toEqual([
        false,
        2,
        o.withLength,
        o.ns !== undefined,
        o.offsetSize !== undefined,
        o.priority,
      ]);
      expect([t.tunnelId, t.sessionId, t.length, t.ns, t.nr], where).toEqual([o.tunnelId, o.sessionId, o.withLength ? c.bytes.length : undefined, o.ns, o.nr]);
      // And our parser finds the payload where tshark's header ends.
      const d = parseData(c.bytes);
      expect(toHex(d.payload), where).toBe(toHex((c.opts as { payload: Uint8Array }).payload));
    });
  });
});

function field(m: ControlMessage, key: string): unknown {
  return (m as unknown as Record<string, unknown>)[key];
}
/** Values in the shape TSHARK_TYPED reads: byte strings as hex; absent optional parts dropped. */
function comparable(v: unknown): unknown {
  if (v instanceof Uint8Array) return toHex(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return defined(v as object);
  return v;
}
