/**
 * The edges of a TunnelFsm's receive path (src/fsm/receive.ts): messages too short to read,
 * the wrong L2TP version, messages addressed to another tunnel, messages that do not parse
 * (RFC 2661 §4.4.2 General Error Codes in the StopCCN). Data messages and start/stop messages in
 * the wrong place are in receive-edges-messages.test.ts. Inputs are built by hand; expected results
 * are the RFC's (RFC 2661 §3.1, §4.4.2, §7.1; RFC 3931 §3.2.1).
 */
import { describe, expect, it } from 'vitest';
import type { TunnelAction, TunnelFsm, TunnelOptions } from '../../src/fsm/index.js';
import { hello, sccrp, sccrq, stopccn } from '../../src/wire/builders.js';
import { encodeControl } from '../../src/wire/control.js';
import { L2tpError } from '../../src/wire/errors.js';
import { MessageType } from '../../src/wire/message-catalog.js';
import { establishedPair } from './harness.js';
import { errors, fromLac, fsm, sent, stoppedOf } from './receive-support.js';

const mt = (type: number) => ({ mandatory: true, vendorId: 0, type: 0, value: Uint8Array.of(0, type) });
const put16 = (b: Uint8Array, at: number, v: number): void => {
  b[at] = v >> 8;
  b[at + 1] = v & 0xff;
};

describe('messages too short for a flags word (RFC 2661 §3.1)', () => {
  // Zero bytes: even the T bit is missing, so this is not a data message either.
  for (const n of [0, 1]) {
    it(`${n} byte(s): one TRUNCATED error naming the 2-byte flags word, nothing else`, () => {
      const acts = fsm().handle({ type: 'received', bytes: new Uint8Array(n) }, 0);
      expect(acts).toHaveLength(1);
      expect(acts[0]!.type).toBe('error');
      const [e] = errors(acts);
      expect([e!.code, e!.message, e!.offset]).toEqual(['TRUNCATED', `message shorter than the 2-byte flags word (at byte ${n})`, n]);
    });
  }

  it('2 bytes with T=0 (a data message) to an idle tunnel: dropped without a word (no tunnel for data yet)', () => {
    expect(fsm().handle({ type: 'received', bytes: Uint8Array.of(0x00, 0x02) }, 0)).toEqual([]);
  });
});

describe('a control message of the other L2TP version (RFC 2661 §3.1 Ver, RFC 3931 §3.2.1)', () => {
  it('v3 to an L2TPv2 state machine: BAD_VERSION, saying which', () => {
    const v3 = encodeControl({ version: 3, type: MessageType.SCCRQ, hostName: 'a', routerId: 1, assignedControlConnectionId: 5 });
    const f = fsm();
    const acts = f.handle({ type: 'received', bytes: v3 }, 0);
    expect(errors(acts).map((e) => [e.code, e.message])).toEqual([['BAD_VERSION', 'an L2TPv3 control message: this state machine speaks L2TPv2 (RFC 2661)']]);
    expect(acts).toHaveLength(1);
    expect(f.state).toBe('idle');
  });

  it('v2 to an L2TPv3 state machine: BAD_VERSION, saying which', () => {
    const f = fsm({ version: 3 });
    const acts = f.handle({ type: 'received', bytes: sccrq({ hostName: 'a', assignedTunnelId: 5 }) }, 0);
    expect(errors(acts).map((e) => [e.code, e.message])).toEqual([['BAD_VERSION', 'an L2TPv2 control message: this state machine speaks L2TPv3 (RFC 3931)']]);
    expect(acts).toHaveLength(1);
  });
});

