/**
 * RFC 2661 §4.4.3, §4.4.4, §5, §5.3, §5.8, §6.5, §6.12, §7.2.1 rules of the state machines that
 * nothing else tested by name: one `it` per polarity, so docs/compliance.md can point at each.
 * Two TunnelFsms on a virtual clock (test/fsm/harness.ts); expectations are the RFC's.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction } from '../../src/fsm/index.js';
import { icrq, sccrq } from '../../src/wire/builders.js';
import { parseControl, type ControlMessage } from '../../src/wire/control.js';
import { encodeData, parseData } from '../../src/wire/data.js';
import { Pair, seededRandom, type Wire } from '../fsm/harness.js';

function up(a = {}, b = {}): Pair {
  const pair = new Pair(a, b);
  pair.do('a', { type: 'open' });
  pair.run(5_000);
  expect([pair.a.state, pair.b.state]).toEqual(['established', 'established']);
  return pair;
}

/** An established tunnel with one incoming call (a is the LAC of the call). */
function withSession(a = {}, b = {}): { pair: Pair; lac: number; lns: number } {
  const pair = up(a, b);
  pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
  pair.run(pair.now + 2_000);
  const lacUp = pair.actions('a', 'session-up')[0]!;
  const lnsUp = pair.actions('b', 'session-up')[0]!;
  return { pair, lac: lacUp.sessionId, lns: lnsUp.sessionId };
}

const control = (w: Wire): ControlMessage => parseControl(w.bytes, { requireAvps: false });
const sent = (acts: TunnelAction[]): ControlMessage[] =>
  acts.flatMap((x) => (x.type === 'send' && (x.bytes[0]! & 0x80) !== 0 ? [parseControl(x.bytes, { requireAvps: false })] : []));

describe('RFC 2661 §4.4.3 / §5.3 Tunnel ID in the header', () => {
  it('the SCCRQ, sent before any Assigned Tunnel ID arrived, carries Tunnel ID 0', () => {
    const pair = new Pair({}, {});
    pair.do('a', { type: 'open' });
    const [rq] = pair.sent('a', 'SCCRQ');
    expect(control(rq!).tunnelId).toBe(0);
    expect(control(rq!).assignedTunnelId).toBe(pair.a.localTunnelId);
  });

  it('after the peer’s Assigned Tunnel ID, every control and data message carries it', () => {
    const { pair, lac } = withSession();
    pair.do('a', { type: 'sendFrame', sessionId: lac, frame: new Uint8Array([0xff, 0x03]) });
    pair.do('a', { type: 'hello' });
    pair.run(pair.now + 1_000);
    const after = pair.wire.filter((w) => w.from === 'a' && w.typeName !== 'SCCRQ');
    expect(after.map((w) => w.typeName)).toEqual(expect.arrayContaining(['SCCCN', 'ICRQ', 'ICCN', 'DATA', 'HELLO']));
    for (const w of after) {
      const d = w.typeName === 'DATA' ? parseData(w.bytes) : undefined;
      const tid = d === undefined ? control(w).tunnelId : d.version === 2 ? d.tunnelId : -1;
      expect(tid, w.typeName).toBe(pair.b.localTunnelId);
    }
  });
});

describe('RFC 2661 §4.4.3 StopCCN Assigned Tunnel ID', () => {
  it('a StopCCN carries the Assigned Tunnel ID first sent to the peer, also when refusing its SCCRP', () => {
    // Established, then closed.
    const pair = up();
    pair.do('a', { type: 'close' });
    const [stop] = pair.sent('a', 'StopCCN');
    expect(control(stop!).assignedTunnelId).toBe(control(pair.sent('a', 'SCCRQ')[0]!).assignedTunnelId);
    // Refusing an SCCRP (protocol version 2.0): the same ID the SCCRQ assigned.
    const lac = new TunnelFsm({ hostName: 'lac', random: seededRandom(3) });
    const rq = parseControl(sent(lac.handle({ type: 'open' }, 0))[0]!.bytes);
    const lns = new TunnelFsm({ hostName: 'lns', random: seededRandom(4), helloInterval: 0 });
    const rp = sent(lns.handle({ type: 'received', bytes: rq.bytes }, 0)).find((m) => m.typeName === 'SCCRP')!;
    const bad = rp.bytes.slice();
    const pv = rp.avps.find((x) => x.type === 2)!;
    bad[pv.offset + 6] = 2; // Protocol Version 2.0
    const refusal = sent(lac.handle({ type: 'received', bytes: bad }, 10)).find((m) => m.typeName === 'StopCCN')!;
    expect(refusal.assignedTunnelId).toBe(rq.assignedTunnelId);
    expect(refusal.tunnelId).toBe(rp.assignedTunnelId);
  });
});

