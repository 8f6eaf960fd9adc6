/**
 * What makes a peer's message unacceptable, and the StopCCN/CDN it gets (RFC 2661 §4.1, §4.4.2,
 * §5.1.1). Inputs are built by hand (or taken from the hostile xl2tpd transcript); expected
 * result codes are the RFC's.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction } from '../../src/fsm/index.js';
import { hello, icrq, sccrq, scccn } from '../../src/wire/builders.js';
import { challengeResponse } from '../../src/wire/challenge.js';
import { parseControl, type ControlMessage } from '../../src/wire/control.js';
import { loadHostileCases } from '../support/vectors.js';
import { Pair, seededRandom } from './harness.js';

const SECRET = 'l2tp-wire-test-secret';

function lns(opts: Partial<ConstructorParameters<typeof TunnelFsm>[0]> = {}): TunnelFsm {
  return new TunnelFsm({ hostName: 'lns.test', random: seededRandom(5), ...opts });
}

function sentMessages(acts: TunnelAction[]): ControlMessage[] {
  return acts.filter((a) => a.type === 'send').map((a) => parseControl((a as { bytes: Uint8Array }).bytes, { requireAvps: false }));
}

function stopOf(acts: TunnelAction[]): ControlMessage | undefined {
  return sentMessages(acts).find((m) => m.typeName === 'StopCCN');
}

const base = { hostName: 'peer', assignedTunnelId: 777 } as const;
const unknownM = { mandatory: true, vendorId: 0, type: 99, value: new Uint8Array([1, 2, 3, 4]) };

describe('unknown AVPs (RFC 2661 §4.1)', () => {
  it('an unknown AVP with M=1 in SCCRQ: StopCCN result 2, error 8, to the peer’s Tunnel ID', () => {
    const f = lns();
    const acts = f.handle({ type: 'received', bytes: sccrq({ ...base, extraAvps: [unknownM] }) }, 0);
    const stop = stopOf(acts)!;
    expect(stop.resultCode).toMatchObject({ result: 2, error: 8 });
    expect(stop.tunnelId).toBe(777);
    expect(stop.assignedTunnelId).toBe(f.localTunnelId);
    expect(stop.nr).toBe(1); // it acks the SCCRQ
    expect(f.state).toBe('closing');
    expect(acts.find((a) => a.type === 'stopped')).toMatchObject({ by: 'local', result: { result: 2, error: 8 } });
  });

  it('the same AVP with M=0 is ignored: SCCRP', () => {
    const f = lns();
    const acts = f.handle({ type: 'received', bytes: sccrq({ ...base, extraAvps: [{ ...unknownM, mandatory: false }] }) }, 0);
    expect(sentMessages(acts).map((m) => m.typeName)).toEqual(['SCCRP']);
    expect(f.state).toBe('wait-ctl-conn');
  });

  it('a vendor AVP with M=1, and an M=1 AVP with reserved bits set, are unrecognised too', () => {
    const vendor = lns().handle({ type: 'received', bytes: sccrq({ ...base, extraAvps: [{ ...unknownM, vendorId: 9 }] }) }, 0);
    expect(stopOf(vendor)!.resultCode).toMatchObject({ result: 2, error: 8 });
    const reserved = lns().handle({ type: 'received', bytes: sccrq({ ...base, extraAvps: [{ mandatory: true, reserved: 1, type: 8, value: new Uint8Array([65]) }] }) }, 0);
    expect(stopOf(reserved)!.resultCode).toMatchObject({ result: 2, error: 8 });
  });

  it('xl2tpd’s hostile SCCRQs (real bytes) get the RFC’s answers from our responder', () => {
    const cases = new Map(loadHostileCases().map((c) => [c.title, c]));
    const answer = (title: string) => {
      const c = cases.get(title);
      expect(c, title).toBeDefined();
      return sentMessages(lns().handle({ type: 'received', bytes: c!.sent[0]! }, 0));
    };
    expect(answer('baseline: well-formed SCCRQ').map((m) => m.typeName)).toEqual(['SCCRP']);
    expect(answer('unknown mandatory AVP type 99 (M=1)').find((m) => m.typeName === 'StopCCN')!.resultCode).toMatchObject({ result: 2, error: 8 });
    expect(answer('unknown NON-mandatory AVP type 99 (M=0)').map((m) => m.typeName)).toEqual(['SCCRP']);
    expect(answer('unknown mandatory vendor AVP (vendor 9, type 99, M=1)').find((m) => m.typeName === 'StopCCN')!.resultCode).toMatchObject({ result: 2, error: 8 });
    // xl2tpd ignores the version; RFC 2661 §4.4.2 says result 5, the Error Code naming 1.0.
    expect(answer('Protocol Version AVP = 2.0 (value 0x0200)').find((m) => m.typeName === 'StopCCN')!.resultCode).toMatchObject({ result: 5, error: 0x0100 });
    expect(answer('SCCRQ without Framing Capabilities').find((m) => m.typeName === 'StopCCN')!.resultCode).toMatchObject({ result: 2 });
    // No Assigned Tunnel ID: nobody to address a StopCCN to; nothing sent.
    expect(answer('SCCRQ without Assigned Tunnel ID')).toEqual([]);
  });

  it('an unknown M=1 AVP in an ICRQ refuses the call with CDN 2/8; the tunnel stays up', () => {
    const pair = new Pair({}, {});
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    // Hand-made ICRQ from a to b, sequenced by hand: a's next Ns is 2 (SCCRQ 0, SCCCN 1).
    const bytes = icrq({ tunnelId: pair.b.localTunnelId, assignedSessionId: 99, callSerialNumber: 1, extraAvps: [unknownM], ns: 2, nr: 1 });
    const acts = pair.b.handle({ type: 'received', bytes }, pair.now);
    const c = sentMessages(acts).find((m) => m.typeName === 'CDN')!;
    expect(c.resultCode).toMatchObject({ result: 2, error: 8 });
    expect(c.sessionId).toBe(99);
    expect(pair.b.state).toBe('established');
    expect(pair.b.sessionCount).toBe(0);
  });

  it('an unknown M=1 AVP in a HELLO tears the tunnel down (StopCCN 2/8)', () => {
    const pair = new Pair({}, {});
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    const acts = pair.b.handle({ type: 'received', bytes: hello({ tunnelId: pair.b.localTunnelId, ns: 2, nr: 1, extraAvps: [unknownM] }) }, pair.now);
    expect(stopOf(acts)!.resultCode).toMatchObject({ result: 2, error: 8 });
  });

  it('an unknown message type: ignored with M=0, tears down with M=1 (§4.4.1)', () => {
    const pair = new Pair({}, {});
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    const msg = (m: boolean, ns: number) => {
      const b = hello({ tunnelId: pair.b.localTunnelId, ns, nr: 1 });
      b[12] = m ? 0x80 : 0x00; // Message Type AVP flags
      b[19] = 99; // message type 99
      return b;
    };
    expect(stopOf(pair.b.handle({ type: 'received', bytes: msg(false, 2) }, pair.now))).toBeUndefined();
    expect(pair.b.state).toBe('established');
    expect(stopOf(pair.b.handle({ type: 'received', bytes: msg(true, 3) }, pair.now))).toBeDefined();
    expect(pair.b.state).toBe('closing');
  });

  it('Message Type 20 (ACK in L2TPv3, RFC 3931 §6.15) is unknown in L2TPv2: with M=1 it tears down (§4.4.1), it is not an ack', () => {
    const pair = new Pair({}, {});
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    const b = hello({ tunnelId: pair.b.localTunnelId, ns: 2, nr: 1 });
    b[19] = 20; // Message Type AVP value (M=1 as HELLO's is)
    expect(stopOf(pair.b.handle({ type: 'received', bytes: b }, pair.now))).toBeDefined();
    expect(pair.b.state).toBe('closing');
  });
});

describe('protocol version (RFC 2661 §4.4.3)', () => {
  it('an SCCRQ for version 2.0 is refused: StopCCN result 5', () => {
    const f = lns();
    const acts = f.handle({ type: 'received', bytes: sccrq({ ...base, protocolVersion: { version: 2, revision: 0 } }) }, 0);
    expect(stopOf(acts)!.resultCode).toMatchObject({ result: 5, error: 0x0100 });
    expect(acts.find((a) => a.type === 'stopped')).toMatchObject({ by: 'local', result: { result: 5 } });
  });
});

describe('tunnel authentication (RFC 2661 §4.2, §5.1.1)', () => {
  it('different secrets: the initiator finds the SCCRP’s Challenge Response wrong → StopCCN 4', () => {
    const pair = new Pair({ secret: 'secret-A' }, { secret: 'secret-B' });
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    const stop = parseControl(pair.sent('a', 'StopCCN')[0]!.bytes);
    expect(stop.resultCode).toMatchObject({ result: 4 });
    expect(pair.actions('a', 'stopped')[0]!.error?.code).toBe('AUTH_FAILED');
    expect(pair.actions('a', 'established')).toEqual([]);
    expect(pair.actions('b', 'stopped')[0]).toMatchObject({ by: 'peer', result: { result: 4 } });
  });

  it('the responder checks the SCCCN: a wrong or missing Challenge Response → StopCCN 4', () => {
    for (const response of [new Uint8Array(16).fill(7), undefined]) {
      const f = lns({ secret: SECRET });
      const [rp] = sentMessages(f.handle({ type: 'received', bytes: sccrq({ ...base }) }, 0));
      expect(rp!.challenge).toHaveLength(16);
      const acts = f.handle({ type: 'received', bytes: scccn({ tunnelId: f.localTunnelId, ns: 1, nr: 1, challengeResponse: response }) }, 10);
      expect(stopOf(acts)!.resultCode).toMatchObject({ result: 4 });
      expect(f.state).toBe('closing');
    }
  });

  it('the responder accepts the right SCCCN response (MD5(3 | secret | challenge))', () => {
    const f = lns({ secret: SECRET });
    const [rp] = sentMessages(f.handle({ type: 'received', bytes: sccrq({ ...base, challenge: new Uint8Array([1, 2, 3]) }) }, 0));
    expect(rp!.challengeResponse).toEqual(challengeResponse(2, SECRET, new Uint8Array([1, 2, 3])));
    const acts = f.handle({ type: 'received', bytes: scccn({ tunnelId: f.localTunnelId, ns: 1, nr: 1, challengeResponse: challengeResponse(3, SECRET, rp!.challenge!) }) }, 10);
    expect(acts.find((a) => a.type === 'established')).toMatchObject({ peer: { authenticated: true, challenged: true } });
  });

  it('the initiator has a secret but the SCCRP carries no response → StopCCN 4', () => {
    const pair = new Pair({ secret: SECRET }, {});
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    // b (no secret) refuses the challenge itself with StopCCN 4; a never gets an SCCRP.
    expect(parseControl(pair.sent('b', 'StopCCN')[0]!.bytes).resultCode).toMatchObject({ result: 4 });
    expect(pair.actions('a', 'stopped')[0]).toMatchObject({ by: 'peer', result: { result: 4 } });
  });

  it('the responder challenges, the initiator has no secret → the initiator refuses with StopCCN 4', () => {
    const pair = new Pair({}, { secret: SECRET });
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    expect(parseControl(pair.sent('a', 'StopCCN')[0]!.bytes).resultCode).toMatchObject({ result: 4 });
  });
});

describe('messages out of state (RFC 2661 §7.2.1)', () => {
  it('an SCCCN to an established tunnel: StopCCN result 7 (FSM error)', () => {
    const pair = new Pair({}, {});
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    const acts = pair.b.handle({ type: 'received', bytes: scccn({ tunnelId: pair.b.localTunnelId, ns: 2, nr: 1 }) }, pair.now);
    expect(stopOf(acts)!.resultCode).toMatchObject({ result: 7 });
  });

  it('a control message before any SCCRQ is an error action, not a throw, and the FSM stays idle', () => {
    const f = lns();
    const acts = f.handle({ type: 'received', bytes: hello({ tunnelId: f.localTunnelId }) }, 0);
    expect(acts.map((a) => a.type)).toEqual(['error']);
    expect(f.state).toBe('idle');
  });

  it('a malformed message in an established tunnel: StopCCN result 2 with a general error code', () => {
    const pair = new Pair({}, {});
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    const b = hello({ tunnelId: pair.b.localTunnelId, ns: 2, nr: 1 });
    const bad = new Uint8Array(b.length + 6);
    bad.set(b);
    bad.set([0x80, 0x14, 0, 0, 0, 8], b.length); // an AVP claiming 20 bytes in 6
    bad[3] = bad.length;
    const acts = pair.b.handle({ type: 'received', bytes: bad }, pair.now);
    expect(stopOf(acts)!.resultCode).toMatchObject({ result: 2, error: 2 });
    expect(acts.find((a) => a.type === 'stopped')).toMatchObject({ error: { code: 'BAD_AVP_LENGTH' } });
  });
});
