/**
 * The ways a control connection ends, and the clock that drives them (RFC 2661 §5.5, §5.7, §5.8;
 * RFC 3931 §5.4.1): retries exhausted in each state and what the user is told, the half-open
 * handshake freed with the message naming what never came, the earliest deadline, and HELLO only
 * on an established tunnel. Virtual clock only; messages carried by the harness or by hand.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { zlb } from '../../src/wire/builders.js';
import { encodeControl, parseControl } from '../../src/wire/control.js';
import { encodeControlV3 } from '../../src/wire/v3-auth.js';
import { Pair, seededRandom } from './harness.js';

const NO_ACK = 'no acknowledgement from the peer after every retransmission (RFC 2661 §5.8)';
const typesSent = (acts: TunnelAction[]) => acts.flatMap((a) => (a.type === 'send' ? [parseControl(a.bytes, { requireAvps: false }).typeName] : []));
type Stopped = Extract<TunnelAction, { type: 'stopped' }>;

/** Drive one FSM alone by its own deadlines until nothing is pending (or `until`). */
function runAlone(f: TunnelFsm, until: number): TunnelAction[] {
  const all: TunnelAction[] = [];
  for (let d = f.nextDeadline(); d !== undefined && d <= until; d = f.nextDeadline()) all.push(...f.handle({ type: 'tick' }, d));
  return all;
}

/** An established v2 pair with one incoming call up; then every datagram is lost. */
function silentAfterSession(o: Partial<TunnelOptions> = {}): Pair {
  const p = new Pair({ helloInterval: 0, ...o }, { helloInterval: 0, ...o });
  p.do('a', { type: 'open' });
  p.run(5_000);
  p.do('a', { type: 'openSession', call: o.version === 3 ? { kind: 'incoming', remoteEndId: 'eth0' } : { kind: 'incoming' } });
  p.run(p.now + 5_000);
  expect(p.actions('a', 'session-up')).toHaveLength(1);
  p.drop = () => true;
  return p;
}

