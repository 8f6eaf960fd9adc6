import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import type { TunnelStop } from '../../src/client/tunnel.js';
import type { Transport } from '../../src/client/transport.js';
import { memoryTransportPair } from '../../src/transports/memory.js';
import { L2tpError } from '../../src/wire/errors.js';
import { seededRandom } from '../fsm/harness.js';
import { Responder } from './responder.js';
import { ladder, rejection, SECRET, steppingClock, typeName } from './support.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('openTunnel / close over an in-memory link', () => {
  it('establishes (SCCRQ → SCCRP → SCCCN), reports the peer, and closes with an acked StopCCN', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b);
    const tunnel = await openTunnel(link.a, { hostName: 'lac.test', random: seededRandom(1), clock: steppingClock(link, { 'a:SCCRQ': 7 }) });
    expect(tunnel.state).toBe('established');
    expect(tunnel.role).toBe('initiator');
    expect(tunnel.peer.hostName).toBe('lns.test');
    expect(tunnel.peer.vendorName).toBe('responder');
    expect(tunnel.peer.firmwareRevision).toBe(0x0690);
    expect(tunnel.peer.assignedTunnelId).toBe(lns.fsm.localTunnelId);
    expect(tunnel.peerTunnelId).toBe(lns.fsm.localTunnelId);
    expect(lns.fsm.peerTunnelId).toBe(tunnel.localTunnelId);
    expect(tunnel.rtt).toBe(7); // SCCRQ → SCCRP on the stepping clock
    link.filter = undefined;
    await lns.next('established', true);
    const events: string[] = [];
    tunnel.on('stopped', () => events.push('stopped'));
    tunnel.on('closed', () => events.push('closed'));
    await tunnel.close();
    expect(events).toEqual(['stopped', 'closed']);
    expect(link.a.closed).toBe(true);
    expect(tunnel.state).toBe('closed');
    expect(await tunnel.closed).toEqual({ by: 'local', result: { result: 1 } });
    const peerStop = await lns.next('stopped', true);
    expect(peerStop.by).toBe('peer');
    expect(peerStop.result?.result).toBe(1);
    const names = ladder(link.log);
    expect(names.slice(0, 3)).toEqual(['a:SCCRQ', 'b:SCCRP', 'a:SCCCN']);
    expect(names).toContain('a:StopCCN');
    // close() resolved on the responder's ZLB acking the StopCCN.
    expect(names.at(-1)).toBe('b:ZLB');
    await tunnel.close(); // twice is harmless
    await lns.stop();
  });

  it('close(result) puts that Result Code in the StopCCN', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b);
    const tunnel = await openTunnel(link.a);
    expect(tunnel.peer.hostName).toBe('lns.test');
    await tunnel.close({ result: 6 });
    expect((await lns.next('stopped', true)).result).toEqual({ result: 6 });
    await lns.stop();
  });

  it('crossing StopCCNs (both ends close at once): close() still resolves once ours is acked', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b);
    const tunnel = await openTunnel(link.a);
    await lns.next('established', true);
    lns.do({ type: 'close' });
    await tunnel.close();
    const stop = await tunnel.closed;
    expect(stop.by).toBe('local');
    expect(ladder(link.log).filter((n) => n.endsWith('StopCCN'))).toEqual(['b:StopCCN', 'a:StopCCN']);
    await lns.stop();
  });

  it('keepTransport leaves the transport open and usable by the caller', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b);
    const tunnel = await openTunnel(link.a, { keepTransport: true });
    await tunnel.close();
    expect(link.a.closed).toBe(false);
    await link.a.close();
    await lns.stop();
  });

  it('peer StopCCN: stopped at once with the result, sessions down; it lingers re-acking a retransmitted StopCCN for a full cycle (§5.7), then releases', async () => {
    vi.useFakeTimers();
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { clock: () => Date.now() });
    const opening = openTunnel(link.a, { clock: () => Date.now() });
    await vi.advanceTimersByTimeAsync(1);
    const tunnel = await opening;
    const opened = tunnel.openSession();
    await vi.advanceTimersByTimeAsync(1);
    const session = await opened;
    // Lose our first ZLB acking the peer's StopCCN: the peer must retransmit it (l2tpns does).
    let stopSent = false;
    let lost = 0;
    link.filter = (m, from) => {
      const name = typeName(m);
      if (from === 'b' && name === 'StopCCN') stopSent = true;
      if (from === 'a' && name === 'ZLB' && stopSent && lost === 0) return (lost++, false);
      return true;
    };
    const stopped = new Promise<TunnelStop>((r) => tunnel.on('stopped', r));
    const startedAt = Date.now();
    lns.do({ type: 'close', result: { result: 6, error: 0, message: 'maintenance' } });
    await vi.advanceTimersByTimeAsync(0);
    const stop = await stopped;
    expect(stop.by).toBe('peer');
    expect(stop.result).toEqual({ result: 6, error: 0, message: 'maintenance' });
    expect(stop.error).toBeInstanceOf(L2tpError);
    expect(stop.error?.code).toBe('PEER_STOPPED');
    expect(stop.error?.result).toEqual({ result: 6, error: 0, message: 'maintenance' });
    const down = await session.closed;
    expect(down.by).toBe('peer');
    expect(down.error?.code).toBe('PEER_STOPPED');
    await expect(session.send(new Uint8Array([1]))).rejects.toMatchObject({ code: 'PEER_STOPPED' });
    await expect(tunnel.openSession()).rejects.toThrow(TypeError);
    // Over for the user, but still able to ack: close() resolves at once, the transport stays open.
    expect(tunnel.state).toBe('lingering');
    let closeResolved = false;
    void tunnel.close().then(() => (closeResolved = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(closeResolved).toBe(true);
    expect(link.a.closed).toBe(false);
    expect(lost).toBe(1);
    // The peer retransmits its StopCCN after 1 s; we ack it again.
    await vi.advanceTimersByTimeAsync(1000);
    const afterStop = ladder(link.log).slice(ladder(link.log).indexOf('b:StopCCN'));
    expect(afterStop.filter((n) => n === 'b:StopCCN')).toHaveLength(2);
    expect(afterStop.filter((n) => n === 'a:ZLB')).toHaveLength(2);
    expect(lns.fsm.lingering).toBe(true); // the peer got its ack
    // Released a full cycle (31 s) after the last StopCCN it acked, not before.
    let released = false;
    void tunnel.closed.then(() => (released = true));
    await vi.advanceTimersByTimeAsync(startedAt + 1000 + 31_000 - Date.now() - 10);
    expect(released).toBe(false);
    expect(link.a.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(released).toBe(true);
    expect(await tunnel.closed).toBe(stop);
    expect(tunnel.state).toBe('closed');
    expect(link.a.closed).toBe(true);
    await lns.stop();
  });

  it('peer refuses the SCCRQ with a StopCCN → PEER_STOPPED carrying the Result Code', async () => {
    // We challenge (secret set); a responder without a secret must refuse (StopCCN result 4).
    const link = memoryTransportPair();
    const lns = new Responder(link.b);
    const e = await rejection(openTunnel(link.a, { secret: SECRET }));
    expect(e).toBeInstanceOf(L2tpError);
    expect(e.code).toBe('PEER_STOPPED');
    expect(e.result?.result).toBe(4);
    expect(link.a.closed).toBe(true);
    expect(ladder(link.log).slice(0, 3)).toEqual(['a:SCCRQ', 'b:StopCCN', 'a:ZLB']);
    await lns.stop();
  });

  it('wrong secret → AUTH_FAILED, and a StopCCN result 4 goes to the peer', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { secret: 'another secret' });
    const e = await rejection(openTunnel(link.a, { secret: SECRET }));
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.result?.result).toBe(4);
    expect((await lns.next('stopped', true)).result?.result).toBe(4);
    expect(link.a.closed).toBe(true);
    await lns.stop();
  });

  it('challenged with no secret here → AUTH_FAILED', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { secret: SECRET });
    const e = await rejection(openTunnel(link.a));
    expect(e.code).toBe('AUTH_FAILED');
    await lns.stop();
  });

  it('right secret, with hidden AVPs both ways: established and authenticated', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { secret: SECRET, hideAvps: true });
    const tunnel = await openTunnel(link.a, { secret: SECRET, hideAvps: true });
    expect(tunnel.peer.authenticated).toBe(true);
    expect(tunnel.peer.challenged).toBe(true);
    await tunnel.close();
    await lns.stop();
  });

  it('hello() sends a HELLO the peer acknowledges', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { sequencer: { ackDelay: 0 } });
    const tunnel = await openTunnel(link.a);
    await tunnel.hello();
    await vi.waitFor(() => expect(ladder(link.log).slice(-2)).toEqual(['a:HELLO', 'b:ZLB']));
    expect(tunnel.state).toBe('established');
    await tunnel.close();
    await lns.stop();
  });

  it('sends HELLO by itself after helloInterval of silence', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { sequencer: { ackDelay: 0 } });
    const tunnel = await openTunnel(link.a, { helloInterval: 30 });
    await vi.waitFor(() => expect(ladder(link.log)).toContain('a:HELLO'), { timeout: 2000 });
    await tunnel.close();
    await lns.stop();
  });
});

