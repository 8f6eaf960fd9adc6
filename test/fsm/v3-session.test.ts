/**
 * L2TPv3 sessions (RFC 3931 §3.4, §5.4.4, §5.4.5, §6.6–§6.14, §7.3, §7.4) through the shared
 * session machine: pseudowires between our two LCCEs, both directions, cookies of each size,
 * the default L2-Specific Sublayer with sequencing, refusals with the RFC 3931 CDN results, and
 * the deadline of a call being set up. Field values are checked against what the RFC says each
 * message carries, not against our encoder's output.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { encodeControl, parseControl, type ControlMessage } from '../../src/wire/control.js';
import { verifyControlV3 } from '../../src/wire/v3-digest.js';
import { v3HidingKey } from '../../src/wire/v3-hidden.js';
import { Pseudowire } from '../../src/fsm/pseudowire.js';
import { Pair, seededRandom } from './harness.js';

const SECRET = 'pw secret';
const parse = (b: Uint8Array, secret?: string): ControlMessage => parseControl(b, { requireAvps: false, secret: secret === undefined ? undefined : v3HidingKey(secret) });
const sentBytes = (acts: TunnelAction[]) => acts.flatMap((a) => (a.type === 'send' ? [a.bytes] : []));
type Up = Extract<TunnelAction, { type: 'session-up' }>;

function upPair(a: Partial<TunnelOptions>, b: Partial<TunnelOptions>, link?: ConstructorParameters<typeof Pair>[2]): Pair {
  const p = new Pair({ version: 3, ...a }, { version: 3, ...b }, link);
  p.do('a', { type: 'open' });
  p.run(60_000);
  expect([p.a.state, p.b.state]).toEqual(['established', 'established']);
  return p;
}

describe('v3 incoming call (ICRQ → ICRP → ICCN), an Ethernet pseudowire', () => {
  it.each([
    [0, 4],
    [4, 8],
    [8, 0],
  ] as const)('cookies of %i and %i bytes: each side sends the cookie the other assigned', (ca, cb) => {
    const p = upPair({ cookieLength: ca }, { cookieLength: cb });
    p.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 5 } });
    p.run(p.now + 5_000);
    const [ua] = p.actions('a', 'session-up') as Up[];
    const [ub] = p.actions('b', 'session-up') as Up[];
    expect(ua && ub).toBeTruthy();
    expect(p.wire.filter((w) => w.at > 0 || true).map((w) => w.typeName).filter((n) => ['ICRQ', 'ICRP', 'ICCN'].includes(n))).toEqual(['ICRQ', 'ICRP', 'ICCN']);
    const pa = ua!.pseudowire!;
    const pb = ub!.pseudowire!;
    expect(pa.localSessionId).toBe(ua!.sessionId);
    expect(pa.remoteSessionId).toBe(pb.localSessionId);
    expect(pb.remoteSessionId).toBe(pa.localSessionId);
    expect(pa.localCookie.length).toBe(ca);
    expect(pb.localCookie.length).toBe(cb);
    expect(pa.remoteCookie).toEqual(pb.localCookie);
    expect(pb.remoteCookie).toEqual(pa.localCookie);
    expect(pb.pseudowireType).toBe(5);
    expect(new TextDecoder().decode(pb.remoteEndId)).toBe('eth0');
    expect(p.a.pseudowire(ua!.sessionId)).toEqual(pa);

    // RFC 3931 §6.6: the ICRQ names its sender's session (Local Session ID), Remote Session ID 0.
    const icrq = parse(p.sent('a', 'ICRQ')[0]!.bytes);
    expect(icrq.localSessionId).toBe(pa.localSessionId);
    expect(icrq.remoteSessionId).toBe(0);
    expect(icrq.pseudowireType).toBe(5);
    expect(icrq.circuitStatus).toBe(3); // §5.4.5: Active and New
    expect(icrq.callSerialNumber).toBe(1);
    expect(icrq.assignedCookie?.length).toBe(ca === 0 ? undefined : ca);
    expect(icrq.sessionId).toBe(0); // the v3 control header has no Session ID
    // §6.7, §6.8: both IDs in every later message.
    const icrp = parse(p.sent('b', 'ICRP')[0]!.bytes);
    expect([icrp.localSessionId, icrp.remoteSessionId]).toEqual([pb.localSessionId, pa.localSessionId]);
    expect(icrp.circuitStatus).toBe(3);
    const iccn = parse(p.sent('a', 'ICCN')[0]!.bytes);
    expect([iccn.localSessionId, iccn.remoteSessionId]).toEqual([pa.localSessionId, pb.localSessionId]);
  });

  it('SLI carries Circuit Status (§6.14, §5.4.5), WEN Circuit Errors (§6.13); CDN ends it on both sides (§6.12)', () => {
    const p = upPair({}, {});
    p.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'x' } });
    p.run(p.now + 5_000);
    const ida = (p.actions('a', 'session-up')[0] as Up).sessionId;
    const idb = (p.actions('b', 'session-up')[0] as Up).sessionId;
    p.do('a', { type: 'sendSli', sessionId: ida, circuitStatus: 0 });
    const errs = { crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 };
    p.do('a', { type: 'sendWen', sessionId: ida, callErrors: errs });
    p.run(p.now + 5_000);
    expect(p.actions('b', 'circuit-status')).toEqual([{ type: 'circuit-status', sessionId: idb, circuitStatus: 0 }]);
    expect(p.b.pseudowire(idb)?.remoteCircuitStatus).toBe(0);
    expect(p.actions('b', 'wen')).toEqual([{ type: 'wen', sessionId: idb, callErrors: errs }]);
    expect(() => p.a.handle({ type: 'sendSli', sessionId: ida, accm: { send: 0, receive: 0 } }, p.now)).toThrow(/circuitStatus/);
    p.do('b', { type: 'closeSession', sessionId: idb, result: { result: 3 } });
    p.run(p.now + 5_000);
    const cdn = parse(p.sent('b', 'CDN')[0]!.bytes);
    expect(cdn.resultCode).toEqual({ result: 3 });
    expect([cdn.localSessionId, cdn.remoteSessionId]).toEqual([idb, ida]);
    expect(p.actions('a', 'session-down')[0]).toMatchObject({ sessionId: ida, by: 'peer', result: { result: 3 } });
    expect([p.a.sessionCount, p.b.sessionCount]).toEqual([0, 0]);
  });

  it("dataSequencing 'required': the default L2-Specific Sublayer and Data Sequencing 2 (all) are asked for", () => {
    const p = upPair({ dataSequencing: 'required' }, {});
    p.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'seq' } });
    p.run(p.now + 5_000);
    const icrq = parse(p.sent('a', 'ICRQ')[0]!.bytes);
    expect(icrq.l2SpecificSublayer).toBe(1);
    expect(icrq.dataSequencing).toBe(2);
    const pb = (p.actions('b', 'session-up')[0] as Up).pseudowire!;
    expect([pb.remoteL2SpecificSublayer, pb.remoteDataSequencing, pb.localL2SpecificSublayer, pb.localDataSequencing]).toEqual([1, 2, 0, 0]);
    const pa = (p.actions('a', 'session-up')[0] as Up).pseudowire!;
    expect([pa.localL2SpecificSublayer, pa.localDataSequencing]).toEqual([1, 2]);
  });
});

describe('v3 outgoing call (OCRQ → OCRP → OCCN), authenticated, hidden AVPs, lossy link', () => {
  it.each([1, 2, 3])('seed %i: Ethernet VLAN pseudowire up on both sides, every datagram verifies', (seed) => {
    const auth = { secret: SECRET, hideAvps: true, cookieLength: 8 } as const;
    const p = upPair(auth, auth, { seed, link: { loss: 0.2, duplicate: 0.1, reorder: 0.2, delay: 10, jitter: 20 } });
    p.do('b', { type: 'openSession', call: { kind: 'outgoing', remoteEndId: 'vlan 100', pseudowireType: 4 } });
    p.run(p.now + 60_000);
    const ub = p.actions('b', 'session-up')[0] as Up;
    const ua = p.actions('a', 'session-up')[0] as Up;
    expect(ub.kind).toBe('outgoing');
    expect(ua.origin).toBe('peer');
    expect(ua.pseudowire!.pseudowireType).toBe(4);
    expect(ua.pseudowire!.remoteCookie).toEqual(ub.pseudowire!.localCookie);
    expect(ub.pseudowire!.remoteCookie).toEqual(ua.pseudowire!.localCookie);
    // The OCRQ's session AVPs went hidden (§5.3) and read back with the key.
    const ocrq = p.sent('b', 'OCRQ')[0]!.bytes;
    expect(parse(ocrq).avps.filter((x) => x.hidden).map((x) => x.type)).toEqual(expect.arrayContaining([63, 64, 65, 66, 68]));
    expect(parse(ocrq, SECRET).remoteEndId).toEqual(new TextEncoder().encode('vlan 100'));
    const rq = parse(p.sent('a', 'SCCRQ')[0]!.bytes).controlMessageAuthenticationNonce!;
    const rp = parse(p.sent('b', 'SCCRP')[0]!.bytes).controlMessageAuthenticationNonce!;
    for (const w of p.wire) {
      const nonces = w.typeName === 'SCCRQ' ? undefined : w.from === 'a' ? { local: rq, remote: rp } : { local: rp, remote: rq };
      expect(() => verifyControlV3(w.bytes, { secret: SECRET, nonces }), `${w.from}:${w.typeName}`).not.toThrow();
    }
  });
});

describe('v3 refusals (RFC 3931 §5.4.2 CDN results)', () => {
  function lcce(o: Partial<TunnelOptions> = {}): { f: TunnelFsm; ccid: number } {
    const f = new TunnelFsm({ version: 3, hostName: 'b', random: seededRandom(31), ...o });
    const rp = parse(sentBytes(f.handle({ type: 'received', bytes: encodeControl({ version: 3, type: 1, hostName: 'a', routerId: 1, assignedControlConnectionId: 77, pseudowireCapabilitiesList: [5, 7] }) }, 0))[0]!);
    f.handle({ type: 'received', bytes: encodeControl({ version: 3, type: 3, controlConnectionId: rp.assignedControlConnectionId, ns: 1, nr: 1 }) }, 1);
    expect(f.state).toBe('established');
    return { f, ccid: rp.assignedControlConnectionId! };
  }
  const icrq = (ccid: number, fields: Record<string, unknown>) =>
    encodeControl({ version: 3, type: 10, controlConnectionId: ccid, ns: 2, nr: 1, localSessionId: 0x11223344, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, remoteEndId: new Uint8Array([1]), circuitStatus: 3, ...fields });

  it('a Pseudowire Type we do not support: CDN result 14 to the requester\'s Local Session ID', () => {
    const { f, ccid } = lcce({ pseudowireCapabilities: [5] });
    const out = sentBytes(f.handle({ type: 'received', bytes: icrq(ccid, { pseudowireType: 7 }) }, 2)).map((b) => parse(b));
    const cdn = out.find((m) => m.typeName === 'CDN')!;
    expect(cdn.resultCode?.result).toBe(14);
    expect(cdn.remoteSessionId).toBe(0x11223344);
    expect(cdn.localSessionId).toBeGreaterThan(0);
    expect(f.sessionCount).toBe(0);
  });

  it('sequencing required without an L2-Specific Sublayer: CDN result 15', () => {
    const { f, ccid } = lcce();
    const out = sentBytes(f.handle({ type: 'received', bytes: icrq(ccid, { dataSequencing: 2 }) }, 2)).map((b) => parse(b));
    expect(out.find((m) => m.typeName === 'CDN')!.resultCode?.result).toBe(15);
  });

  it('an ICRQ lacking Remote End ID (required by RFC 3931 §6.6): CDN result 2, error 6 naming it', () => {
    const { f, ccid } = lcce();
    const bytes = encodeControl({ version: 3, type: 10, controlConnectionId: ccid, ns: 2, nr: 1, localSessionId: 9, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, circuitStatus: 3 });
    const cdn = sentBytes(f.handle({ type: 'received', bytes }, 2)).map((b) => parse(b)).find((m) => m.typeName === 'CDN')!;
    expect(cdn.resultCode).toMatchObject({ result: 2, error: 6 });
    expect(cdn.resultCode?.message).toContain('Remote End ID');
  });

  it('opening a pseudowire type the peer did not list is a local RangeError; a v2-style call a TypeError', () => {
    const { f } = lcce();
    expect(() => f.handle({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'x', pseudowireType: 4 } }, 3)).toThrow(RangeError);
    expect(() => f.handle({ type: 'openSession', call: { kind: 'incoming' } }, 3)).toThrow(TypeError);
    expect(f.sessionCount).toBe(0);
  });

  it('a call whose ICRP never comes is given up after handshakeTimeout with a CDN (no state without a deadline)', () => {
    const { f } = lcce({ handshakeTimeout: 10_000 });
    f.handle({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'x' } }, 100);
    expect(f.nextDeadline()).toBeLessThanOrEqual(10_100);
    const acts = f.handle({ type: 'tick' }, 10_100);
    expect(acts.find((a) => a.type === 'session-down')).toMatchObject({ by: 'local', error: { code: 'TIMEOUT' } });
    // The CDN is queued behind the unacked ICRQ (being retransmitted); the peer's ACK lets it out.
    const after = f.handle({ type: 'received', bytes: encodeControl({ version: 3, type: 20, controlConnectionId: f.localControlConnectionId, ns: 2, nr: 2 }) }, 10_200);
    const cdn = [...sentBytes(acts), ...sentBytes(after)].map((b) => parse(b)).find((m) => m.typeName === 'CDN')!;
    expect(cdn.resultCode).toMatchObject({ result: 2 });
  });
});

describe('v3 session tie breaking (RFC 3931 §5.4.4, §7.3.1)', () => {
  it.each([1, 2, 3, 4])('seed %i: crossing ICRQs for one circuit end as one session; the loser gets CDN result 13', (seed) => {
    const p = new Pair({ version: 3 }, { version: 3 }, { seed });
    p.do('a', { type: 'open' });
    p.run(5_000);
    p.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: true } });
    p.do('b', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: true } });
    p.run(p.now + 10_000);
    expect([p.a.sessionCount, p.b.sessionCount]).toEqual([1, 1]);
    const tieA = parse(p.sent('a', 'ICRQ')[0]!.bytes).tieBreaker!;
    const tieB = parse(p.sent('b', 'ICRQ')[0]!.bytes).tieBreaker!;
    const aWins = Buffer.compare(Buffer.from(tieA), Buffer.from(tieB)) < 0;
    const [winner, loser] = aWins ? (['a', 'b'] as const) : (['b', 'a'] as const);
    // The winner's call is the one up on both sides; the loser's own call went down.
    const up = p.actions(winner, 'session-up');
    expect(up).toHaveLength(1);
    expect(up[0]!.origin).toBe('local');
    expect(p.actions(loser, 'session-up')[0]!.origin).toBe('peer');
    expect(p.actions(loser, 'session-down')[0]).toMatchObject({ by: 'peer', error: { code: 'PROTOCOL' } });
    expect(parse(p.sent(winner, 'CDN')[0]!.bytes).resultCode?.result).toBe(13);
    expect(p.sent(loser, 'ICRP')).toHaveLength(1);
    expect(p.sent(winner, 'ICRP')).toHaveLength(0);
  });

  it('different circuits do not tie: both calls come up', () => {
    const p = new Pair({ version: 3 }, { version: 3 });
    p.do('a', { type: 'open' });
    p.run(5_000);
    p.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: true } });
    p.do('b', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth1', tieBreaker: true } });
    p.run(p.now + 10_000);
    expect([p.a.sessionCount, p.b.sessionCount]).toEqual([2, 2]);
  });
});

describe('the control plane sets up the data plane: new Pseudowire(session.pseudowire) on both sides', () => {
  it.each([
    [{}, {}],
    [{ cookieLength: 4 }, { cookieLength: 8, dataSequencing: 'required' }],
    [{ cookieLength: 8, l2SpecificSublayer: 'default' }, { cookieLength: 4 }],
  ] as const)('%o / %o: an Ethernet frame goes each way; one with a wrong cookie is dropped', (oa, ob) => {
    const p = upPair(oa as Partial<TunnelOptions>, ob as Partial<TunnelOptions>);
    p.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0' } });
    p.run(p.now + 5_000);
    const a = new Pseudowire((p.actions('a', 'session-up')[0] as Up).pseudowire!);
    const b = new Pseudowire((p.actions('b', 'session-up')[0] as Up).pseudowire!);
    const frame = new Uint8Array(60);
    frame.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06]);
    for (const [from, to] of [[a, b], [b, a]] as const) {
      const got = to.receive(from.send(frame));
      expect(got.ok && Array.from(got.frame)).toEqual(Array.from(frame));
    }
    // a's data carries the cookie b assigned (§5.4.4): one bit off, and b drops it (§4.5).
    const info = (p.actions('a', 'session-up')[0] as Up).pseudowire!;
    if (info.remoteCookie.length > 0) {
      const forged = a.send(frame).slice();
      forged[8]! ^= 1; // the first cookie byte, after the 4-byte UDP data header and the Session ID
      const r = b.receive(forged);
      expect(r.ok ? 'delivered' : r.drop).toBe('cookie');
    }
  });
});

describe('v3 Session IDs are unique across the LCCE (RFC 3931 §4.1: data names only the session)', () => {
  it('a tunnel given sessionIdTaken never assigns an ID another control connection holds, in either role', () => {
    // Both sides hold every ID whose low 12 bits are not 0x0a5 "elsewhere": each new session must
    // land on one of the few free ones. Without the option a random 32-bit draw would hit a held
    // ID almost always.
    const held: number[] = [];
    const sessionIdTaken = (id: number) => {
      const taken = (id & 0xfff) !== 0x0a5;
      if (taken) held.push(id);
      return taken;
    };
    const p = upPair({ sessionIdTaken }, { sessionIdTaken });
    for (let i = 0; i < 3; i++) p.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: `eth${i}`, pseudowireType: 5 } });
    p.run(p.now + 10_000);
    const ups = [...(p.actions('a', 'session-up') as Up[]), ...(p.actions('b', 'session-up') as Up[])];
    expect(ups).toHaveLength(6);
    for (const u of ups) expect(u.pseudowire!.localSessionId & 0xfff).toBe(0x0a5);
    expect(held.length).toBeGreaterThan(0);
  });

  it('refuses a sessionIdTaken that is not a function (a TypeError naming the option)', () => {
    expect(() => new TunnelFsm({ version: 3, hostName: 'h', random: seededRandom(1), sessionIdTaken: 5 as never } as TunnelOptions)).toThrow(/sessionIdTaken must be a function/);
  });
});