describe('which tunnel a control message is for (RFC 2661 §3.1 Tunnel ID: the recipient’s)', () => {
  const refusal = (tunnelId: number) => stopccn({ tunnelId, assignedTunnelId: 0x3e8e, resultCode: { result: 2, error: 6, message: 'refused' } });
  const waiting = (): TunnelFsm => {
    const f = fsm({ localTunnelId: 0x1234 });
    f.handle({ type: 'open' }, 0);
    return f;
  };

  it('an idle responder answers an SCCRQ (Tunnel ID 0) with an SCCRP', () => {
    const f = fsm();
    const acts = f.handle({ type: 'received', bytes: sccrq({ hostName: 'lac', assignedTunnelId: 77 }) }, 0);
    expect(sent(acts).map((m) => [m.typeName, m.tunnelId, m.nr])).toEqual([['SCCRP', 77, 1]]);
    expect([f.state, f.role]).toEqual(['wait-ctl-conn', 'responder']);
  });

  it('an SCCRQ addressed to a non-zero Tunnel ID that is not ours starts nothing', () => {
    const f = fsm({ localTunnelId: 0x1234 });
    expect(f.handle({ type: 'received', bytes: sccrq({ hostName: 'lac', assignedTunnelId: 77, tunnelId: 0x4321 }) }, 0)).toEqual([]);
    expect([f.state, f.role]).toEqual(['idle', undefined]);
  });

  it('a HELLO to our Tunnel ID before any control connection exists: PROTOCOL error, nothing sent', () => {
    const f = fsm({ localTunnelId: 0x1234 });
    const acts = f.handle({ type: 'received', bytes: hello({ tunnelId: 0x1234 }) }, 0);
    expect(errors(acts).map((e) => [e.code, e.message])).toEqual([['PROTOCOL', 'HELLO before any control connection exists (RFC 2661 §7.2.1: only SCCRQ starts one)']]);
    expect(acts).toHaveLength(1);
    expect(f.state).toBe('idle');
  });

  for (const tunnelId of [0, 0xffff]) {
    it(`waiting for SCCRP, a StopCCN to Tunnel ID ${tunnelId} (a peer that could not read ours) stops the tunnel with the peer’s result`, () => {
      const f = waiting();
      const acts = f.handle({ type: 'received', bytes: refusal(tunnelId) }, 5);
      expect(stoppedOf(acts)).toMatchObject({ by: 'peer', result: { result: 2, error: 6, message: 'refused' } });
      expect(f.state).not.toBe('wait-ctl-reply');
    });
  }

  it('waiting for SCCRP, a StopCCN to another non-zero Tunnel ID is not ours: ignored', () => {
    const f = waiting();
    const acts = f.handle({ type: 'received', bytes: refusal(0x4321) }, 5);
    expect(acts).toEqual([]);
    expect(f.state).toBe('wait-ctl-reply');
  });

  it('waiting for SCCRP, an SCCRP to Tunnel ID 65535 is not ours: ignored', () => {
    const f = waiting();
    const acts = f.handle({ type: 'received', bytes: sccrp({ tunnelId: 0xffff, hostName: 'lns', assignedTunnelId: 99 }) }, 5);
    expect(acts).toEqual([]);
    expect(f.state).toBe('wait-ctl-reply');
  });

  for (const tunnelId of [0, 0xffff, 'another']) {
    it(`established: a StopCCN to Tunnel ID ${tunnelId} is not ours: the tunnel stays up, nothing sent`, () => {
      const { lns } = establishedPair();
      const to = typeof tunnelId === 'number' ? tunnelId : lns.localTunnelId ^ 1;
      const acts = lns.handle({ type: 'received', bytes: stopccn({ ...fromLac(lns), tunnelId: to, assignedTunnelId: 9, resultCode: { result: 1 } }) }, 10);
      expect(acts).toEqual([]);
      expect(lns.state).toBe('established');
    });
  }

  it('a retransmitted SCCRQ (our SCCRP lost) in wait-ctl-conn is a duplicate: acked, the connection kept', () => {
    const f = fsm();
    const rq = sccrq({ hostName: 'lac', assignedTunnelId: 77, tieBreaker: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) });
    f.handle({ type: 'received', bytes: rq }, 0);
    const acts = f.handle({ type: 'received', bytes: rq }, 1000);
    expect(stoppedOf(acts)).toBeUndefined();
    expect(f.state).toBe('wait-ctl-conn');
    // §5.8: a duplicate is acknowledged again (a ZLB: nothing else is queued) and not processed.
    expect(sent(acts).map((m) => [m.typeName, m.tunnelId, m.ns, m.nr])).toEqual([['ZLB', 77, 1, 1]]);
  });
});

/** A HELLO from the LAC to `lns`, with an unknown M=0 AVP after Message Type whose last bytes are non-zero. */
function helloBytes(lns: TunnelFsm, nr = 1): Uint8Array {
  return encodeControl({ ...fromLac(lns), nr, avps: [mt(MessageType.HELLO), { mandatory: false, vendorId: 0, type: 99, value: Uint8Array.of(0xab, 0xcd, 0xef, 0x12) }] }).slice();
}

