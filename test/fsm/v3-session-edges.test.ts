/**
 * The edges of the L2TPv3 session speech (RFC 3931 §5.4.4, §5.4.5, §6.6–§6.14): what a local
 * `openSession` refuses and the exact error that says what to change, the AVPs a request carries
 * (and leaves out), how a peer's ICRQ/OCRQ is refused with the §5.4.2 result and a message naming
 * the bad value, and that what the session keeps is its own copy of the bytes it was given.
 * Peer messages are written by hand field by field from the RFC's AVP lists.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type CallOptions, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { encodeControl, parseControl, type ControlMessage, type ControlMessageInit } from '../../src/wire/control.js';
import { establishedPair, seededRandom } from './harness.js';
import { expectLocalError } from '../support/local-errors.js';

const parse = (b: Uint8Array): ControlMessage => parseControl(b, { requireAvps: false });
const sent = (acts: TunnelAction[]): ControlMessage[] => acts.flatMap((a) => (a.type === 'send' ? [parse(a.bytes)] : []));
const v3 = (lns: Partial<TunnelOptions> = {}, lac: Partial<TunnelOptions> = {}) => establishedPair({ version: 3, pseudowireCapabilities: [5, 7], ...lns }, { version: 3, pseudowireCapabilities: [5, 7], ...lac });
const open = (f: TunnelFsm, call: Partial<CallOptions>) => () => f.handle({ type: 'openSession', call: call as CallOptions }, 1);

/** A peer's request to `to` as the first message after the handshake (its Ns 2, acking our SCCRP). */
function request(to: TunnelFsm, fields: Partial<ControlMessageInit>): Uint8Array {
  return encodeControl({ version: 3, type: 10, controlConnectionId: to.localControlConnectionId, ns: 2, nr: 1, localSessionId: 0x51, remoteSessionId: 0, callSerialNumber: 9, pseudowireType: 5, remoteEndId: Uint8Array.of(0x65, 0x30), circuitStatus: 3, ...fields });
}
const cdnOf = (acts: TunnelAction[]) => sent(acts).find((m) => m.typeName === 'CDN');
const upOf = (acts: TunnelAction[]) => acts.find((a): a is Extract<TunnelAction, { type: 'session-up' }> => a.type === 'session-up');

/** The peer's ICRQ to `lns`, then its ICCN (§6.8) once our ICRP names our session: the session-up. */
function incoming(lns: TunnelFsm, fields: Partial<ControlMessageInit>, bytes = request(lns, fields)) {
  const icrp = sent(lns.handle({ type: 'received', bytes }, 1)).find((m) => m.typeName === 'ICRP')!;
  const iccn = encodeControl({ version: 3, type: 12, controlConnectionId: lns.localControlConnectionId, ns: 3, nr: 2, localSessionId: 0x51, remoteSessionId: icrp.localSessionId });
  return upOf(lns.handle({ type: 'received', bytes: iccn }, 2))!;
}

