/**
 * Required AVPs (RFC 2661 §6) enforced by the state machines: a message that lacks one is a
 * protocol error (§7.1) — StopCCN for the control connection, CDN for a session's message —
 * with Result Code 2 and General Error 6 and a message naming the AVP, as xl2tpd answers
 * ("Specify framing capability", "Specify your assigned tunnel ID" in the hostile transcript).
 * `lenient` accepts such a message and reports it. Messages are crafted by hand without the AVP.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction } from '../../src/fsm/index.js';
import { scccn, sccrq } from '../../src/wire/builders.js';
import { challengeResponse } from '../../src/wire/challenge.js';
import { encodeControl, parseControl, type ControlMessage } from '../../src/wire/control.js';
import { MessageType } from '../../src/wire/message-catalog.js';
import { establishedPair, seededRandom } from './harness.js';

const sent = (acts: TunnelAction[]): ControlMessage[] => acts.flatMap((a) => (a.type === 'send' && (a.bytes[0]! & 0x80) !== 0 ? [parseControl(a.bytes, { requireAvps: false })] : []));

// After the handshake the LAC has sent Ns 0 (SCCRQ) and 1 (SCCCN), the LNS Ns 0 (SCCRP).
const fromLac = (lns: TunnelFsm, sessionId = 0) => ({ tunnelId: lns.localTunnelId, sessionId, ns: 2, nr: 1 });

describe('a missing required AVP is a protocol error (RFC 2661 §6, §7.1)', () => {
  it('StopCCN without Result Code: StopCCN 2/6 back, naming the AVP; stopped with PROTOCOL', () => {
    const { lns } = establishedPair();
    const acts = lns.handle({ type: 'received', bytes: encodeControl({ ...fromLac(lns), type: MessageType.StopCCN, assignedTunnelId: 9 }) }, 10);
    const stop = sent(acts).find((m) => m.typeName === 'StopCCN')!;
    expect(stop.resultCode).toEqual({ result: 2, error: 6, message: 'StopCCN without the Result Code AVP that RFC 2661 §6.4 requires' });
    expect(acts.find((a) => a.type === 'stopped')).toMatchObject({ by: 'local', error: { code: 'PROTOCOL' } });
    expect(lns.state).toBe('closing');
  });

  it('StopCCN without Assigned Tunnel ID: the same, naming that AVP', () => {
    const { lns } = establishedPair();
    const acts = lns.handle({ type: 'received', bytes: encodeControl({ ...fromLac(lns), type: MessageType.StopCCN, resultCode: { result: 1 } }) }, 10);
    expect(sent(acts).find((m) => m.typeName === 'StopCCN')!.resultCode?.message).toMatch(/StopCCN without the Assigned Tunnel ID AVP/);
  });

  it('ICRQ without Call Serial Number: CDN 2/6 naming it, no session', () => {
    const { lns } = establishedPair();
    const acts = lns.handle({ type: 'received', bytes: encodeControl({ ...fromLac(lns), type: MessageType.ICRQ, assignedSessionId: 55 }) }, 10);
    const cdn = sent(acts).find((m) => m.typeName === 'CDN')!;
    expect(cdn.sessionId).toBe(55);
    expect(cdn.resultCode).toEqual({ result: 2, error: 6, message: 'ICRQ without the Call Serial Number AVP that RFC 2661 §6.6 requires' });
    expect(lns.sessionCount).toBe(0);
    expect(lns.state).toBe('established');
  });

  for (const [missing, fields] of [['(Tx) Connect Speed', { framingType: 1 }], ['Framing Type', { txConnectSpeed: 1 }]] as const) {
    it(`ICCN without ${missing}: CDN 2/6 naming it, session down`, () => {
      const { lac, lns } = establishedPair();
      const icrq = lac.handle({ type: 'openSession', call: { kind: 'incoming' } }, 5).find((a) => a.type === 'send') as { bytes: Uint8Array };
      const icrp = sent(lns.handle({ type: 'received', bytes: icrq.bytes }, 6))[0]!;
      const sid = lns.sessionIds()[0]!;
      const acts = lns.handle({ type: 'received', bytes: encodeControl({ tunnelId: lns.localTunnelId, sessionId: sid, ns: 3, nr: icrp.ns + 1, type: MessageType.ICCN, ...fields }) }, 7);
      expect(acts.find((a) => a.type === 'session-down')).toMatchObject({ sessionId: sid, by: 'local', result: { result: 2, error: 6, message: `ICCN without the ${missing} AVP that RFC 2661 §6.8 requires` } });
      expect(sent(acts).map((m) => m.typeName)).toContain('CDN');
      expect(lns.sessionCount).toBe(0);
    });
  }

  it('CDN without Result Code: the session is cleared with our CDN 2/6 (not taken as the peer’s reason)', () => {
    const { lac, lns } = establishedPair();
    const icrq = lac.handle({ type: 'openSession', call: { kind: 'incoming' } }, 5).find((a) => a.type === 'send') as { bytes: Uint8Array };
    const up = lns.handle({ type: 'received', bytes: icrq.bytes }, 6);
    const sid = lns.sessionIds()[0]!;
    const icrp = sent(up)[0]!;
    const acts = lns.handle({ type: 'received', bytes: encodeControl({ tunnelId: lns.localTunnelId, sessionId: sid, ns: 3, nr: icrp.ns + 1, type: MessageType.CDN, assignedSessionId: 1 }) }, 7);
    expect(acts.find((a) => a.type === 'session-down')).toMatchObject({ by: 'local', result: { result: 2, error: 6, message: expect.stringMatching(/CDN without the Result Code AVP/) } });
    expect(lns.sessionCount).toBe(0);
  });

  it('lenient: the same StopCCN is accepted as the peer’s, and reported as MISSING_AVP', () => {
    const { lns } = establishedPair({ lenient: true });
    const acts = lns.handle({ type: 'received', bytes: encodeControl({ ...fromLac(lns), type: MessageType.StopCCN, assignedTunnelId: 9 }) }, 10);
    expect(acts.find((a) => a.type === 'error')).toMatchObject({ error: { code: 'MISSING_AVP', message: expect.stringMatching(/Result Code/) } });
    expect(acts.find((a) => a.type === 'stopped')).toMatchObject({ by: 'peer' });
    expect(sent(acts).map((m) => (m.isZlb ? 'ZLB' : m.typeName))).toEqual(['ZLB']); // our ack, no StopCCN of ours
  });

  it('lenient: an ICRQ without Call Serial Number gets its ICRP', () => {
    const { lns } = establishedPair({ lenient: true });
    const acts = lns.handle({ type: 'received', bytes: encodeControl({ ...fromLac(lns), type: MessageType.ICRQ, assignedSessionId: 55 }) }, 10);
    expect(sent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
    expect(acts.filter((a) => a.type === 'error')).toHaveLength(1);
  });
});

describe('Challenge Response of the wrong length (RFC 2661 §4.4.3: 16 bytes) → StopCCN result 4', () => {
  it('an SCCCN whose Challenge Response is 15 bytes: StopCCN 4, AUTH_FAILED, not a silent drop', () => {
    const secret = 's3cret';
    const f = new TunnelFsm({ hostName: 'lns', random: seededRandom(5), secret });
    const reply = sent(f.handle({ type: 'received', bytes: sccrq({ hostName: 'lac', assignedTunnelId: 7, challenge: new Uint8Array(16).fill(1) }) }, 0))[0]!;
    const good = challengeResponse(MessageType.SCCCN, secret, reply.challenge!);
    const bytes = encodeControl({ tunnelId: reply.assignedTunnelId, ns: 1, nr: 1, type: MessageType.SCCCN, extraAvps: [{ mandatory: true, type: 13, value: good.subarray(0, 15) }] });
    const acts = f.handle({ type: 'received', bytes }, 10);
    const stop = sent(acts).find((m) => m.typeName === 'StopCCN')!;
    expect(stop.resultCode?.result).toBe(4);
    expect(acts.find((a) => a.type === 'stopped')).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    // The right 16 bytes get in (the same exchange otherwise).
    const ok = new TunnelFsm({ hostName: 'lns', random: seededRandom(5), secret });
    ok.handle({ type: 'received', bytes: sccrq({ hostName: 'lac', assignedTunnelId: 7, challenge: new Uint8Array(16).fill(1) }) }, 0);
    expect(ok.handle({ type: 'received', bytes: scccn({ tunnelId: reply.assignedTunnelId, ns: 1, nr: 1, challengeResponse: good }) }, 10).map((a) => a.type)).toContain('established');
  });
});

describe('HELLO counts received data as activity (RFC 2661 §6.5)', () => {
  it('a data message restarts the idle timer; noteActivity() does the same for a fast path', () => {
    const { lac, lns } = establishedPair({ helloInterval: 10_000 });
    const icrq = lac.handle({ type: 'openSession', call: { kind: 'incoming' } }, 0).find((a) => a.type === 'send') as { bytes: Uint8Array };
    const icrp = lns.handle({ type: 'received', bytes: icrq.bytes }, 0).find((a) => a.type === 'send') as { bytes: Uint8Array };
    const iccn = lac.handle({ type: 'received', bytes: icrp.bytes }, 0).find((a) => a.type === 'send') as { bytes: Uint8Array };
    lns.handle({ type: 'received', bytes: iccn.bytes }, 0);
    const sid = lac.sessionIds()[0]!;
    expect(lns.nextDeadline()).toBeLessThanOrEqual(10_000);
    lns.handle({ type: 'tick' }, 250); // its delayed ack goes out; nothing else pending
    expect(lns.nextDeadline()).toBe(10_000);
    const data = lac.handle({ type: 'sendFrame', sessionId: sid, frame: new Uint8Array([0xff, 3, 0xc0, 0x21]) }, 6000).find((a) => a.type === 'send') as { bytes: Uint8Array };
    expect(lns.handle({ type: 'received', bytes: data.bytes }, 6000).map((a) => a.type)).toEqual(['frame']);
    expect(lns.nextDeadline()).toBe(16_000);
    // Nothing due at the old deadline: no HELLO while data flows.
    expect(sent(lns.handle({ type: 'tick' }, 10_000))).toEqual([]);
    lns.noteActivity(12_000);
    expect(lns.nextDeadline()).toBe(22_000);
    expect(sent(lns.handle({ type: 'tick' }, 22_000)).map((m) => m.typeName)).toEqual(['HELLO']);
    expect(() => lns.noteActivity(Number.NaN)).toThrow(RangeError);
  });
});
