/**
 * The receive path's edges for whole messages (src/fsm/receive.ts): data messages and the HELLO
 * timer, SCCRQ/SCCRP without Protocol Version or inside an established control connection, and
 * the peer's StopCCN. Inputs are built by hand; expected results are the RFC's (RFC 2661 §4.4.2,
 * §5.3, §5.7, §6.1, §6.2, §6.5, §7.2.1).
 */
import { describe, expect, it } from 'vitest';
import type { TunnelFsm } from '../../src/fsm/index.js';
import { sccrp, sccrq } from '../../src/wire/builders.js';
import { encodeControl, parseControl } from '../../src/wire/control.js';
import { L2tpError } from '../../src/wire/errors.js';
import { MessageType } from '../../src/wire/message-catalog.js';
import { establishedPair } from './harness.js';
import { errors, fromLac, fsm, sent, stoppedOf } from './receive-support.js';

describe('data messages (RFC 2661 §5.3) and the HELLO timer (§6.5)', () => {
  const data = (tunnelId: number, sessionId = 5) => Uint8Array.of(0x00, 0x02, tunnelId >> 8, tunnelId & 0xff, sessionId >> 8, sessionId & 0xff, 0xff, 0x03);
  const broken = Uint8Array.of(0x40, 0x02, 0x00, 0x99, 0x00, 0x01);
  /** Established, every handshake ack sent: the next deadline is the HELLO one. */
  function quiet(): TunnelFsm {
    const { lns } = establishedPair();
    for (let d = lns.nextDeadline(); d !== undefined && d < 1000; d = lns.nextDeadline()) lns.handle({ type: 'tick' }, d);
    expect(lns.nextDeadline()).toBe(60_000);
    return lns;
  }

  it('a data message that does not parse, established: an error action, the tunnel stays up', () => {
    const lns = quiet();
    const acts = lns.handle({ type: 'received', bytes: broken }, 10);
    expect(acts.map((a) => a.type)).toEqual(['error']);
    expect(errors(acts)[0]).toBeInstanceOf(L2tpError);
    expect(errors(acts)[0]!.code).toBe('BAD_LENGTH');
    expect(lns.state).toBe('established');
  });

  it('a data message that does not parse, before the tunnel is up: dropped without a word', () => {
    expect(fsm().handle({ type: 'received', bytes: broken }, 0)).toEqual([]);
  });

  it('data for our tunnel with no session table yet: nothing to deliver, but it counts as hearing from the peer (HELLO due 60 s later)', () => {
    const lns = quiet();
    expect(lns.handle({ type: 'received', bytes: data(lns.localTunnelId) }, 30_000)).toEqual([]);
    expect(lns.nextDeadline()).toBe(90_000);
  });

  it('data for another tunnel: dropped, and not counted as hearing from the peer', () => {
    const lns = quiet();
    expect(lns.handle({ type: 'received', bytes: data(lns.localTunnelId ^ 1) }, 30_000)).toEqual([]);
    expect(lns.nextDeadline()).toBe(60_000);
  });
});

describe('SCCRQ/SCCRP without Protocol Version: StopCCN result 5 with the highest version we speak (RFC 2661 §4.4.2, §6.1, §6.2)', () => {
  it('SCCRQ', () => {
    const f = fsm();
    const rq = encodeControl({ type: MessageType.SCCRQ, tunnelId: 0, hostName: 'lac', assignedTunnelId: 77, framingCapabilities: 3 });
    expect(parseControl(rq, { requireAvps: false }).protocolVersion).toBeUndefined();
    const acts = f.handle({ type: 'received', bytes: rq }, 0);
    expect(sent(acts).find((m) => m.typeName === 'StopCCN')?.resultCode).toMatchObject({ result: 5, error: 0x0100 });
  });

  it('SCCRP', () => {
    const f = fsm({ localTunnelId: 0x1234 });
    f.handle({ type: 'open' }, 0);
    const rp = encodeControl({ type: MessageType.SCCRP, tunnelId: 0x1234, ns: 0, nr: 1, hostName: 'lns', assignedTunnelId: 99, framingCapabilities: 3 });
    const acts = f.handle({ type: 'received', bytes: rp }, 5);
    expect(sent(acts).find((m) => m.typeName === 'StopCCN')?.resultCode).toMatchObject({ result: 5, error: 0x0100 });
  });
});