describe('a message in our control connection that does not parse: StopCCN 2 with the General Error Code (RFC 2661 §4.4.2)', () => {
  const cases: [string, (b: Uint8Array) => Uint8Array, number, string][] = [
    ['Length beyond the datagram', (b) => (put16(b, 2, b.length + 10), b), 2, 'BAD_LENGTH'],
    ['an AVP Length under 6', (b) => (put16(b, 20, 0x0003), b), 2, 'BAD_AVP_LENGTH'],
    ['3 stray bytes after the last AVP', (b) => { const c = new Uint8Array(b.length + 3); c.set(b); put16(c, 2, c.length); return c; }, 2, 'TRUNCATED'],
    ['the O bit set', (b) => ((b[0] = 0xca), b), 3, 'BAD_FLAGS'],
    ['a known AVP of the wrong size', (b) => { const c = encodeControl({ tunnelId: 0, ns: 2, nr: 1, avps: [mt(MessageType.HELLO), { mandatory: true, vendorId: 0, type: 10, value: Uint8Array.of(4) }] }).slice(); c.set(b.subarray(4, 6), 4); return c; }, 3, 'BAD_AVP_VALUE'],
    ['Message Type not first', (b) => { const c = encodeControl({ tunnelId: 0, ns: 2, nr: 1, avps: [{ mandatory: false, vendorId: 0, type: 99, value: Uint8Array.of(1, 2) }, mt(MessageType.HELLO)] }).slice(); c.set(b.subarray(4, 6), 4); return c; }, 6, 'MESSAGE_TYPE_NOT_FIRST'],
  ];
  for (const [what, corrupt, generalError, code] of cases) {
    it(`${what}: StopCCN result 2, error ${generalError}; stopped with ${code}`, () => {
      const { lns } = establishedPair();
      const acts = lns.handle({ type: 'received', bytes: corrupt(helloBytes(lns)) }, 10);
      const stop = sent(acts).find((m) => m.typeName === 'StopCCN');
      expect(stop?.resultCode).toMatchObject({ result: 2, error: generalError });
      expect(stoppedOf(acts)?.error?.code).toBe(code);
      expect(lns.state).toBe('closing');
    });
  }

  it('addressed to another tunnel: only an error action; our tunnel stays up', () => {
    const { lns } = establishedPair();
    const b = helloBytes(lns);
    put16(b, 4, lns.localTunnelId ^ 1);
    put16(b, 20, 3);
    const acts = lns.handle({ type: 'received', bytes: b }, 10);
    expect(acts.map((a) => a.type)).toEqual(['error']);
    expect(errors(acts)[0]!.code).toBe('BAD_AVP_LENGTH');
    expect(lns.state).toBe('established');
  });
});

describe('a Challenge Response of the wrong length is a failed authentication (RFC 2661 §4.4.3, §5.1.1)', () => {
  const SECRET = 'edge secret';
  /** An LNS with a secret that answered a LAC’s SCCRQ (so it challenged back) and waits for SCCCN. */
  function waitingForScccn(): TunnelFsm {
    const lac = fsm({ secret: SECRET, hostName: 'lac' });
    const rq = lac.handle({ type: 'open' }, 0).find((a) => a.type === 'send') as { bytes: Uint8Array };
    const lns = fsm({ secret: SECRET, hostName: 'lns' });
    lns.handle({ type: 'received', bytes: rq.bytes }, 0);
    expect(lns.state).toBe('wait-ctl-conn');
    return lns;
  }
  /** SCCCN with an unknown M=0 AVP (non-zero bytes) right before a Challenge Response of `n` bytes. */
  const scccnWith = (lns: TunnelFsm, n: number): Uint8Array =>
    encodeControl({ tunnelId: lns.localTunnelId, ns: 1, nr: 1, avps: [mt(MessageType.SCCCN), { mandatory: false, vendorId: 0, type: 99, value: Uint8Array.of(0xab, 0xcd, 0xef, 0x12) }, { mandatory: true, vendorId: 0, type: 13, value: new Uint8Array(n).fill(7) }] }).slice();

  for (const n of [15, 0]) {
    it(`${n} bytes${n === 0 ? ' (an empty AVP, last in the message)' : ''}: StopCCN result 4 (not authorized); stopped with AUTH_FAILED caused by the parse error`, () => {
      const lns = waitingForScccn();
      const acts = lns.handle({ type: 'received', bytes: scccnWith(lns, n) }, 10);
      const stop = sent(acts).find((m) => m.typeName === 'StopCCN');
      expect(stop?.resultCode).toMatchObject({ result: 4, error: 0 });
      expect(stop?.resultCode?.message).toContain(`Challenge Response AVP value is ${n} bytes`);
      const e = stoppedOf(acts)?.error;
      expect(e?.code).toBe('AUTH_FAILED');
      expect((e?.cause as L2tpError | undefined)?.code).toBe('BAD_AVP_VALUE');
      expect(e?.message).toContain(`Challenge Response AVP value is ${n} bytes`);
    });
  }

  it('a Challenge Response whose AVP Length is under 6 is a length error, not an authentication failure: StopCCN 2/2', () => {
    const lns = waitingForScccn();
    const b = scccnWith(lns, 16);
    put16(b, 12 + 8 + 10, 0x8000 | 5); // M bit, Length 5 on the Challenge Response AVP
    const acts = lns.handle({ type: 'received', bytes: b }, 10);
    expect(sent(acts).find((m) => m.typeName === 'StopCCN')?.resultCode).toMatchObject({ result: 2, error: 2 });
    expect(stoppedOf(acts)?.error?.code).toBe('BAD_AVP_LENGTH');
  });
});