describe('RFC 2661 §4.4.4 / §5.3 Session ID in the header', () => {
  it('the ICRQ, sent before the peer assigned a Session ID, carries Session ID 0 and our Assigned Session ID', () => {
    const pair = up();
    const acts = pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    const opening = acts.find((x) => x.type === 'session-opening') as Extract<TunnelAction, { type: 'session-opening' }>;
    const rq = control(pair.sent('a', 'ICRQ')[0]!);
    expect([rq.sessionId, rq.assignedSessionId]).toEqual([0, opening.sessionId]);
  });

  it('after the ICRP, the ICCN, data messages and the CDN carry the peer’s Assigned Session ID', () => {
    const { pair, lac, lns } = withSession();
    expect(control(pair.sent('b', 'ICRP')[0]!).assignedSessionId).toBe(lns);
    expect(control(pair.sent('a', 'ICCN')[0]!).sessionId).toBe(lns);
    const [data] = pair.do('a', { type: 'sendFrame', sessionId: lac, frame: new Uint8Array([0xff, 0x03]) });
    expect(parseData((data as { bytes: Uint8Array }).bytes).sessionId).toBe(lns);
    pair.do('a', { type: 'closeSession', sessionId: lac });
    expect(control(pair.sent('a', 'CDN')[0]!).sessionId).toBe(lns);
  });
});

describe('RFC 2661 §6.5 HELLO', () => {
  it('HELLO goes out with Session ID 0 and only the Message Type AVP', () => {
    const pair = up();
    pair.do('b', { type: 'hello' });
    const h = control(pair.sent('b', 'HELLO')[0]!);
    expect([h.sessionId, h.avps.length, h.length]).toEqual([0, 1, 20]);
  });

  it('with HELLO off on both sides, a silent tunnel stays established for 10 minutes', () => {
    const pair = up({ helloInterval: 0 }, { helloInterval: 0 });
    pair.run(pair.now + 600_000);
    expect([pair.a.state, pair.b.state]).toEqual(['established', 'established']);
    expect(pair.actions('a', 'stopped').length + pair.actions('b', 'stopped').length).toBe(0);
  });
});

describe('RFC 2661 §5: calls need a control connection, frames need a session', () => {
  it('an ICRQ before the control connection is established gets a StopCCN, and no session', () => {
    const lns = new TunnelFsm({ hostName: 'lns', random: seededRandom(9) });
    const rp = sent(lns.handle({ type: 'received', bytes: sccrq({ hostName: 'lac', assignedTunnelId: 77 }) }, 0)).find((m) => m.typeName === 'SCCRP')!;
    expect(lns.state).toBe('wait-ctl-conn');
    const acts = lns.handle({ type: 'received', bytes: icrq({ tunnelId: rp.assignedTunnelId!, assignedSessionId: 5, callSerialNumber: 1, ns: 1, nr: 1 }) }, 10);
    const stop = sent(acts).find((m) => m.typeName === 'StopCCN');
    expect(stop?.resultCode?.result).toBe(7); // §4.4.2 StopCCN result 7: FSM error
    expect(acts.some((x) => x.type === 'session-up' || x.type === 'session-opening')).toBe(false);
  });

  it('a data message for a session still waiting for its ICCN is not delivered', () => {
    const pair = up();
    pair.drop = (w) => w.typeName === 'ICCN';
    pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    pair.run(pair.now + 200);
    const rp = control(pair.sent('b', 'ICRP')[0]!);
    expect(pair.b.sessionState(rp.assignedSessionId!)).toBe('wait-connect');
    const bytes = encodeData({ tunnelId: pair.b.localTunnelId, sessionId: rp.assignedSessionId!, payload: new Uint8Array([0xff, 0x03, 0xc0, 0x21]) });
    expect(pair.b.handle({ type: 'received', bytes }, pair.now).filter((x) => x.type === 'frame')).toEqual([]);
  });
});

