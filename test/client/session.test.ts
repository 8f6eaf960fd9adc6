import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import type { Session, SessionDown } from '../../src/client/session.js';
import { memoryTransportPair } from '../../src/transports/memory.js';
import { L2tpError } from '../../src/wire/errors.js';
import { Responder } from './responder.js';
import { ladder, rejection, typeName } from './support.js';

/** An LCP Configure-Request as PPP carries it in L2TP (RFC 1661 §5.1, address/control FF 03). */
const LCP = new Uint8Array([0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04]);

async function setup(responder: ConstructorParameters<typeof Responder>[1] = {}) {
  const link = memoryTransportPair();
  const lns = new Responder(link.b, responder);
  const tunnel = await openTunnel(link.a);
  return { link, lns, tunnel };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('sessions', () => {
  it('an incoming call (ICRQ → ICRP → ICCN) comes up with both IDs; frames are echoed', async () => {
    const { link, lns, tunnel } = await setup();
    const session = await tunnel.openSession();
    const up = await lns.next('session-up', true);
    expect(session.kind).toBe('incoming');
    expect(session.origin).toBe('local');
    expect(session.peerId).toBe(up.sessionId);
    expect(up.peerSessionId).toBe(session.localId);
    expect(session.localId).toBeGreaterThan(0);
    expect(session.call.callSerialNumber).toBe(1);
    expect(tunnel.liveSessions).toEqual([session]);
    expect(ladder(link.log)).toEqual(expect.arrayContaining(['a:ICRQ', 'b:ICRP', 'a:ICCN']));

    const got: Uint8Array[] = [];
    session.onFrame((f) => got.push(f));
    await session.send(LCP);
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect([...got[0]!]).toEqual([...LCP]);
    await tunnel.close();
    await lns.stop();
  });

  it('frames() iterates received frames in order and ends when the session goes down', async () => {
    const { lns, tunnel } = await setup();
    const session = await tunnel.openSession();
    const it = session.frames();
    for (let i = 0; i < 5; i++) await session.send(new Uint8Array([0xff, 0x03, 0x00, 0x21, i]));
    const seen: number[] = [];
    for await (const f of it) {
      seen.push(f[4]!);
      if (seen.length === 5) void session.close();
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(session.state).toBe('down');
    await tunnel.close();
    await lns.stop();
  });

  it('session.close(): CDN with the result and cause; the peer sees it', async () => {
    const { lns, tunnel } = await setup();
    const session = await tunnel.openSession();
    await session.close({ result: 2, error: 6, message: 'bye' }, { cause: 16, message: 1 });
    expect(session.state).toBe('down');
    expect(session.down).toEqual({ by: 'local', result: { result: 2, error: 6, message: 'bye' }, cause: { cause: 16, message: 1 } });
    const down = await lns.next('session-down', true);
    expect(down.by).toBe('peer');
    expect(down.result).toEqual({ result: 2, error: 6, message: 'bye' });
    expect(down.cause?.cause).toBe(16);
    await expect(session.send(LCP)).rejects.toBeInstanceOf(L2tpError);
    await session.close(); // already down: harmless
    await tunnel.close();
    await lns.stop();
  });

  it("the peer's CDN: a 'down' event with its result and PEER_STOPPED", async () => {
    const { lns, tunnel } = await setup();
    const session = await tunnel.openSession();
    const downs: SessionDown[] = [];
    session.on('down', (d) => downs.push(d));
    const peerId = (await lns.next('session-up', true)).sessionId;
    lns.do({ type: 'closeSession', sessionId: peerId, result: { result: 1 } });
    const down = await session.closed;
    expect(downs).toEqual([down]);
    expect(down.by).toBe('peer');
    expect(down.result).toEqual({ result: 1 });
    expect(down.error?.code).toBe('PEER_STOPPED');
    expect(down.error?.result).toEqual({ result: 1 });
    expect(tunnel.liveSessions).toEqual([]);
    expect(tunnel.state).toBe('established');
    await tunnel.close();
    await lns.stop();
  });

  it('the peer refuses the call (CDN) → openSession rejects PEER_STOPPED with its result', async () => {
    const { lns, tunnel } = await setup({ acceptCalls: false });
    const e = await rejection(tunnel.openSession());
    expect(e).toBeInstanceOf(L2tpError);
    expect(e.code).toBe('PEER_STOPPED');
    expect(e.result?.result).toBe(3);
    expect(tunnel.state).toBe('established');
    await tunnel.close();
    await lns.stop();
  });

  it('an outgoing call (OCRQ → OCRP → OCCN) comes up with the connect speed the peer reports', async () => {
    // The peer advertises Bearer Capabilities: it places outgoing calls (RFC 2661 §4.4.3, §6.9).
    const { link, lns, tunnel } = await setup({ bearerCapabilities: 2 });
    const session = await tunnel.openSession({ kind: 'outgoing', calledNumber: '5551234', maximumBps: 64_000 });
    expect(session.kind).toBe('outgoing');
    expect(session.call.calledNumber).toBe('5551234');
    expect(session.call.txConnectSpeed).toBe(64_000);
    expect(ladder(link.log)).toEqual(expect.arrayContaining(['a:OCRQ', 'b:OCRP', 'b:OCCN']));
    await tunnel.close();
    await lns.stop();
  });

  it("a call the peer places arrives as a 'session' event; SLI and WEN reach their listeners", async () => {
    const { lns, tunnel } = await setup();
    const arrived = new Promise<Session>((r) => tunnel.on('session', r));
    lns.do({ type: 'openSession', call: { kind: 'incoming', callingNumber: '100' } });
    const session = await arrived;
    expect(session.origin).toBe('peer');
    expect(session.call.callingNumber).toBe('100');
    const peerUp = await lns.next('session-up', true);
    const sli = new Promise((r) => session.on('sli', r));
    lns.do({ type: 'sendSli', sessionId: peerUp.sessionId, accm: { send: 0xffffffff, receive: 0 } });
    expect(await sli).toEqual({ send: 0xffffffff, receive: 0 });
    session.wen({ crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 });
    const wen = await lns.next('wen');
    expect(wen.callErrors.crcErrors).toBe(1);
    await tunnel.close();
    await lns.stop();
  });

  it('openSession: TIMEOUT when the peer never answers, and a CDN goes out for the half-open call', async () => {
    vi.useFakeTimers();
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { clock: () => Date.now() });
    const tunnel = await openTunnel(link.a, { clock: () => Date.now() });
    // The peer takes the ICRQ (and acks it) but its ICRP is lost, every time.
    link.filter = (m) => typeName(m) !== 'ICRP';
    const p = rejection(tunnel.openSession(undefined, { timeout: 3000 }));
    await vi.advanceTimersByTimeAsync(3000);
    const e = await p;
    expect(e.code).toBe('TIMEOUT');
    expect(tunnel.liveSessions).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(ladder(link.log)).toContain('a:CDN');
    // The responder's half-open call is cleared by our CDN (RFC 2661 §6.12).
    expect((await lns.next('session-down', true)).by).toBe('peer');
    const closing = tunnel.close();
    await vi.advanceTimersByTimeAsync(10_000);
    await closing;
    await lns.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('openSession: ABORTED through its signal', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b);
    const tunnel = await openTunnel(link.a);
    link.filter = (m) => typeName(m) !== 'ICRP';
    const ac = new AbortController();
    const p = tunnel.openSession(undefined, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
    link.filter = undefined;
    await tunnel.close();
    await lns.stop();
  });

  it('openSession before/after the tunnel is up, or with bad options, is a local error', async () => {
    const { lns, tunnel } = await setup();
    await expect(tunnel.openSession({ kind: 'outgoing' } as never)).rejects.toThrow(TypeError);
    await expect(tunnel.openSession(undefined, { timeout: 0 })).rejects.toThrow(RangeError);
    await tunnel.close();
    await expect(tunnel.openSession()).rejects.toThrow(TypeError);
    await expect(tunnel.hello()).rejects.toThrow(TypeError);
    await lns.stop();
  });
});