describe('openSession on an L2TPv3 tunnel: local misuse names what to change', () => {
  it('a call without remoteEndId, or of another kind', () => {
    const { lac } = v3();
    expectLocalError(open(lac, { kind: 'incoming' }), TypeError, 'an L2TPv3 session is a pseudowire: pass { kind, remoteEndId, pseudowireType? } (RFC 3931 §6.6, §6.9)');
    expectLocalError(open(lac, { kind: 'sideways' as 'incoming', remoteEndId: 'x' }), TypeError, "call.kind must be 'incoming' or 'outgoing', got sideways");
    expectLocalError(open(lac, { kind: 'incoming', remoteEndId: 5 as unknown as string }), TypeError, 'call.remoteEndId must be a Uint8Array, got number');
    expect(lac.sessionCount).toBe(0);
  });

  it('pseudowireType must be 1…65535 and one the peer listed (§5.4.3)', () => {
    const { lac } = v3();
    expectLocalError(open(lac, { kind: 'incoming', remoteEndId: 'x', pseudowireType: 0 }), RangeError, 'call.pseudowireType must be an integer from 1 to 65535, got 0');
    expectLocalError(open(lac, { kind: 'incoming', remoteEndId: 'x', pseudowireType: 4 }), RangeError, "call.pseudowireType 4 is not in the peer's Pseudowire Capabilities List (5, 7); pick one it supports (RFC 3931 §5.4.3)");
    expect(sent(open(lac, { kind: 'incoming', remoteEndId: 'x', pseudowireType: 7 })())[0]?.pseudowireType).toBe(7);
  });

  it('cookieLength, l2SpecificSublayer, circuitStatus and tieBreaker are checked per call', () => {
    const { lac } = v3();
    expectLocalError(open(lac, { kind: 'incoming', remoteEndId: 'x', cookieLength: 5 as 4 }), RangeError, 'cookieLength must be 0, 4 or 8 (RFC 3931 §4.1, §5.4.4), got 5');
    expectLocalError(open(lac, { kind: 'incoming', remoteEndId: 'x', l2SpecificSublayer: 'atm' as 'none' }), TypeError, "l2SpecificSublayer must be 'none' or 'default' (RFC 3931 §4.6), got atm");
    expectLocalError(open(lac, { kind: 'incoming', remoteEndId: 'x', circuitStatus: 0x10000 }), RangeError, 'call.circuitStatus must be an integer from 0 to 65535, got 65536');
    const tieError = new RangeError('call.tieBreaker must be a boolean or 8 bytes (RFC 3931 §5.4.4 Session Tie Breaker)');
    expect(open(lac, { kind: 'incoming', remoteEndId: 'x', tieBreaker: new Uint8Array(7) })).toThrow(tieError);
    expect(open(lac, { kind: 'incoming', remoteEndId: 'x', tieBreaker: [1, 2, 3, 4, 5, 6, 7, 8] as unknown as Uint8Array })).toThrow(tieError);
    expect(lac.sessionCount).toBe(0);
  });

  it("dataSequencing 'required' cannot go with l2SpecificSublayer 'none' (§5.4.4: sequencing needs a sublayer)", () => {
    const { lac } = v3({}, { dataSequencing: 'required' });
    expectLocalError(open(lac, { kind: 'incoming', remoteEndId: 'x', l2SpecificSublayer: 'none' }), TypeError, "dataSequencing 'required' needs the default L2-Specific Sublayer (RFC 3931 §4.6): l2SpecificSublayer 'default'");
  });
});

describe('what our ICRQ carries (§6.6)', () => {
  it('a Uint8Array Remote End ID goes as its bytes; no L2SS / Data Sequencing AVP when none is asked (absent means 0, §5.4.4)', () => {
    const { lac } = v3();
    const [icrq] = sent(open(lac, { kind: 'incoming', remoteEndId: Uint8Array.of(0xff, 0, 0xc3) })());
    expect(icrq!.remoteEndId).toEqual(Uint8Array.of(0xff, 0, 0xc3));
    expect(icrq!.l2SpecificSublayer).toBeUndefined();
    expect(icrq!.dataSequencing).toBeUndefined();
    expect(icrq!.tieBreaker).toBeUndefined();
  });

  it('tieBreaker: false sends none; 8 bytes given are sent as they are', () => {
    const { lac } = v3();
    expect(sent(open(lac, { kind: 'incoming', remoteEndId: 'a', tieBreaker: false })())[0]!.tieBreaker).toBeUndefined();
    const tie = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 9);
    expect(sent(open(lac, { kind: 'incoming', remoteEndId: 'b', tieBreaker: tie })())[0]!.tieBreaker).toEqual(tie);
  });

  it('the Tie Breaker compared when ICRQs cross is the one we sent, even if the caller reuses its array (§5.4.4: lower wins)', () => {
    const { lac } = v3();
    const tie = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1);
    lac.handle({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: tie } }, 1);
    tie.fill(0xff);
    const theirs = encodeControl({ version: 3, type: 10, controlConnectionId: lac.localControlConnectionId, ns: 1, nr: 3, localSessionId: 0x77, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, remoteEndId: new TextEncoder().encode('eth0'), circuitStatus: 3, tieBreaker: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 2) });
    const acts = lac.handle({ type: 'received', bytes: theirs }, 2);
    expect(cdnOf(acts)?.resultCode?.result).toBe(13);
    expect(acts.some((a) => a.type === 'session-down')).toBe(false);
  });

  it('our session-up reports the Serial Number the ICRQ carried', () => {
    const { lac, lns } = v3();
    const toLns = lac.handle({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'x' } }, 1).flatMap((a) => (a.type === 'send' ? [a.bytes] : []));
    const toLac = toLns.flatMap((bytes) => lns.handle({ type: 'received', bytes }, 1).flatMap((a) => (a.type === 'send' ? [a.bytes] : [])));
    const acts = toLac.flatMap((bytes) => [...lac.handle({ type: 'received', bytes }, 1)]);
    expect(upOf(acts)?.call.callSerialNumber).toBe(1);
  });

  it('keeps its own copy of the cookie it assigned, even from a random source that reuses one buffer', () => {
    const pool = new Uint8Array(64);
    let k = 0;
    const random = (n: number): Uint8Array => pool.fill(++k & 0xff).subarray(0, n);
    const { lac } = v3({}, { random, cookieLength: 4 });
    const [first] = sent(open(lac, { kind: 'incoming', remoteEndId: 'a' })());
    const firstId = first!.localSessionId!;
    const cookie = lac.pseudowire(firstId)!.localCookie.slice();
    expect(first!.assignedCookie).toEqual(cookie);
    open(lac, { kind: 'incoming', remoteEndId: 'b' })();
    expect(lac.pseudowire(firstId)!.localCookie).toEqual(cookie);
  });
});