describe('retries exhausted (RFC 2661 §5.8)', () => {
  it('established: one stopped, TIMEOUT saying why; the sessions go down by local with the same error', () => {
    const p = silentAfterSession();
    p.do('a', { type: 'hello' });
    p.run(p.now + 300_000);
    const stopped = p.actions('a', 'stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ by: 'local', error: { code: 'TIMEOUT', message: NO_ACK } });
    expect(p.actions('a', 'session-down')).toEqual([expect.objectContaining({ by: 'local', error: stopped[0]!.error })]);
    expect(p.a.state).toBe('closed');
    expect(p.actions('a', 'closed')).toHaveLength(1);
  });

  it('closing: our StopCCN never acked ends in closed, without a second stopped (the user was told at close)', () => {
    const p = silentAfterSession();
    p.do('a', { type: 'close' });
    const first = p.actions('a', 'stopped');
    expect(first).toHaveLength(1);
    p.run(p.now + 300_000);
    expect(p.sent('a', 'StopCCN').length).toBeGreaterThan(1);
    expect(p.actions('a', 'stopped')).toEqual(first);
    expect(p.actions('a', 'closed')).toHaveLength(1);
  });

  it('v3 established: an earlier forged message does not make a later silence an AUTH_FAILED (only a handshake is blamed on it)', () => {
    const secret = 'core secret';
    const p = silentAfterSession({ version: 3, secret });
    const forged = encodeControlV3({ type: 6, controlConnectionId: p.a.localControlConnectionId, ns: 5, nr: 5 }, { secret: 'not it', nonces: { local: new Uint8Array(16), remote: new Uint8Array(16) } });
    expect(p.a.handle({ type: 'received', bytes: forged }, p.now).map((a) => a.type)).toEqual(['error']);
    p.do('a', { type: 'hello' });
    p.run(p.now + 300_000);
    expect(p.actions('a', 'stopped')).toEqual([expect.objectContaining({ by: 'local', error: expect.objectContaining({ code: 'TIMEOUT', message: NO_ACK }) })]);
  });
});

describe('a handshake whose peer only sends messages failing authentication (RFC 3931 §5.4.1)', () => {
  const secret = 'core secret';
  /** Our SCCRQ out at 0; at 10 an SCCRP signed with another secret arrives and is dropped. */
  function forgedReply(o: Partial<TunnelOptions>): { f: TunnelFsm; dropped: Error } {
    const f = new TunnelFsm({ version: 3, hostName: 'a', secret, random: seededRandom(4), ...o });
    f.handle({ type: 'open' }, 0);
    const rp = encodeControlV3({ type: 2, controlConnectionId: f.localControlConnectionId, ns: 0, nr: 1, hostName: 'b', routerId: 2, assignedControlConnectionId: 9, pseudowireCapabilitiesList: [5], controlMessageAuthenticationNonce: new Uint8Array(16).fill(1) }, { secret: 'not it', nonces: { local: new Uint8Array(16).fill(1), remote: new Uint8Array(16) } });
    const acts = f.handle({ type: 'received', bytes: rp }, 10);
    const dropped = acts.find((a) => a.type === 'error') as Extract<TunnelAction, { type: 'error' }>;
    expect(dropped.error.code).toBe('BAD_DIGEST');
    return { f, dropped: dropped.error };
  }

  it('retransmissions run out first: AUTH_FAILED, the reason and the failure, with the failure as cause', () => {
    const { f, dropped } = forgedReply({ handshakeTimeout: 10_000_000 });
    const stopped = runAlone(f, 10_000_000).find((a) => a.type === 'stopped') as Stopped;
    expect(stopped.error?.code).toBe('AUTH_FAILED');
    expect(stopped.error?.message).toBe(`${NO_ACK}; the peer's messages failed authentication: ${dropped.message}`);
    expect(stopped.error?.cause).toBe(dropped);
  });

  it('handshakeTimeout comes first: AUTH_FAILED naming the SCCRP that never came, with the failure as cause', () => {
    const { f, dropped } = forgedReply({ handshakeTimeout: 2_500 });
    const stopped = runAlone(f, 10_000).find((a) => a.type === 'stopped') as Stopped;
    expect(stopped.error?.message).toBe(`no SCCRP within 2500 ms (handshakeTimeout): half-open tunnel freed; the peer's messages failed authentication: ${dropped.message}`);
    expect(stopped.error?.code).toBe('AUTH_FAILED');
    expect(stopped.error?.cause).toBe(dropped);
  });
});

describe('what a send action hands the driver is its own', () => {
  it('v3 signed: a retransmission with a newer Nr (signed again, §5.4.1) leaves the bytes of the first transmission as they were', () => {
    const secret = 'core secret';
    const p = new Pair({ version: 3, secret, helloInterval: 0 }, { version: 3, secret, helloInterval: 0 });
    p.do('a', { type: 'open' });
    p.run(5_000);
    p.drop = (w) => w.from === 'a';
    const first = p.do('a', { type: 'hello' }).find((x) => x.type === 'send') as Extract<TunnelAction, { type: 'send' }>;
    const before = Array.from(first.bytes);
    p.do('b', { type: 'hello' });
    p.run(p.now + 1_500);
    const hellos = p.sent('a', 'HELLO');
    expect(hellos.length).toBeGreaterThan(1);
    expect(parseControl(hellos.at(-1)!.bytes, { requireAvps: false }).nr).not.toBe(parseControl(first.bytes, { requireAvps: false }).nr);
    expect(Array.from(first.bytes)).toEqual(before);
  });
});

describe('acknowledging a message whose reply has to wait (RFC 2661 §5.8)', () => {
  it('the reply is queued behind the full peer window, yet the received ICRQ is acked at once by a ZLB', () => {
    // b takes one message at a time (Receive Window Size 1); a's HELLO to it is lost, so a's
    // window is full when b's ICRQ arrives: the ICRP waits, the ICRQ must still be acked.
    const p = new Pair({ helloInterval: 0 }, { helloInterval: 0, sequencer: { receiveWindow: 1 } });
    p.do('a', { type: 'open' });
    p.run(5_000);
    p.drop = (w) => w.from === 'a' && w.typeName === 'HELLO';
    p.do('a', { type: 'hello' });
    const t0 = p.now;
    p.do('b', { type: 'openSession', call: { kind: 'incoming' } });
    p.run(t0 + 900);
    expect(p.sent('a', 'ICRP').filter((w) => w.at < t0 + 900)).toEqual([]);
    expect(p.sent('a', 'ZLB').filter((w) => w.at >= t0).length).toBe(1);
    expect(p.sent('b', 'ICRQ')).toHaveLength(1);
  });
});

describe('the half-open handshake and the clock', () => {
  it('responder: no SCCCN within handshakeTimeout frees it, and the message says SCCCN', () => {
    const f = new TunnelFsm({ hostName: 'lns', random: seededRandom(2), handshakeTimeout: 2_500 });
    const sccrq = encodeControl({ type: 1, protocolVersion: { version: 1, revision: 0 }, hostName: 'lac', framingCapabilities: 1, assignedTunnelId: 5 });
    expect(typesSent(f.handle({ type: 'received', bytes: sccrq }, 0))).toEqual(['SCCRP']);
    const stopped = runAlone(f, 10_000).find((a) => a.type === 'stopped') as Stopped;
    expect(stopped).toMatchObject({ by: 'local', error: { code: 'TIMEOUT', message: 'no SCCCN within 2500 ms (handshakeTimeout): half-open tunnel freed' } });
  });

  it('the next deadline is the earlier of the retransmission and handshakeTimeout', () => {
    const f = new TunnelFsm({ hostName: 'lac', random: seededRandom(2), handshakeTimeout: 60_000 });
    f.handle({ type: 'open' }, 0);
    expect(f.nextDeadline()).toBe(1_000); // §5.8: the first retransmission, 1 s (initialTimeout)
  });

  it('a tick with nothing to do, before open or after closed, does nothing', () => {
    const f = new TunnelFsm({ hostName: 'lac', random: seededRandom(2) });
    expect(f.handle({ type: 'tick' }, 5_000)).toEqual([]);
    f.handle({ type: 'open' }, 5_000);
    f.handle({ type: 'close' }, 5_001);
    expect(f.state).toBe('closed');
    expect(f.handle({ type: 'tick' }, 9_000)).toEqual([]);
  });
});

describe('HELLO (RFC 2661 §5.5, §6.5): only when established, never with helloInterval 0', () => {
  it('wait-ctl-reply: a tick after helloInterval retransmits the SCCRQ and sends no HELLO', () => {
    const f = new TunnelFsm({ hostName: 'lac', random: seededRandom(2), helloInterval: 500 });
    f.handle({ type: 'open' }, 0);
    expect(typesSent(f.handle({ type: 'tick' }, 1_000))).toEqual(['SCCRQ']);
  });

  it('wait-ctl-conn: our SCCRP acked, a tick after helloInterval sends no HELLO (the SCCCN is what we wait for)', () => {
    const f = new TunnelFsm({ hostName: 'lns', random: seededRandom(2), helloInterval: 500, handshakeTimeout: 60_000 });
    const sccrq = encodeControl({ type: 1, protocolVersion: { version: 1, revision: 0 }, hostName: 'lac', framingCapabilities: 1, assignedTunnelId: 5, receiveWindowSize: 4 });
    expect(typesSent(f.handle({ type: 'received', bytes: sccrq }, 0))).toEqual(['SCCRP']);
    expect(f.handle({ type: 'received', bytes: zlb({ tunnelId: f.localTunnelId, ns: 1, nr: 1 }) }, 100)).toEqual([]);
    expect(f.handle({ type: 'tick' }, 700)).toEqual([]);
    expect(f.state).toBe('wait-ctl-conn');
  });

  it('helloInterval 0: an established tunnel ticked long after stays silent', () => {
    const p = new Pair({ helloInterval: 0 }, { helloInterval: 0 });
    p.do('a', { type: 'open' });
    p.run(5_000);
    expect(p.a.state).toBe('established');
    expect(typesSent(p.a.handle({ type: 'tick' }, 1_000_000))).toEqual([]);
    expect(p.a.nextDeadline()).toBeUndefined();
  });
});
