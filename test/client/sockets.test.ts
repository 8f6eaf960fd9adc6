/**
 * The driver over real loopback sockets: our client (`udpTransport`, `tcpTransport`) against the
 * test responder on a `udpListener`/`tcpListener`, and proof that closing leaves no handle open.
 */
import { describe, expect, it } from 'vitest';
import { establishSession } from '../../src/client/establish.js';
import { openTunnel } from '../../src/client/open.js';
import { probe } from '../../src/client/probe.js';
import type { Transport, TransportAddress } from '../../src/client/transport.js';
import { tcpListener, tcpTransport } from '../../src/transports/node-tcp.js';
import { udpListener, udpTransport, type UdpListener } from '../../src/transports/node-udp.js';
import { baseline, leakedSince } from '../transports/handles.js';
import { Responder } from './responder.js';
import { rejection } from './support.js';

/** A listener seen as a Transport to the first peer that sends to it (enough for one tunnel). */
function firstPeer(listener: UdpListener): Transport {
  let peer: TransportAddress | undefined;
  let handler: (m: Uint8Array) => void = () => {};
  let closed = false;
  listener.onMessage((m, from) => {
    peer ??= { address: from.address, port: from.port };
    if (from.address === peer.address && from.port === peer.port) handler(m);
  });
  return {
    kind: 'datagram',
    get remote() {
      return peer;
    },
    local: listener.address(),
    get closed() {
      return closed;
    },
    send: (m) => (peer ? listener.send(m, peer.address, peer.port) : Promise.resolve()),
    onMessage: (h) => void (handler = h),
    onError: () => {},
    onClose: () => {},
    close: async () => {
      closed = true;
      await listener.close();
    },
  };
}

async function lnsOnLoopback(options: ConstructorParameters<typeof Responder>[1] = {}) {
  const listener = await udpListener({ host: '127.0.0.1', port: 0 });
  const lns = new Responder(firstPeer(listener), options);
  return { lns, port: listener.address().port };
}

describe('over loopback UDP', () => {
  it('probe, then a full tunnel + session with frames echoed, hello and close; no handle left', async () => {
    const before = await baseline();
    {
      const { lns, port } = await lnsOnLoopback({ secret: 'l2tp-wire-test-secret', hideAvps: true });
      const r = await establishSession(await udpTransport({ host: '127.0.0.1', port }), { secret: 'l2tp-wire-test-secret', hideAvps: true, timeout: 5000 });
      expect(r.success).toBe(true);
      expect(r.peer?.authenticated).toBe(true);
      const got: number[] = [];
      r.session!.onFrame((f) => got.push(f[4]!));
      for (let i = 0; i < 10; i++) await r.session!.send(new Uint8Array([0xff, 0x03, 0xc0, 0x21, i]));
      await expect.poll(() => got.length).toBe(10);
      expect(got.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await r.tunnel!.hello();
      await r.tunnel!.close();
      expect(r.tunnel!.transport.closed).toBe(true);
      expect((await lns.next('stopped', true)).by).toBe('peer');
      await lns.stop();
    }
    {
      const { lns, port } = await lnsOnLoopback();
      const before = performance.now();
      const p = await probe(await udpTransport({ host: '127.0.0.1', port }), { timeout: 5000 });
      const elapsed = performance.now() - before;
      expect(p.success).toBe(true);
      expect(p.peerHostname).toBe('lns.test');
      // A real round trip, in ms, within the call: no absolute bound (the machine may be busy).
      expect(p.rtt).toBeGreaterThan(0);
      expect(p.rtt).toBeLessThanOrEqual(elapsed);
      await lns.stop();
    }
    expect(await leakedSince(before)).toEqual({});
  });

  it('nothing listening: TRANSPORT (ICMP port unreachable on a connected socket) or TIMEOUT, and nothing left open', async () => {
    const before = await baseline();
    // Bind and close a listener to find a port with nobody on it.
    const probeListener = await udpListener({ host: '127.0.0.1', port: 0 });
    const port = probeListener.address().port;
    await probeListener.close();
    const t = await udpTransport({ host: '127.0.0.1', port });
    const e = await rejection(openTunnel(t, { timeout: 2000 }));
    expect(['TRANSPORT', 'TIMEOUT']).toContain(e.code);
    expect(t.closed).toBe(true);
    expect(await leakedSince(before)).toEqual({});
  });

  it('abort mid-open over UDP: ABORTED, socket and timer released', async () => {
    const before = await baseline();
    const { lns, port } = await lnsOnLoopback();
    // A responder that never answers: drop what arrives.
    lns.transport.onMessage(() => {});
    const ac = new AbortController();
    const t = await udpTransport({ host: '127.0.0.1', port });
    const p = rejection(openTunnel(t, { signal: ac.signal }));
    setTimeout(() => ac.abort(), 50);
    expect((await p).code).toBe('ABORTED');
    expect(t.closed).toBe(true);
    await lns.stop();
    expect(await leakedSince(before)).toEqual({});
  });
});

describe('over loopback TCP (stream framing, not in any RFC)', () => {
  it('a tunnel and session come up, frames (sent with L=1) are echoed, close releases the socket', async () => {
    const before = await baseline();
    const listener = await tcpListener({ host: '127.0.0.1', port: 0 });
    let lns: Responder | undefined;
    listener.onConnection((t) => (lns = new Responder(t)));
    const r = await establishSession(await tcpTransport({ host: '127.0.0.1', port: listener.address().port }), { timeout: 5000 });
    expect(r.success).toBe(true);
    const echoed = new Promise<Uint8Array>((res) => r.session!.onFrame(res));
    await r.session!.send(new Uint8Array([0xff, 0x03, 0xc0, 0x21, 7]));
    expect([...(await echoed)]).toEqual([0xff, 0x03, 0xc0, 0x21, 7]);
    // Exactly one frame reached the responder: the stream framer split the messages right.
    expect(lns!.of('frame')).toHaveLength(1);
    await r.tunnel!.close();
    await lns!.stop();
    await listener.close();
    expect(await leakedSince(before)).toEqual({});
  });
});