describe('SCCRQ/SCCRP inside an established control connection: StopCCN result 7, FSM error (RFC 2661 §4.4.2, §7.2.1)', () => {
  for (const [name, bytes] of [
    ['SCCRQ', (lns: TunnelFsm) => sccrq({ ...fromLac(lns), hostName: 'lac', assignedTunnelId: 77 })],
    ['SCCRP', (lns: TunnelFsm) => sccrp({ ...fromLac(lns), hostName: 'lac', assignedTunnelId: 77 })],
  ] as const) {
    it(name, () => {
      const { lns } = establishedPair();
      const acts = lns.handle({ type: 'received', bytes: bytes(lns) }, 10);
      expect(sent(acts).find((m) => m.typeName === 'StopCCN')?.resultCode).toEqual({ result: 7, error: 0, message: `unexpected ${name} in state established` });
      expect(lns.state).toBe('closing');
    });
  }
});

describe('the peer’s StopCCN (RFC 2661 §5.7): acked, reported with its Result Code', () => {
  const stop = (lns: TunnelFsm, resultCode: { result: number; error?: number; message?: string } | undefined, assignedTunnelId = 9): Uint8Array =>
    encodeControl({ ...fromLac(lns), type: MessageType.StopCCN, assignedTunnelId, ...(resultCode ? { resultCode } : {}) });
  const cases: [string, { result: number; error?: number; message?: string } | undefined, string][] = [
    ['result, error and message', { result: 2, error: 6, message: 'refused' }, 'peer sent StopCCN (result 2, error 6: refused)'],
    ['result and error', { result: 2, error: 6 }, 'peer sent StopCCN (result 2, error 6)'],
    ['result only', { result: 1 }, 'peer sent StopCCN (result 1)'],
    ['no Result Code (accepted: lenient)', undefined, 'peer sent StopCCN'],
  ];
  for (const [what, resultCode, message] of cases) {
    it(`${what}: stopped by the peer, PEER_STOPPED “${message}”`, () => {
      const { lns } = establishedPair({ lenient: true });
      const acts = lns.handle({ type: 'received', bytes: stop(lns, resultCode) }, 10);
      const s = stoppedOf(acts);
      expect(s?.by).toBe('peer');
      expect([s?.error?.code, s?.error?.message]).toEqual(['PEER_STOPPED', message]);
      expect(lns.state).toBe('closing');
    });
  }

  it('the ZLB ack goes to the peer’s Tunnel ID from the handshake, not to a different Assigned Tunnel ID in the StopCCN', () => {
    const { lac, lns } = establishedPair();
    const acts = lns.handle({ type: 'received', bytes: stop(lns, { result: 1 }, lac.localTunnelId ^ 1) }, 10);
    expect(sent(acts).map((m) => [m.typeName, m.tunnelId, m.nr])).toEqual([['ZLB', lac.localTunnelId, 3]]);
  });

  it('waiting for SCCRP (peer Tunnel ID unknown), a StopCCN to Tunnel ID 0 without Assigned Tunnel ID (lenient): acked to Tunnel ID 0', () => {
    const f = fsm({ localTunnelId: 0x1234, lenient: true });
    f.handle({ type: 'open' }, 0);
    const acts = f.handle({ type: 'received', bytes: encodeControl({ type: MessageType.StopCCN, tunnelId: 0, ns: 0, nr: 1, resultCode: { result: 2, error: 6 } }) }, 5);
    expect(stoppedOf(acts)?.by).toBe('peer');
    expect(sent(acts).map((m) => [m.typeName, m.tunnelId, m.nr])).toEqual([['ZLB', 0, 1]]);
    expect(f.peerTunnelId).toBe(0); // still unknown
  });

  it('peerStopLinger 0: a StopCCN delivered ahead of buffered later messages closes at once; those messages are not acted on', () => {
    const { lns } = establishedPair({ lenient: true, peerStopLinger: 0 });
    // An ICRQ without Call Serial Number (Ns 3) arrives first and waits for Ns 2, the StopCCN.
    const icrq = encodeControl({ tunnelId: lns.localTunnelId, ns: 3, nr: 1, type: MessageType.ICRQ, assignedSessionId: 55 });
    expect(lns.handle({ type: 'received', bytes: icrq }, 10).filter((a) => a.type !== 'send')).toEqual([]);
    const acts = lns.handle({ type: 'received', bytes: stop(lns, { result: 1 }) }, 11);
    expect(acts.map((a) => a.type)).toEqual(['send', 'stopped', 'closed']);
    expect(lns.state).toBe('closed');
  });
});