describe("a peer's ICRQ/OCRQ refused with the RFC 3931 §5.4.2 result and a message naming the value", () => {
  it.each([
    ['an unsupported Pseudowire Type', { pseudowireType: 4 }, { result: 14, error: 0, message: 'Pseudowire Type 4 is not one we support (5, 7)' }],
    ['a non-zero Remote Session ID', { remoteSessionId: 5 }, { result: 2, error: 3, message: 'ICRQ with Remote Session ID 5: it must be 0 in a request (RFC 3931 §5.4.4)' }],
    ['an L2-Specific Sublayer other than none/default', { l2SpecificSublayer: 2 }, { result: 2, error: 3, message: 'L2-Specific Sublayer type 2: only none (0) and the default (1) are supported (RFC 3931 §4.6)' }],
    ['Data Sequencing level 3', { l2SpecificSublayer: 1, dataSequencing: 3 }, { result: 2, error: 3, message: 'Data Sequencing level 3: 0, 1 or 2 (RFC 3931 §5.4.4)' }],
    ['sequencing without a sublayer', { dataSequencing: 1 }, { result: 15, error: 0, message: 'Data Sequencing required without an L2-Specific Sublayer to carry it (RFC 3931 §5.4.4)' }],
  ] as const)('%s', (_name, fields, resultCode) => {
    const { lns } = v3();
    const acts = lns.handle({ type: 'received', bytes: request(lns, fields) }, 1);
    const cdn = cdnOf(acts);
    expect(cdn?.resultCode).toEqual(resultCode);
    expect(cdn?.remoteSessionId).toBe(0x51);
    expect(lns.sessionCount).toBe(0);
  });

  it('the accepted values next to them: sublayer 1 with sequencing 2 comes up, the peer\'s choices recorded', () => {
    const { lns } = v3();
    const up = incoming(lns, { l2SpecificSublayer: 1, dataSequencing: 2, circuitStatus: 1 });
    expect(up.pseudowire).toMatchObject({ remoteSessionId: 0x51, remoteL2SpecificSublayer: 1, remoteDataSequencing: 2, remoteCircuitStatus: 1 });
  });
});

