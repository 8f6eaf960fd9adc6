import { afterEach, describe, expect, it, vi } from 'vitest';
import { establishSession } from '../../src/client/establish.js';
import { probe } from '../../src/client/probe.js';
import { memoryTransportPair } from '../../src/transports/memory.js';
import { L2tpError } from '../../src/wire/errors.js';
import { ladder, rejection, SECRET, typeName, steppingClock } from './support.js';
import { Responder } from './responder.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('probe', () => {
  it("reports the SCCRP's fields (the seed's /connect response and more), then StopCCN and close", async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { bearerCapabilities: 2, framingCapabilities: 1, sequencer: { receiveWindow: 8 } });
    const r = await probe(link.a, { hostName: 'prober', clock: steppingClock(link, { 'a:SCCRQ': 7 }) });
    expect(r).toEqual({
      success: true,
      tunnelId: lns.fsm.peerTunnelId,
      assignedTunnelId: lns.fsm.localTunnelId,
      peerHostname: 'lns.test',
      vendorName: 'responder',
      protocolVersion: '1.0',
      protocolVersionValue: { version: 1, revision: 0 },
      firmwareRevision: 0x0690,
      framingCapabilities: 1,
      bearerCapabilities: 2,
      receiveWindowSize: 8,
      challenged: false,
      authenticated: false,
      // SCCRQ out at 1000, the clock moves 7 ms as it crosses, the SCCRP comes back at 1007.
      rtt: 7,
    });
    expect(r.tunnelId).toBeGreaterThan(0);
    expect(link.a.closed).toBe(true);
    const names = ladder(link.log);
    // The responder acks the SCCCN with a ZLB at once (no ack delay); where it falls relative to
    // the StopCCN depends on scheduling, so the ladder is read without ZLBs.
    expect(names.filter((n) => !n.endsWith(':ZLB')).slice(0, 4)).toEqual(['a:SCCRQ', 'b:SCCRP', 'a:SCCCN', 'a:StopCCN']);
    expect((await lns.next('stopped', true)).result).toEqual({ result: 1 });
    await lns.stop();
  });

  it('stopResult 6 ("requester is being shut down") goes in the StopCCN', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b);
    expect((await probe(link.a, { stopResult: 6 })).success).toBe(true);
    expect((await lns.next('stopped', true)).result).toEqual({ result: 6 });
    await lns.stop();
  });

  it('a peer that refuses: success false with its StopCCN result, no throw', async () => {
    const link = memoryTransportPair();
    // Our challenge reaches a responder without a secret: it refuses with result 4 (RFC 2661 §5.1.1).
    const lns = new Responder(link.b);
    const r = await probe(link.a, { secret: SECRET });
    expect(r.success).toBe(false);
    expect(r.result?.result).toBe(4);
    expect(r.error?.code).toBe('PEER_STOPPED');
    expect(r.assignedTunnelId).toBe(lns.fsm.localTunnelId); // from the StopCCN's Assigned Tunnel ID
    expect(r.peerHostname).toBeUndefined();
    expect(Number.isFinite(r.rtt)).toBe(true);
    expect(link.a.closed).toBe(true);
    await lns.stop();
  });

  it('a peer that demands a secret we lack: success false, challenged, and its SCCRP still reported', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { secret: SECRET });
    const r = await probe(link.a);
    expect(r.success).toBe(false);
    expect(r.challenged).toBe(true);
    expect(r.error?.code).toBe('AUTH_FAILED');
    expect(r.result).toBeUndefined();
    expect(r.peerHostname).toBe('lns.test');
    expect(r.vendorName).toBe('responder');
    expect(r.protocolVersion).toBe('1.0');
    expect(ladder(link.log).slice(0, 3)).toEqual(['a:SCCRQ', 'b:SCCRP', 'a:StopCCN']);
    await lns.stop();
  });

  it('with the right secret: challenged and authenticated', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { secret: SECRET, hideAvps: true });
    const r = await probe(link.a, { secret: SECRET });
    expect(r.success).toBe(true);
    expect(r.challenged).toBe(true);
    expect(r.authenticated).toBe(true);
    await lns.stop();
  });

  it('nobody answers: rejects TIMEOUT after `timeout`, transport closed', async () => {
    vi.useFakeTimers();
    const link = memoryTransportPair({ filter: () => false });
    const p = rejection(probe(link.a, { timeout: 5000, clock: () => Date.now() }));
    await vi.advanceTimersByTimeAsync(5000);
    const e = await p;
    expect(e).toBeInstanceOf(L2tpError);
    expect(e.code).toBe('TIMEOUT');
    expect(link.a.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stopResult out of range is a RangeError', async () => {
    const link = memoryTransportPair();
    await expect(probe(link.a, { stopResult: -1 })).rejects.toThrow(RangeError);
  });
});

