/**
 * Known-answer tests from real peers: every datagram two xl2tpd 1.3.18 daemons exchanged
 * (test/vectors, see its README.md), checked field by field against tshark 4.0.17's decode of
 * the same capture, plus the facts test/vectors/README.md lists under "What xl2tpd 1.3.18 sends"
 * and the hand-made hostile packets of hostile.txt. No expected value here comes from our encoder.
 */
import { describe, expect, it } from 'vitest';
import {
  L2tpError,
  challengeResponse,
  encodeControl,
  parseControl,
  parseData,
  type ControlMessage,
  type L2tpErrorCode,
} from '../../src/index.js';
import type { TsharkAvp, TsharkL2tp } from '../support/tshark.js';
import {
  CAPTURES,
  TSHARK_TYPED,
  TUNNEL_SECRET,
  fromHex,
  loadHex,
  loadHostileCases,
  loadTsharkDecode,
  toHex,
  type CaptureName,
  type HexFrame,
} from '../support/vectors.js';

const isControl = (b: Uint8Array): boolean => (b[0]! & 0x80) !== 0;
const field = (m: ControlMessage, key: string): unknown => (m as unknown as Record<string, unknown>)[key];
/** Our typed value in the shape TSHARK_TYPED reads tshark's: byte strings as hex. */
const comparable = (v: unknown): unknown => (v instanceof Uint8Array ? toHex(v) : v);

/** Check one parsed control message against tshark's decode of the same datagram. */
function expectSameAsTshark(m: ControlMessage, t: TsharkL2tp, where: string): void {
  expect(t.isControl, where).toBe(true);
  expect({ version: m.version, tunnelId: m.tunnelId, sessionId: m.sessionId, ns: m.ns, nr: m.nr, length: m.length, isZlb: m.isZlb }, where).toEqual({
    version: t.version,
    tunnelId: t.tunnelId,
    sessionId: t.sessionId,
    ns: t.ns,
    nr: t.nr,
    length: t.length,
    isZlb: t.isZlb,
  });
  expect(
    m.avps.map((a) => ({ vendorId: a.vendorId, type: a.type, length: a.valueLength + 6, mandatory: a.mandatory, hidden: a.hidden })),
    where,
  ).toEqual(t.avps.map((a) => ({ vendorId: a.vendorId, type: a.type, length: a.length, mandatory: a.mandatory, hidden: a.hidden })));
  if (!m.isZlb) expect(m.type, where).toBe(Number(t.avps[0]!.fields.get('l2tp.avp.message_type')?.[0]));
  // Typed values: the parser fills a field from the first AVP of its type (the captures repeat none).
  const seen = new Set<number>();
  t.avps.forEach((ta: TsharkAvp) => {
    if (ta.hidden || ta.vendorId !== 0 || ta.type === undefined || seen.has(ta.type)) return;
    seen.add(ta.type);
    const spec = TSHARK_TYPED.get(`0:${ta.type}`);
    if (!spec || spec.key === 'messageType') return;
    const ours = comparable(field(m, spec.key));
    expect(spec.mask === undefined ? ours : (ours as number) & spec.mask, `${where} ${spec.key}`).toEqual(spec.read(ta));
  });
}