describe("a peer's request accepted: the session records the request's own values", () => {
  it('ICRQ: an incoming call with its Serial Number and its Circuit Status (§5.4.5)', () => {
    const up = incoming(v3().lns, { callSerialNumber: 42, circuitStatus: 1 });
    expect([up.kind, up.origin, up.call.callSerialNumber]).toEqual(['incoming', 'peer', 42]);
    expect(up.pseudowire?.remoteCircuitStatus).toBe(1);
  });

  it('OCRQ: an outgoing call, up at once with OCRP and OCCN, its Serial Number kept; no Circuit Status sent, none recorded', () => {
    const { lac } = v3();
    const ocrq = request(lac, { type: 7, ns: 1, nr: 2, callSerialNumber: 42, circuitStatus: undefined });
    const acts = lac.handle({ type: 'received', bytes: ocrq }, 1);
    expect(sent(acts).map((m) => m.typeName)).toEqual(['OCRP', 'OCCN']);
    const up = upOf(acts)!;
    expect([up.kind, up.origin, up.call.callSerialNumber]).toEqual(['outgoing', 'peer', 42]);
    expect(Object.keys(up.pseudowire!)).not.toContain('remoteCircuitStatus');
  });

  it('keeps its own copies of the cookie and Remote End ID: the driver may reuse its receive buffer', () => {
    const { lns } = v3();
    const bytes = request(lns, { assignedCookie: Uint8Array.of(1, 2, 3, 4), remoteEndId: Uint8Array.of(0x41, 0x42) });
    const up = incoming(lns, {}, bytes);
    bytes.fill(0);
    const pw = lns.pseudowire(up.sessionId)!;
    expect([pw.remoteCookie, pw.remoteEndId]).toEqual([Uint8Array.of(1, 2, 3, 4), Uint8Array.of(0x41, 0x42)]);
  });
});

describe('SLI (§6.14, §5.4.5)', () => {
  it('sendSli needs a Circuit Status of 16 bits, and says so', () => {
    const { lns } = v3();
    const up = incoming(lns, {});
    const sli = (e: object) => () => lns.handle({ type: 'sendSli', sessionId: up.sessionId, ...e } as never, 2);
    expectLocalError(sli({}), TypeError, 'sendSli on an L2TPv3 tunnel needs circuitStatus (RFC 3931 §6.14, §5.4.5: 1 Active, 2 New)');
    expectLocalError(sli({ circuitStatus: 0x10000 }), RangeError, 'circuitStatus must be an integer from 0 to 65535, got 65536');
  });

  it('lenient: an SLI without Circuit Status (§6.14 requires it) is reported, and no circuit-status is made up', () => {
    const { lns } = v3({ lenient: true });
    const up = incoming(lns, {});
    const sli = encodeControl({ version: 3, type: 16, controlConnectionId: lns.localControlConnectionId, ns: 4, nr: 3, localSessionId: 0x51, remoteSessionId: up.sessionId });
    const acts = lns.handle({ type: 'received', bytes: sli }, 3);
    expect(acts.filter((a) => a.type === 'circuit-status')).toEqual([]);
    expect(lns.pseudowire(up.sessionId)?.remoteCircuitStatus).toBe(3);
  });

  it('lenient: an ICRQ without Serial Number comes up with none in its call info (nothing made up)', () => {
    const { lns } = v3({ lenient: true });
    const up = incoming(lns, { callSerialNumber: undefined });
    expect(Object.keys(up.call)).not.toContain('callSerialNumber');
  });
});

describe('lenient: a v3 peer that advertised no Pseudowire Capabilities List (§6.1, §6.2 require one)', () => {
  it('openSession then checks the type against nothing: any type goes out in the ICRQ', () => {
    const b = new TunnelFsm({ version: 3, hostName: 'b', random: seededRandom(9), lenient: true, pseudowireCapabilities: [5, 7] });
    // The peer's SCCRQ (§6.1) with everything but the capabilities list, then its SCCCN acking our SCCRP.
    const rq = encodeControl({ version: 3, type: 1, controlConnectionId: 0, ns: 0, nr: 0, hostName: 'a', routerId: 1, assignedControlConnectionId: 77 });
    expect(sent(b.handle({ type: 'received', bytes: rq }, 0)).map((m) => m.typeName)).toEqual(['SCCRP']);
    b.handle({ type: 'received', bytes: encodeControl({ version: 3, type: 3, controlConnectionId: b.localControlConnectionId, ns: 1, nr: 1 }) }, 1);
    expect(b.state).toBe('established');
    const icrq = sent(b.handle({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 7 } }, 2)).find((m) => m.typeName === 'ICRQ');
    expect(icrq?.pseudowireType).toBe(7);
    expect(icrq?.controlConnectionId).toBe(77);
  });
});