describe('establishSession', () => {
  it("returns the seed's /session fields and live handles; frames flow; close releases all", async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b);
    const r = await establishSession(link.a, { hostName: 'lac.test', clock: steppingClock(link, { 'a:SCCRQ': 7, 'a:ICRQ': 11 }) });
    expect(r.success).toBe(true);
    const up = await lns.next('session-up', true);
    expect(r.localTunnelId).toBe(lns.fsm.peerTunnelId);
    expect(r.peerTunnelId).toBe(lns.fsm.localTunnelId);
    expect(r.localSessionId).toBe(up.peerSessionId);
    expect(r.peerSessionId).toBe(up.sessionId);
    expect(r.peerHostname).toBe('lns.test');
    expect(r.vendorName).toBe('responder');
    expect(r.peer?.protocolVersion).toEqual({ version: 1, revision: 0 });
    // SCCRQ → SCCRP took 7 ms of the stepping clock, ICRQ → ICRP 11: each timing is its own leg.
    expect(r.rtt).toBe(7);
    expect(r.sessionRtt).toBe(11);
    expect(r.latencyMs).toBe(18);
    const echoed = new Promise<Uint8Array>((res) => r.session!.onFrame(res));
    await r.session!.send(new Uint8Array([0xff, 0x03, 0xc0, 0x21, 9]));
    expect([...(await echoed)]).toEqual([0xff, 0x03, 0xc0, 0x21, 9]);
    await r.tunnel!.hello();
    await r.tunnel!.close();
    expect(r.session!.state).toBe('down');
    expect(link.a.closed).toBe(true);
    expect(ladder(link.log)).toEqual(expect.arrayContaining(['a:ICRQ', 'b:ICRP', 'a:ICCN', 'a:HELLO', 'a:StopCCN']));
    await lns.stop();
  });

  it('a refused call: success false with the CDN result; the tunnel is closed for us', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { acceptCalls: false });
    const r = await establishSession(link.a);
    expect(r.success).toBe(false);
    expect(r.result?.result).toBe(3);
    expect(r.error?.code).toBe('PEER_STOPPED');
    expect(r.peerHostname).toBe('lns.test');
    expect(r.tunnel).toBeUndefined();
    expect(Number.isNaN(r.latencyMs)).toBe(true);
    expect(link.a.closed).toBe(true);
    expect(ladder(link.log)).toContain('a:StopCCN');
    await lns.stop();
  });

  it('an outgoing call when asked', async () => {
    const link = memoryTransportPair();
    // The peer advertises Bearer Capabilities: it places outgoing calls (RFC 2661 §6.9).
    const lns = new Responder(link.b, { bearerCapabilities: 2 });
    const r = await establishSession(link.a, { call: { kind: 'outgoing', calledNumber: '42' } });
    expect(r.success).toBe(true);
    expect(r.session!.kind).toBe('outgoing');
    await r.tunnel!.close();
    await lns.stop();
  });

  it('a peer that never answers the call: TIMEOUT within the overall timeout, everything released', async () => {
    vi.useFakeTimers();
    const link = memoryTransportPair({ filter: (m) => typeName(m) !== 'ICRP' });
    const lns = new Responder(link.b, { clock: () => Date.now() });
    const p = rejection(establishSession(link.a, { timeout: 4000, clock: () => Date.now() }));
    await vi.advanceTimersByTimeAsync(8000);
    const e = await p;
    expect(e.code).toBe('TIMEOUT');
    expect(link.a.closed).toBe(true);
    await lns.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