describe('RFC 2661 §3.1 Nr of data messages', () => {
  it('the Nr of a received data message acknowledges nothing on the control channel', () => {
    const { pair, lac } = withSession({ helloInterval: 0 }, { helloInterval: 0 });
    // a's HELLO goes out with Ns = n and is lost; b then sends a data message claiming Nr = n + 1.
    pair.drop = (w) => w.typeName === 'HELLO';
    pair.do('a', { type: 'hello' });
    const ns = control(pair.sent('a', 'HELLO')[0]!).ns;
    const data = encodeData({ tunnelId: pair.a.localTunnelId, sessionId: lac, payload: new Uint8Array([0xff, 0x03]), ns: 0, nr: (ns + 1) & 0xffff });
    const acts = pair.do('a', { type: 'received', bytes: data });
    // The frame is delivered (Nr is ignored, not an error) ...
    expect(acts.filter((x) => x.type === 'frame')).toHaveLength(1);
    // ... and the HELLO is still retransmitted: the data Nr did not acknowledge it.
    pair.run(pair.now + 1_500);
    expect(pair.sent('a', 'HELLO').length).toBeGreaterThanOrEqual(2);
  });
});

describe('RFC 2661 §7.2.1 protocol version', () => {
  it('an SCCRQ with an earlier Protocol Version (0.1) is refused with StopCCN result 5', () => {
    const lns = new TunnelFsm({ hostName: 'lns', random: seededRandom(2) });
    const acts = lns.handle({ type: 'received', bytes: sccrq({ hostName: 'old', assignedTunnelId: 5, protocolVersion: { version: 0, revision: 1 } }) }, 0);
    const stop = sent(acts).find((m) => m.typeName === 'StopCCN')!;
    expect(stop.resultCode?.result).toBe(5);
    expect(stop.tunnelId).toBe(5);
    expect(acts.some((x) => x.type === 'established')).toBe(false);
  });
});

describe('RFC 2661 §5.8 retries exhausted', () => {
  it('when retransmissions run out, the tunnel and every session in it go down', () => {
    const { pair, lac } = withSession();
    pair.drop = () => true; // the link dies
    pair.do('a', { type: 'hello' });
    pair.run(pair.now + 120_000);
    const stopped = pair.actions('a', 'stopped')[0];
    expect(stopped?.error?.code).toBe('TIMEOUT');
    expect(pair.actions('a', 'session-down').map((d) => d.sessionId)).toEqual([lac]);
    expect(pair.a.state).toBe('closed');
  });
});

describe('RFC 2661 §6.12 / §7.5.1 CDN', () => {
  it('a received CDN ends the session and nothing but an acknowledgement goes back', () => {
    const { pair, lac, lns } = withSession({ sequencer: { ackDelay: 0 } }, { sequencer: { ackDelay: 0 } });
    const before = pair.wire.length;
    pair.do('b', { type: 'closeSession', sessionId: lns, result: { result: 3 } });
    pair.run(pair.now + 2_000);
    expect(pair.actions('a', 'session-down')).toMatchObject([{ sessionId: lac, by: 'peer', result: { result: 3 } }]);
    expect(pair.a.sessionState(lac)).toBeUndefined();
    // From a after the CDN: ZLB acks only (no CDN, no other message about the call).
    expect(pair.wire.slice(before).filter((w) => w.from === 'a').map((w) => w.typeName)).toEqual(['ZLB']);
  });
});

describe('RFC 2661 §7.2.1 local termination', () => {
  it('close() on an established tunnel sends a StopCCN and takes every session down', () => {
    const { pair, lac } = withSession();
    const acts = pair.do('a', { type: 'close', result: { result: 6 } });
    expect(sent(acts).map((m) => m.typeName)).toEqual(['StopCCN']);
    expect(acts.filter((x) => x.type === 'session-down').map((x) => (x as { sessionId: number }).sessionId)).toEqual([lac]);
    expect(pair.a.state).toBe('closing');
  });
});