describe('which tunnel a message that does not parse belongs to (its header’s Tunnel ID / Control Connection ID)', () => {
  const ours = (acts: TunnelAction[]) => stoppedOf(acts) !== undefined;
  const v2 = (...b: number[]) => Uint8Array.of(0xc8, 0x02, 0x00, b.length + 4, ...b);
  const v3 = (...b: number[]) => Uint8Array.of(0xc8, 0x03, 0x00, b.length + 4, ...b);
  const cases: [string, Partial<TunnelOptions>, Uint8Array, boolean][] = [
    ['v2, 6 bytes: Tunnel ID 0x0100 read', { localTunnelId: 0x0100 }, v2(0x01, 0x00), true],
    ['v2, 5 bytes: no whole Tunnel ID', { localTunnelId: 0x0100 }, v2(0x01), false],
    ['v2, 4 bytes, our Tunnel ID 1: no Tunnel ID at all', { localTunnelId: 1 }, v2(), false],
    ['v3, 8 bytes: Control Connection ID 0x00010000 read (32 bits)', { version: 3, localTunnelId: 0x10000 }, v3(0x00, 0x01, 0x00, 0x00), true],
    ['v3, 6 bytes: half a Control Connection ID', { version: 3, localTunnelId: 0x10000 }, v3(0x00, 0x01), false],
    ['v3, 7 bytes, our ID 1: no whole Control Connection ID', { version: 3, localTunnelId: 1 }, v3(0x00, 0x00, 0x00), false],
  ];
  for (const [what, o, bytes, isOurs] of cases) {
    it(`established, ${what}: ${isOurs ? 'ours, torn down (StopCCN 2/2)' : 'not ours, only an error action'}`, () => {
      const { lns } = establishedPair({ ...o }, { version: o.version });
      const acts = lns.handle({ type: 'received', bytes }, 10);
      expect(ours(acts)).toBe(isOurs);
      if (isOurs) expect(sent(acts).find((m) => m.typeName === 'StopCCN')?.resultCode).toMatchObject({ result: 2, error: 2 });
      else expect(acts.map((a) => a.type)).toEqual(['error']);
      expect(lns.state).toBe(isOurs ? 'closing' : 'established');
    });
  }

  it('idle, addressed to our fixed Tunnel ID: no control connection to clear, only an error action', () => {
    const f = fsm({ localTunnelId: 0x0100 });
    const acts = f.handle({ type: 'received', bytes: Uint8Array.of(0xc8, 0x02, 0x00, 0x06, 0x01, 0x00) }, 0);
    expect(acts.map((a) => a.type)).toEqual(['error']);
    expect(errors(acts)[0]!.code).toBe('TRUNCATED');
  });

  it('waiting for SCCRP, addressed to us: our attempt is torn down', () => {
    const f = fsm({ localTunnelId: 0x0100 });
    f.handle({ type: 'open' }, 0);
    const acts = f.handle({ type: 'received', bytes: Uint8Array.of(0xc8, 0x02, 0x00, 0x06, 0x01, 0x00) }, 5);
    expect(stoppedOf(acts)).toMatchObject({ by: 'local', error: { code: 'TRUNCATED' } });
    expect(f.state).not.toBe('wait-ctl-reply');
  });
});