describe.each(CAPTURES)('capture %s: every datagram against tshark', (name: CaptureName) => {
  const frames = loadHex(name);
  const decode = loadTsharkDecode(name);

  it('has a tshark decode for every datagram', () => {
    expect(frames.length).toBeGreaterThan(0);
    expect(decode).toHaveLength(frames.length);
    // The order of AVPs in a --no-duplicate-keys decode is exact only when no AVP name repeats.
    for (const t of decode) expect(new Set(t.avps.map((a) => a.label)).size).toBe(t.avps.length);
  });

  it('parses each header field and flag as tshark does', () => {
    frames.forEach((f, i) => {
      const t = decode[i]!;
      const where = `${name} #${f.frame}`;
      expect((f.bytes[0]! << 8) | f.bytes[1]!, where).toBe(t.flags);
      if (isControl(f.bytes)) {
        expect([t.lengthBit, t.seqBit, t.offsetBit, t.priority], where).toEqual([true, true, false, false]);
        const m = parseControl(f.bytes, { secret: TUNNEL_SECRET });
        expect(m.length, where).toBe(f.bytes.length);
      } else {
        const d = parseData(f.bytes);
        expect(d.version, where).toBe(2);
        if (d.version !== 2) return;
        expect({ tunnelId: d.tunnelId, sessionId: d.sessionId, length: d.length, ns: d.ns, nr: d.nr, priority: d.priority }, where).toEqual({
          tunnelId: t.tunnelId,
          sessionId: t.sessionId,
          length: t.length,
          ns: t.ns,
          nr: t.nr,
          priority: t.priority,
        });
      }
    });
  });

  it('parses every control message as tshark does: header, AVP type/length/M/H, typed values', () => {
    let checked = 0;
    frames.forEach((f, i) => {
      if (!isControl(f.bytes)) return;
      expectSameAsTshark(parseControl(f.bytes, { secret: TUNNEL_SECRET }), decode[i]!, `${name} #${f.frame}`);
      checked++;
    });
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('re-encodes every control message byte for byte', () => {
    for (const f of frames) {
      if (!isControl(f.bytes)) continue;
      const m = parseControl(f.bytes);
      expect(toHex(encodeControl(m)), `${name} #${f.frame}`).toBe(toHex(f.bytes));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// What xl2tpd 1.3.18 sends (test/vectors/README.md), asserted on the parsed messages.

interface Parsed {
  f: HexFrame;
  m: ControlMessage;
}
/** The control messages of a capture, parsed; for hostile.hex only xl2tpd's answers (ports 17018/9). */
function controlOf(name: CaptureName | 'hostile'): Parsed[] {
  return loadHex(name)
    .filter((f) => isControl(f.bytes) && (name !== 'hostile' || f.srcPort === 17018 || f.srcPort === 17019))
    .map((f) => ({ f, m: parseControl(f.bytes, { secret: TUNNEL_SECRET }) }));
}
const shape = (m: ControlMessage): string[] => m.avps.map((a) => `${a.vendorId === 0 ? '' : `${a.vendorId}:`}${a.type}${a.mandatory ? 'M' : ''}${a.hidden ? 'H' : ''}/${a.valueLength + 6}`);
const byName = (ps: Parsed[], typeName: string): Parsed[] => ps.filter((p) => p.m.typeName === typeName);
const one = (ps: Parsed[], typeName: string): ControlMessage => {
  const found = byName(ps, typeName);
  expect(found, typeName).toHaveLength(1);
  return found[0]!.m;
};

describe('what xl2tpd 1.3.18 sends', () => {
  it('SCCRQ and SCCRP (plain): AVP order, flags, lengths and values', () => {
    const ps = controlOf('plain');
    const rq = one(ps, 'SCCRQ');
    const rp = one(ps, 'SCCRP');
    for (const [m, host] of [
      [rq, 'lac-plain'],
      [rp, 'lns-plain'],
    ] as const) {
      expect(shape(m)).toEqual(['0M/8', '2M/8', '3M/10', '4M/10', '6/8', `7M/${6 + host.length}`, '8/19', '9M/8', '10M/8']);
      expect(m.protocolVersion).toEqual({ version: 1, revision: 0 });
      expect(m.framingCapabilities).toBe(3);
      expect(m.bearerCapabilities).toBe(0);
      expect(m.firmwareRevision).toBe(0x0690);
      expect(m.hostName).toBe(host);
      expect(m.vendorName).toBe('xelerance.com');
      expect(m.assignedTunnelId).toBeGreaterThan(0);
      expect(m.receiveWindowSize).toBe(4);
    }
    expect([rq.tunnelId, rq.sessionId, rq.ns, rq.nr]).toEqual([0, 0, 0, 0]);
    // The reply goes to the Tunnel ID the request assigned, and the SCCCN to the reply's.
    expect(rp.tunnelId).toBe(rq.assignedTunnelId);
    expect(one(ps, 'SCCCN').tunnelId).toBe(rp.assignedTunnelId);
    for (const { f } of ps) expect((f.bytes[0]! << 8) | f.bytes[1]!).toBe(0xc802);
  });

  it.each(['auth', 'hidden'] as const)('%s: challenges and responses are MD5(type | secret | challenge) (RFC 2661 §4.2)', (name) => {
    const ps = controlOf(name);
    const rq = one(ps, 'SCCRQ');
    const rp = one(ps, 'SCCRP');
    const cn = one(ps, 'SCCCN');
    expect(shape(rq).at(-1)).toBe('11M/22');
    expect(shape(rp).slice(-2)).toEqual(['13M/22', '11M/22']);
    expect(shape(cn)).toContain('13M/22');
    expect(rq.challenge).toHaveLength(16);
    expect(rp.challenge).toHaveLength(16);
    expect(toHex(rp.challengeResponse!)).toBe(toHex(challengeResponse(2, TUNNEL_SECRET, rq.challenge!)));
    expect(toHex(cn.challengeResponse!)).toBe(toHex(challengeResponse(3, TUNNEL_SECRET, rp.challenge!)));
    // And a wrong secret does not produce them.
    expect(toHex(rp.challengeResponse!)).not.toBe(toHex(challengeResponse(2, 'not-the-secret', rq.challenge!)));
  });

  it('the fixed challenge vector from hostile.txt: 000102…0f → 70941e6ce4c0e8af585afee0d9fb0895', () => {
    const challenge = fromHex('000102030405060708090a0b0c0d0e0f');
    expect(toHex(challengeResponse(2, TUNNEL_SECRET, challenge))).toBe('70941e6ce4c0e8af585afee0d9fb0895');
    // xl2tpd's own SCCRP in hostile.hex carries exactly that response.
    const replies = controlOf('hostile').filter((p) => p.m.typeName === 'SCCRP' && p.m.challengeResponse !== undefined);
    expect(replies.length).toBeGreaterThan(0);
    for (const p of replies) expect(toHex(p.m.challengeResponse!)).toBe('70941e6ce4c0e8af585afee0d9fb0895');
  });

  it('hidden bit = yes: a Random Vector right after Message Type in every message, nothing hidden', () => {
    const ps = controlOf('hidden').filter((p) => !p.m.isZlb);
    expect(ps.length).toBeGreaterThanOrEqual(6);
    for (const { m } of ps) {
      expect(shape(m)[1], m.typeName).toBe('36M/22');
      expect(m.randomVector, m.typeName).toHaveLength(16);
      expect(m.avps.some((a) => a.hidden)).toBe(false);
    }
  });

  it('SCCCN, ICRQ, ICRP, ICCN, CDN, StopCCN (plain): AVPs and header IDs', () => {
    const ps = controlOf('plain');
    const rq = one(ps, 'SCCRQ');
    const rp = one(ps, 'SCCRP');
    const cn = one(ps, 'SCCCN');
    expect(shape(cn)).toEqual(['0M/8']);
    expect(cn.length).toBe(20);
    const icrq = one(ps, 'ICRQ');
    expect(shape(icrq)).toEqual(['0M/8', '14M/8', '15M/10', '18M/10']);
    expect(icrq.sessionId).toBe(0);
    expect(icrq.callSerialNumber).toBe(1);
    expect(icrq.bearerType).toBe(0);
    const icrp = one(ps, 'ICRP');
    expect(shape(icrp)).toEqual(['0M/8', '14M/8']);
    expect(icrp.sessionId).toBe(icrq.assignedSessionId);
    const iccn = one(ps, 'ICCN');
    expect(shape(iccn)).toEqual(['0M/8', '24M/10', '19M/10', '38/10']);
    expect(iccn.sessionId).toBe(icrp.assignedSessionId);
    expect(iccn.txConnectSpeed).toBe(0);
    // RFC 2661 §4.4.4 Framing Type: S (sync) is the low bit. The wire value is 1 (tshark: sync=1).
    expect(iccn.framingType).toBe(1);
    expect(iccn.rxConnectSpeed).toBe(0);
    // CDN from the LAC: Result Code 1/0 without message (AVP length 10), its own session ID.
    const cdn = one(ps, 'CDN');
    expect(shape(cdn)).toEqual(['0M/8', '1M/10', '14M/8']);
    expect(cdn.resultCode).toEqual({ result: 1, error: 0 });
    expect(cdn.assignedSessionId).toBe(icrq.assignedSessionId);
    expect(cdn.sessionId).toBe(icrp.assignedSessionId);
    // StopCCN on SIGINT: Assigned Tunnel ID before Result Code, message "Server closing".
    const stop = one(ps, 'StopCCN');
    expect(shape(stop)).toEqual(['0M/8', '9M/8', '1M/24']);
    expect(stop.resultCode).toEqual({ result: 1, error: 0, message: 'Server closing' });
    expect(stop.assignedTunnelId).toBe(rq.assignedTunnelId);
    expect(stop.tunnelId).toBe(rp.assignedTunnelId);
    expect(stop.sessionId).toBe(0);
  });

  it('ZLB acks: 12 bytes; a ZLB acking a session message carries the peer session ID', () => {
    const ps = controlOf('plain');
    const zlbs = byName(ps, 'ZLB');
    expect(zlbs.length).toBe(5);
    for (const { m, f } of zlbs) {
      expect(m.isZlb).toBe(true);
      expect(m.type).toBe(0);
      expect(f.bytes.length).toBe(12);
      expect(m.avps).toEqual([]);
    }
    // Frame #9 acks the ICCN and #11 the CDN: both carry the LAC's session ID.
    const lacSession = one(ps, 'ICRQ').assignedSessionId;
    expect(zlbs.filter((z) => z.m.sessionId !== 0).map((z) => [z.f.frame, z.m.sessionId])).toEqual([
      [9, lacSession],
      [11, lacSession],
    ]);
  });

  it.each(['plain', 'auth', 'hidden', 'hello', 'data'] as const)('%s: Ns counts messages sent; Nr acknowledges what arrived (RFC 2661 §5.8)', (name) => {
    // Per direction: each non-ZLB message takes the next Ns (a ZLB carries the next one unused).
    // Nr never runs ahead of what the other side has sent, and never goes back. (It may lag the
    // capture order: a ZLB can be on its way while the next message is already captured.)
    const sent = new Map<string, number>();
    const lastNr = new Map<string, number>();
    for (const { f, m } of controlOf(name)) {
      const where = `${name} #${f.frame} ${m.typeName}`;
      const mine = sent.get(f.src) ?? 0;
      expect(m.ns, where).toBe(mine);
      expect(m.nr, where).toBeLessThanOrEqual(sent.get(f.dst) ?? 0);
      expect(m.nr, where).toBeGreaterThanOrEqual(lastNr.get(f.src) ?? 0);
      lastNr.set(f.src, m.nr);
      if (!m.isZlb) sent.set(f.src, mine + 1);
    }
    // At the end both sides have acknowledged everything (the last frame is a ZLB ack).
    const [a, b] = [...sent.keys()];
    expect(lastNr.get(a!)).toBe(sent.get(b!));
    expect(lastNr.get(b!)).toBe(sent.get(a!));
  });

  it('HELLO: Message Type only, length 20, from both sides 60 s after setup, acked by ZLB', () => {
    const ps = controlOf('hello');
    const hellos = byName(ps, 'HELLO');
    expect(hellos).toHaveLength(2);
    expect(new Set(hellos.map((h) => h.f.src)).size).toBe(2);
    for (const { m, f } of hellos) {
      expect(shape(m)).toEqual(['0M/8']);
      expect(m.length).toBe(20);
      expect(f.time).toBeGreaterThanOrEqual(60);
      expect(f.time).toBeLessThan(61);
    }
    // The LNS sent the StopCCN this time.
    const stop = one(ps, 'StopCCN');
    expect(stop.resultCode).toEqual({ result: 1, error: 0, message: 'Server closing' });
    expect(stop.tunnelId).toBe(one(ps, 'SCCRQ').assignedTunnelId);
  });

  it('retransmit: SCCRP re-sent after 1, 2, 4, 8 s, then StopCCN "Timeout" after 16 s, re-sent after 1, 2, 4 s', () => {
    const ps = controlOf('retransmit');
    const fromLns = ps.filter((p) => p.f.srcPort === 17010);
    expect(fromLns.map((p) => p.m.typeName)).toEqual(['SCCRP', 'SCCRP', 'SCCRP', 'SCCRP', 'SCCRP', 'StopCCN', 'StopCCN', 'StopCCN', 'StopCCN']);
    const gaps = fromLns.slice(1).map((p, i) => p.f.time - fromLns[i]!.f.time);
    [1, 2, 4, 8, 16, 1, 2, 4].forEach((g, i) => expect(gaps[i]).toBeCloseTo(g, 1));
    // Retransmissions are the same bytes (RFC 2661 §5.8: same Ns).
    for (const p of fromLns.slice(1, 5)) expect(toHex(p.f.bytes)).toBe(toHex(fromLns[0]!.f.bytes));
    for (const p of fromLns.slice(6)) expect(toHex(p.f.bytes)).toBe(toHex(fromLns[5]!.f.bytes));
    const stop = fromLns[5]!.m;
    expect([stop.ns, stop.nr, stop.length]).toEqual([1, 1, 45]);
    expect(stop.resultCode).toEqual({ result: 1, error: 0, message: 'Timeout' });
  });

  it('DATA (userspace path): flags 0x4002, Length, then the PPP frame with ff 03', () => {
    const data = loadHex('data').filter((f) => !isControl(f.bytes));
    expect(data).toHaveLength(2);
    const payloads = data.map((f) => {
      expect((f.bytes[0]! << 8) | f.bytes[1]!).toBe(0x4002);
      const d = parseData(f.bytes);
      if (d.version !== 2) throw new Error('expected L2TPv2');
      expect(d.length).toBe(26);
      expect(d.ns).toBeUndefined();
      expect(d.offsetSize).toBeUndefined();
      return toHex(d.payload);
    });
    // An LCP Configure-Request (RFC 1661 §5.1) from each fake pppd, magic number last.
    expect(payloads.sort()).toEqual(['ff03c0210101000e010405dc050611223344', 'ff03c0210101000e010405dc050655667788']);
  });
});

// ---------------------------------------------------------------------------------------------
// hostile.hex / hostile.txt

describe('hostile.hex: every datagram parses or throws L2tpError', () => {
  const frames = loadHex('hostile');

  it('gives a message or an L2tpError for every datagram, and re-encodes what parses', () => {
    let parsed = 0;
    for (const f of frames) {
      const fn = isControl(f.bytes) ? () => parseControl(f.bytes, { secret: TUNNEL_SECRET }) : () => parseData(f.bytes);
      try {
        const m = fn();
        parsed++;
        if ('avps' in m) expect(toHex(encodeControl(m)), `#${f.frame}`).toBe(toHex(f.bytes.subarray(0, m.length)));
      } catch (e) {
        expect(e, `#${f.frame}`).toBeInstanceOf(L2tpError);
      }
    }
    expect(parsed).toBeGreaterThan(frames.length / 2);
  });

  it("xl2tpd's own answers all parse; its StopCCNs carry result 2 with the README's error codes", () => {
    const answers = controlOf('hostile');
    expect(answers.length).toBe(frames.filter((f) => f.srcPort === 17018 || f.srcPort === 17019).length);
    const stops = answers.filter((p) => p.m.typeName === 'StopCCN' && p.m.resultCode!.result === 2);
    const byMessage = new Map(stops.map((p) => [p.m.resultCode!.message, p.m.resultCode!.error]));
    expect(Object.fromEntries(byMessage)).toEqual({
      'mandatory attribute 99 cannot be handled': 6,
      'No handler for attr 34 (Call Errors)': 6,
      'Invalid AVP length': 2,
      'AVP too small': 2,
      'reserved bits set in AVP': 3,
      'First AVP must be message type': 6,
      'Specify your assigned tunnel ID': 6,
      'Specify framing capability': 6,
      'Invalid Hidden AVP': 6,
      'Invalid challenge authentication': 6,
    });
    for (const { m } of stops) expect(shape(m).slice(0, 2)).toEqual(['0M/8', '9M/8']);
  });
});

/** `offset`: the exact byte; `within`: [first, last] bytes of the AVP at fault. */
type Outcome = { ok: (m: ControlMessage) => void } | { error: L2tpErrorCode; offset?: number; within?: [number, number] };

/**
 * What parseControl must make of each hand-made packet of hostile.txt (first `>>` of each case),
 * reasoned from RFC 2661, with the shared secret given. Parse rules: §3.1 header, §4.1 AVP
 * lengths, §4.4.1 Message Type first, §6 required AVPs, §4.3 hiding. Unknown AVPs and message
 * types are not parse errors (the FSM decides, §4.1), so those parse.
 */
const HOSTILE: ReadonlyArray<[title: RegExp, outcome: Outcome]> = [
  [/^baseline/, { ok: (m) => expect([m.typeName, m.hostName, m.assignedTunnelId]).toEqual(['SCCRQ', 'hostile', 5001]) }],
  [/^Protocol Version AVP = 2\.0/, { ok: (m) => expect(m.protocolVersion).toEqual({ version: 2, revision: 0 }) }],
  // A v3 header over a v2-style body is still a well-formed L2TPv3 control message (RFC 3931 §3.2.1).
  [/^header version 3/, { ok: (m) => expect([m.version, m.typeName]).toEqual([3, 'SCCRQ']) }],
  [/^header version 1/, { error: 'BAD_VERSION', offset: 1 }],
  [/^unknown mandatory AVP type 99/, { ok: (m) => expect(shape(m).at(-1)).toBe('99M/10') }],
  [/^unknown NON-mandatory AVP type 99/, { ok: (m) => expect(shape(m).at(-1)).toBe('99/10') }],
  // Keyed on (Vendor ID, type): vendor 9's type 99 is not IETF 99.
  [/^unknown mandatory vendor AVP/, { ok: (m) => expect(shape(m).at(-1)).toBe('9:99M/10') }],
  [/^unassigned-but-in-range mandatory AVP type 34/, { ok: (m) => expect(shape(m).at(-1)).toBe('34M/32') }],
  // The AVP at byte 67 claims 20 bytes; 10 are left (§4.1).
  [/^truncated AVP/, { error: 'BAD_AVP_LENGTH', offset: 67 }],
  [/^AVP length 4/, { error: 'BAD_AVP_LENGTH', offset: 67 }],
  // Reserved bits set: "treat as unrecognized" (§4.1) — kept raw, no typed Vendor Name.
  [
    /^mandatory AVP with reserved bits/,
    {
      ok: (m) => {
        expect(m.avps.at(-1)!.reserved).toBe(1);
        expect(m.vendorName).toBeUndefined();
      },
    },
  ],
  [/^first AVP is not Message Type/, { error: 'MESSAGE_TYPE_NOT_FIRST', offset: 12 }],
  // §6.1: an SCCRQ MUST carry Assigned Tunnel ID, Host Name and Framing Capabilities.
  [/^SCCRQ without Assigned Tunnel ID/, { error: 'MISSING_AVP' }],
  [/^SCCRQ without Host Name/, { error: 'MISSING_AVP' }],
  [/^SCCRQ without Framing Capabilities/, { error: 'MISSING_AVP' }],
  [/^header Length field larger than datagram/, { error: 'BAD_LENGTH', offset: 2 }],
  [/^ZLB to tunnel 0/, { ok: (m) => expect([m.isZlb, m.typeName, m.length]).toEqual([true, 'ZLB', 12]) }],
  [/^HELLO to unknown tunnel 777/, { ok: (m) => expect([m.typeName, m.tunnelId]).toEqual(['HELLO', 777]) }],
  // T=0: a data message handed to the control parser.
  [/^data message \(T=0\)/, { error: 'BAD_FLAGS', offset: 0 }],
  [/^message type 99/, { ok: (m) => expect([m.type, m.typeName]).toEqual([99, 'Unknown(99)']) }],
  // Hidden with the right secret unhides; hostile.py hid the name 'hidden-host'.
  [/^SCCRQ with hidden Host Name \(correct/, { ok: (m) => expect([m.hostName, shape(m)[4]]).toEqual(['hidden-host', '7MH/19']) }],
  // A wrong secret decrypts the 2-byte original length to noise larger than the AVP's room.
  [/^SCCRQ with hidden Host Name hidden with a WRONG secret/, { error: 'BAD_HIDDEN_LENGTH', within: [60, 78] }],
  [/^SCCRQ with hidden Host Name but NO Random Vector/, { error: 'HIDDEN_WITHOUT_RANDOM_VECTOR', offset: 38 }],
  [/^auth LNS: SCCRQ with Challenge AVP/, { ok: (m) => expect(toHex(m.challenge!)).toBe('000102030405060708090a0b0c0d0e0f') }],
  [/^auth LNS: SCCRQ without Challenge AVP/, { ok: (m) => expect(m.challenge).toBeUndefined() }],
];

describe('hostile.txt: each hand-made packet gives a message or the expected L2tpError', () => {
  const cases = loadHostileCases();

  it('covers every case that sent bytes', () => {
    // The CORRECT-response case sends the hidden-AVP ICRQ, tested on its own below.
    const withBytes = cases.filter((c) => c.sent.length > 0 && !/CORRECT Challenge/.test(c.title));
    for (const c of withBytes) expect(HOSTILE.some(([re]) => re.test(c.title)), c.title).toBe(true);
    expect(withBytes.length).toBe(HOSTILE.length);
  });

  it.each(HOSTILE.map(([re, outcome]) => [re.source, re, outcome] as const))('%s', (_, re, outcome) => {
    const c = cases.find((x) => re.test(x.title));
    expect(c, re.source).toBeDefined();
    const bytes = c!.sent[0]!;
    let m: ControlMessage | undefined;
    let err: unknown;
    try {
      m = parseControl(bytes, { secret: TUNNEL_SECRET });
    } catch (e) {
      err = e;
    }
    if ('ok' in outcome) {
      expect(err).toBeUndefined();
      outcome.ok(m!);
      // A message that parses re-encodes to its own bytes.
      expect(toHex(encodeControl(m!))).toBe(toHex(bytes.subarray(0, m!.length)));
    } else {
      expect(err).toBeInstanceOf(L2tpError);
      expect((err as L2tpError).code).toBe(outcome.error);
      if (outcome.offset !== undefined) expect((err as L2tpError).offset).toBe(outcome.offset);
      if (outcome.within) {
        expect((err as L2tpError).offset).toBeGreaterThanOrEqual(outcome.within[0]);
        expect((err as L2tpError).offset).toBeLessThanOrEqual(outcome.within[1]);
      }
    }
  });

  it('without the secret, hidden AVPs stay raw and their typed field is absent', () => {
    const c = cases.find((x) => /^SCCRQ with hidden Host Name hidden with a WRONG secret/.test(x.title))!;
    const m = parseControl(c.sent[0]!);
    expect(m.hostName).toBeUndefined();
    expect(m.avps[4]!.hidden).toBe(true);
    expect(toHex(m.avps[4]!.value)).toBe('39c55f07cc5f124250a9df29fb');
  });

  it('the ICRQ with three hidden AVPs unhides as xl2tpd did (RFC 2661 §4.3: padding, several MD5 blocks)', () => {
    const c = cases.find((x) => x.sent.some((b) => b.length > 12 && b[19] === 10))!;
    const icrq = c.sent.find((b) => b[19] === 10)!;
    // The bytes README.md quotes for the hidden Assigned Session AVP.
    expect(toHex(icrq)).toContain('c00a0000000eb4ebadda');
    const m = parseControl(icrq, { secret: TUNNEL_SECRET });
    expect(m.typeName).toBe('ICRQ');
    expect(shape(m)).toEqual(['0M/8', '36M/22', '14MH/10', '15M/10', '18M/10', '21MH/44', '22MH/48']);
    // xl2tpd's log: "using peer's call 4660", dialed/dialing numbers as below; its ICRP went to session 4660.
    expect(m.assignedSessionId).toBe(4660);
    expect(m.calledNumber).toBe('called-0123456789-abcdefghijk');
    expect(m.callingNumber).toBe('calling-number-longer-than-one-md5-block');
    expect(m.callSerialNumber).toBe(77);
    const icrp = parseControl(c.received.find((b) => b.length > 12 && b[19] === 11)!);
    expect(icrp.sessionId).toBe(4660);
    expect(toHex(encodeControl(m))).toBe(toHex(icrq));
    // Without the secret it still parses; the hidden fields are simply absent.
    const raw = parseControl(icrq);
    expect([raw.assignedSessionId, raw.calledNumber, raw.callingNumber]).toEqual([undefined, undefined, undefined]);
  });

  it('the SCCCN with the right response passes xl2tpd; the wrong one does not', () => {
    const wrong = cases.find((x) => /WRONG Challenge Response/.test(x.title))!;
    const right = cases.find((x) => /CORRECT Challenge Response/.test(x.title))!;
    // The LNS challenge and the correct response hostile.txt prints for the "wrong" case.
    expect(toHex(challengeResponse(3, TUNNEL_SECRET, fromHex('90e61610b185aca73548160b202335ed')))).toBe('98fb76ff84d08f62f77a0377a2547f0c');
    expect(wrong.received.some((b) => parseControl(b).resultCode?.message === 'Invalid challenge authentication')).toBe(true);
    expect(right.received.every((b) => parseControl(b).typeName !== 'StopCCN' || parseControl(b).resultCode?.result !== 2)).toBe(true);
    // In hostile.hex: each SCCCN sent to the challenge LNS answers the SCCRP sent to its port.
    const frames = loadHex('hostile');
    const verdicts = frames
      .filter((f) => f.dstPort === 17019 && isControl(f.bytes) && f.bytes.length > 12 && f.bytes[19] === 3)
      .map((f) => {
        const cn = parseControl(f.bytes);
        const rp = frames.find((g) => g.srcPort === 17019 && g.dstPort === f.srcPort && g.bytes[19] === 2)!;
        const expected = challengeResponse(3, TUNNEL_SECRET, parseControl(rp.bytes).challenge!);
        // What xl2tpd did next: a StopCCN "Invalid challenge authentication", or none.
        const refused = frames.some(
          (g) => g.srcPort === 17019 && g.dstPort === f.srcPort && g.frame > f.frame && parseControl(g.bytes).resultCode?.message === 'Invalid challenge authentication',
        );
        return [toHex(cn.challengeResponse!) === toHex(expected), refused];
      });
    expect(verdicts).toEqual([
      [false, true],
      [true, false],
    ]);
  });
});