describe('timeouts, aborts and transport failures', () => {
  it('100 % loss: TIMEOUT once the retransmission budget is spent (1+2+4+8+8+8 = 31 s), one timer only', async () => {
    vi.useFakeTimers();
    const link = memoryTransportPair({ filter: () => false });
    const t0 = Date.now();
    const p = openTunnel(link.a, { clock: () => Date.now(), timeout: 120_000 });
    const caught = rejection(p);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1); // exactly one setTimeout per tunnel, waits included
    await vi.advanceTimersByTimeAsync(30_999);
    expect(link.a.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    const e = await caught;
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toMatch(/retransmission/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(31_000);
    expect(Date.now() - t0).toBeLessThanOrEqual(31_001);
    expect(link.a.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    // SCCRQ and its 5 retransmissions (RFC 2661 §5.8), nothing else.
    expect(ladder(link.log)).toEqual(Array(6).fill('a:SCCRQ'));
  });

  it('100 % loss: the overall timeout (default 10 s) wins when shorter', async () => {
    vi.useFakeTimers();
    const link = memoryTransportPair({ filter: () => false });
    const caught = rejection(openTunnel(link.a, { clock: () => Date.now() }));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(link.a.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const e = await caught;
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toMatch(/10000 ms/);
    expect(link.a.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('100 % loss with a short retransmission budget: TIMEOUT exactly when the Sequencer gives up (1 + 2 + 4 + 8 = 15 s)', async () => {
    vi.useFakeTimers();
    const link = memoryTransportPair({ filter: () => false });
    let settled = false;
    const caught = rejection(openTunnel(link.a, { clock: () => Date.now(), timeout: 120_000, sequencer: { maxRetransmissions: 3 } }));
    void caught.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(14_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const e = await caught;
    expect(settled).toBe(true);
    expect(e.code).toBe('TIMEOUT');
    expect(link.a.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abort while opening: ABORTED (reason as cause), transport closed, no timer left', async () => {
    vi.useFakeTimers();
    const link = memoryTransportPair({ filter: () => false });
    const ac = new AbortController();
    const caught = rejection(openTunnel(link.a, { clock: () => Date.now(), signal: ac.signal }));
    await vi.advanceTimersByTimeAsync(1500);
    expect(vi.getTimerCount()).toBe(1);
    ac.abort(new Error('user gave up'));
    const e = await caught;
    expect(e.code).toBe('ABORTED');
    expect((e.cause as Error).message).toBe('user gave up');
    expect(link.a.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an already aborted signal rejects at once and sends nothing', async () => {
    const link = memoryTransportPair();
    const e = await rejection(openTunnel(link.a, { signal: AbortSignal.abort() }));
    expect(e.code).toBe('ABORTED');
    expect(link.log).toHaveLength(0);
    expect(link.a.closed).toBe(true);
  });

  it('transport send failure while opening → TRANSPORT, cause kept', async () => {
    const link = memoryTransportPair();
    const failing: Transport = Object.assign(Object.create(null), {
      kind: 'datagram' as const,
      remote: undefined,
      local: undefined,
      closed: false,
      send: () => Promise.reject(new L2tpError('TRANSPORT', 'EHOSTUNREACH')),
      onMessage: (h: (m: Uint8Array) => void) => link.a.onMessage(h),
      onError: (h: (e: Error) => void) => link.a.onError(h),
      onClose: (h: (e?: Error) => void) => link.a.onClose(h),
      close: () => link.a.close(),
    });
    const e = await rejection(openTunnel(failing));
    expect(e.code).toBe('TRANSPORT');
    expect(e.message).toMatch(/EHOSTUNREACH/);
    expect(link.a.closed).toBe(true);
  });

  it('transport closed under an established tunnel → stopped with TRANSPORT, sessions down', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b);
    const tunnel = await openTunnel(link.a);
    const session = await tunnel.openSession();
    await link.a.close();
    const stop = await tunnel.closed;
    expect(stop.error?.code).toBe('TRANSPORT');
    expect((await session.closed).error?.code).toBe('TRANSPORT');
    await lns.stop();
  });

  it('transport closing while opening → TRANSPORT', async () => {
    const link = memoryTransportPair({ filter: () => false });
    const p = rejection(openTunnel(link.a));
    await Promise.resolve();
    await link.a.close();
    expect((await p).code).toBe('TRANSPORT');
  });

  it('close() on a silent peer gives up after its timeout and still releases everything', async () => {
    vi.useFakeTimers();
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { clock: () => Date.now() });
    const tunnel = await openTunnel(link.a, { clock: () => Date.now() });
    link.filter = () => false;
    let done = false;
    const closing = tunnel.close(undefined, { timeout: 2500 }).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(2499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await closing;
    expect(link.a.closed).toBe(true);
    // The StopCCN went out, the unacked messages were retransmitted once at 1 s (RFC 2661 §5.8
    // backoff: the next try would be at 3 s), then close() gave up at 2.5 s.
    const after = ladder(link.log.filter((r) => !r.delivered && r.from === 'a'));
    expect(after).toContain('a:StopCCN');
    expect(after).toHaveLength(2);
    await lns.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('misuse is a TypeError/RangeError, not an L2tpError', async () => {
    const link = memoryTransportPair();
    await expect(openTunnel(link.a, { timeout: -1 })).rejects.toThrow(RangeError);
    await expect(openTunnel(link.a, { signal: {} as AbortSignal })).rejects.toThrow(TypeError);
    await expect(openTunnel({} as Transport)).rejects.toThrow(TypeError);
    await expect(openTunnel(link.a, { hostName: '' })).rejects.toThrow(TypeError);
    await link.a.close();
    await expect(openTunnel(link.a)).rejects.toThrow(/already closed/);
  });
});