describe('v3 with authentication: a message that does not parse and carries no valid digest is dropped (RFC 3931 §5.4.1)', () => {
  it('an error action saying both, caused by the authentication failure; no StopCCN, the connection stays up', () => {
    const o = { version: 3, secret: 'v3 edge secret' } as const;
    const { lns } = establishedPair(o, o);
    // Unsigned, and a Receive Window Size of 1 byte (§5.4.3: 2 bytes): it does not parse.
    const b = encodeControl({ version: 3, tunnelId: 0, ns: 2, nr: 1, avps: [mt(MessageType.HELLO), { mandatory: true, vendorId: 0, type: 10, value: Uint8Array.of(4) }] }).slice();
    b.set(Uint8Array.of(lns.localTunnelId >>> 24, (lns.localTunnelId >> 16) & 0xff, (lns.localTunnelId >> 8) & 0xff, lns.localTunnelId & 0xff), 4);
    const acts = lns.handle({ type: 'received', bytes: b }, 10);
    expect(acts.map((a) => a.type)).toEqual(['error']);
    const [e] = errors(acts);
    expect(e!.message).toMatch(/^a message that does not parse \(Receive Window Size AVP value is 1 bytes.*\) and fails authentication: dropped \(RFC 3931 §5\.4\.1\)/);
    // The code and cause are the authentication failure's: no Message Digest AVP at all.
    expect(e!.code).toBe('MISSING_AVP');
    expect(e!.cause).toBeInstanceOf(L2tpError);
    expect((e!.cause as L2tpError).message).toMatch(/no Message Digest AVP/);
    expect(lns.state).toBe('established');
  });
});

describe('the Nr of a message whose header parsed but whose AVPs did not is taken as an ack (RFC 2661 §5.8)', () => {
  /** An established pair where the LAC offers a window of 1, and the LNS has one HELLO (Ns 1) unacked. */
  function helloOutstanding(version: 2 | 3 = 2): TunnelFsm {
    const { lns } = establishedPair({ version }, { version, sequencer: { receiveWindow: 1 } });
    const acts = lns.handle({ type: 'hello' }, 1);
    expect(sent(acts).map((m) => [m.typeName, m.ns])).toEqual([['HELLO', 1]]);
    return lns;
  }
  /** The LNS's StopCCN went out at once (not queued behind the HELLO in a window of 1). */
  const stopAtOnce = (acts: TunnelAction[]) => sent(acts).some((m) => m.typeName === 'StopCCN');

  it('v2, an AVP Length under 6, Nr 2 (acks the HELLO): the StopCCN goes out at once', () => {
    const lns = helloOutstanding();
    const b = helloBytes(lns, 2);
    put16(b, 20, 3);
    const acts = lns.handle({ type: 'received', bytes: b }, 2);
    expect(stoppedOf(acts)?.error?.code).toBe('BAD_AVP_LENGTH');
    expect(stopAtOnce(acts)).toBe(true);
  });

  it('v2, a bare 12-byte header whose Length says 14, Nr 2: the header is whole, its Nr taken: StopCCN at once', () => {
    const lns = helloOutstanding();
    const b = encodeControl({ ...fromLac(lns), nr: 2 }).slice();
    expect(b).toHaveLength(12);
    put16(b, 2, 14);
    const acts = lns.handle({ type: 'received', bytes: b }, 2);
    expect(stoppedOf(acts)?.error?.code).toBe('BAD_LENGTH');
    expect(stopAtOnce(acts)).toBe(true);
  });

  it('v2, the O bit set (an invalid control header, RFC 2661 §3.1), Nr 2: nothing in that header is used: the StopCCN waits', () => {
    const lns = helloOutstanding();
    const b = helloBytes(lns, 2);
    b[0] = 0xca;
    const acts = lns.handle({ type: 'received', bytes: b }, 2);
    expect(stoppedOf(acts)?.error?.code).toBe('BAD_FLAGS');
    expect(stopAtOnce(acts)).toBe(false);
  });

  it('v3 without authentication, an AVP Length under 6, Nr 2: the StopCCN goes out at once', () => {
    const lns = helloOutstanding(3);
    const b = encodeControl({ version: 3, type: MessageType.HELLO, tunnelId: 0, ns: 2, nr: 2 }).slice();
    b.set(Uint8Array.of(lns.localTunnelId >>> 24, (lns.localTunnelId >> 16) & 0xff, (lns.localTunnelId >> 8) & 0xff, lns.localTunnelId & 0xff), 4);
    put16(b, 12, 0x8003);
    const acts = lns.handle({ type: 'received', bytes: b }, 2);
    expect(stoppedOf(acts)?.error?.code).toBe('BAD_AVP_LENGTH');
    expect(stopAtOnce(acts)).toBe(true);
  });
});
