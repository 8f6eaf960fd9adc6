import { describe, expect, it } from 'vitest';
import { L2tpError } from '../../src/wire/errors.js';
import { udpListener, udpTransport, type DatagramPeer, type UdpListener } from '../../src/transports/node-udp.js';
import type { Transport } from '../../src/client/transport.js';
import { loadHex, toHex } from '../support/vectors.js';
import { baseline, leakedSince } from './handles.js';

const PLAIN = loadHex('plain').map((f) => f.bytes);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

/** A listener that sends every datagram back where it came from. */
async function echoServer(host: string): Promise<UdpListener> {
  const l = await udpListener({ host, port: 0 });
  l.onMessage((m, from) => void l.send(m, from.address, from.port));
  return l;
}

function collect(t: Transport, n: number): Promise<string[]> {
  const got: string[] = [];
  return new Promise((resolve) =>
    t.onMessage((m) => {
      expect(Object.getPrototypeOf(m)).toBe(Uint8Array.prototype); // never a Node Buffer
      got.push(toHex(m));
      if (got.length === n) resolve(got);
    }),
  );
}

describe('udpTransport / udpListener (loopback)', () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`echoes whole messages over ${host} and leaves no handle open`, async () => {
      const before = await baseline();
      const server = await echoServer(host);
      const port = server.address().port;
      expect(port).toBeGreaterThan(0);
      expect(server.address().family).toBe(host.includes(':') ? 'IPv6' : 'IPv4');
      const t = await udpTransport({ host, port });
      expect(t.kind).toBe('datagram');
      expect(t.remote).toEqual({ address: host, port });
      expect(t.local?.address).toBe(host);
      const msgs = PLAIN.slice(0, 5);
      const back = collect(t, msgs.length);
      for (const m of msgs) await t.send(m);
      expect(await back).toEqual(msgs.map(toHex));
      const closes: unknown[] = [];
      t.onClose((e) => closes.push(e));
      await Promise.all([t.close(), t.close(), server.close()]);
      expect(t.closed).toBe(true);
      await sleep(0);
      expect(closes).toEqual([undefined]);
      expect(await leakedSince(before)).toEqual({});
    });
  }

  for (const host of ['127.0.0.1', '::1']) {
    it(`post(): echoes over ${host} without a promise; a send that fails reaches onError as TRANSPORT`, async () => {
      const l = await udpListener({ host, port: 0 });
      l.onMessage((m, from) => l.post(m, from.address, from.port));
      const errors: unknown[] = [];
      l.onError((e) => errors.push(e));
      const t = await udpTransport({ host, port: l.address().port });
      const back = collect(t, 3);
      for (const m of PLAIN.slice(0, 3)) await t.send(m);
      expect(await back).toEqual(PLAIN.slice(0, 3).map(toHex));
      expect(errors).toEqual([]);
      // 70,000 bytes is over the UDP maximum: the kernel refuses it (EMSGSIZE).
      expect(l.post(new Uint8Array(70_000), host, t.local!.port)).toBeUndefined();
      for (let i = 0; i < 50 && errors.length === 0; i++) await sleep(10);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(L2tpError);
      expect((errors[0] as L2tpError).code).toBe('TRANSPORT');
      await Promise.all([t.close(), l.close()]);
      l.post(PLAIN[0]!, host, 9); // closed: dropped, no throw
    });
  }

  it("resolves 'localhost' (family 4) with the system resolver", async () => {
    const server = await echoServer('127.0.0.1');
    const t = await udpTransport({ host: 'localhost', port: server.address().port, family: 4 });
    expect(t.remote?.address).toBe('127.0.0.1');
    const back = collect(t, 1);
    await t.send(PLAIN[0]!);
    expect(await back).toEqual([toHex(PLAIN[0]!)]);
    await Promise.all([t.close(), server.close()]);
  });

  it('reports an ICMP port unreachable as TRANSPORT (ECONNREFUSED) and stays usable', async () => {
    const gone = await udpListener({ host: '127.0.0.1', port: 0 });
    const port = gone.address().port;
    await gone.close();
    const t = await udpTransport({ host: '127.0.0.1', port });
    const err = new Promise<Error>((r) => t.onError(r));
    await t.send(PLAIN[0]!);
    const e = await err;
    expect(e).toBeInstanceOf(L2tpError);
    expect((e as L2tpError).code).toBe('TRANSPORT');
    expect((e.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(t.closed).toBe(false);
    await t.send(PLAIN[0]!); // still open: the peer may come up later
    await t.close();
  });

  it('RFC 2661 §8.1 reply from another port: dropped when connected, followed with followReplyPort', async () => {
    // The "LNS" receives on one socket and answers from another (a port of its own choosing).
    const front = await udpListener({ host: '127.0.0.1', port: 0 });
    const back = await udpListener({ host: '127.0.0.1', port: 0 });
    front.onMessage((m, from) => void back.send(m, from.address, from.port));
    const connected = await udpTransport({ host: '127.0.0.1', port: front.address().port });
    const following = await udpTransport({ host: '127.0.0.1', port: front.address().port, followReplyPort: true });
    const gotConnected: Uint8Array[] = [];
    connected.onMessage((m) => gotConnected.push(m));
    const gotFollowing: string[] = [];
    const first = new Promise<void>((r) => following.onMessage((m) => (gotFollowing.push(toHex(m)), r())));
    await connected.send(PLAIN[0]!);
    await following.send(PLAIN[1]!);
    await first;
    expect(gotFollowing).toEqual([toHex(PLAIN[1]!)]);
    expect(following.remote).toEqual({ address: '127.0.0.1', port: back.address().port });
    // The port is now fixed: a datagram from the original port is dropped; the new port is used.
    const whereFrom = new Promise<DatagramPeer>((r) => back.onMessage((_m, from) => r(from)));
    await front.send(PLAIN[2]!, '127.0.0.1', following.local!.port);
    await following.send(PLAIN[3]!);
    expect((await whereFrom).port).toBe(following.local!.port);
    await sleep(100);
    expect(gotFollowing).toHaveLength(1);
    expect(gotConnected).toHaveLength(0); // the kernel filtered the other port
    await Promise.all([connected.close(), following.close(), front.close(), back.close()]);
  });

  it('holds datagrams that arrive before a handler is registered', async () => {
    const server = await udpListener({ host: '127.0.0.1', port: 0 });
    const t = await udpTransport({ host: '127.0.0.1', port: server.address().port });
    const from = new Promise<DatagramPeer>((r) => server.onMessage((_m, f) => r(f)));
    await t.send(PLAIN[0]!);
    const peer = await from;
    await server.send(PLAIN[1]!, peer.address, peer.port);
    await server.send(PLAIN[2]!, peer.address, peer.port);
    await sleep(50);
    expect(await collect(t, 2)).toEqual([toHex(PLAIN[1]!), toHex(PLAIN[2]!)]);
    await Promise.all([t.close(), server.close()]);
  });

  it('send after close rejects with TRANSPORT', async () => {
    const t = await udpTransport({ host: '127.0.0.1', port: 1701 });
    await t.close();
    const e = await rejection(Promise.resolve().then(() => t.send(PLAIN[0]!)));
    expect(e).toBeInstanceOf(L2tpError);
    expect((e as L2tpError).code).toBe('TRANSPORT');
    const l = await udpListener({ host: '127.0.0.1', port: 0 });
    await l.close();
    expect(((await rejection(l.send(PLAIN[0]!, '127.0.0.1', 1701))) as L2tpError).code).toBe('TRANSPORT');
  });

  it('an already aborted signal rejects with ABORTED and opens nothing', async () => {
    const before = await baseline();
    const reason = new Error('stop');
    const e = await rejection(udpTransport({ host: '127.0.0.1', port: 1701, signal: AbortSignal.abort(reason) }));
    expect(e).toBeInstanceOf(L2tpError);
    expect((e as L2tpError).code).toBe('ABORTED');
    expect((e as L2tpError).cause).toBe(reason);
    expect(((await rejection(udpListener({ port: 0, signal: AbortSignal.abort() }))) as L2tpError).code).toBe('ABORTED');
    expect(await leakedSince(before)).toEqual({});
  });

  it('a bind failure rejects with TRANSPORT (EADDRINUSE) and leaves nothing open', async () => {
    const taken = await udpListener({ host: '127.0.0.1', port: 0 });
    const before = await baseline();
    const e = await rejection(udpListener({ host: '127.0.0.1', port: taken.address().port }));
    expect((e as L2tpError).code).toBe('TRANSPORT');
    expect(((e as L2tpError).cause as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    const e2 = await rejection(udpTransport({ host: '127.0.0.1', port: 1701, localAddress: '127.0.0.1', localPort: taken.address().port }));
    expect((e2 as L2tpError).code).toBe('TRANSPORT');
    expect(await leakedSince(before)).toEqual({});
    await taken.close();
  });

  it('rejects bad options with TypeError / RangeError', async () => {
    await expect(udpTransport({ host: '' })).rejects.toThrow(TypeError);
    await expect(udpTransport({ host: '127.0.0.1', port: 0 })).rejects.toThrow(RangeError);
    await expect(udpTransport({ host: '127.0.0.1', port: 70000 })).rejects.toThrow(/port must be an integer from 1 to 65535/);
    await expect(udpTransport({ host: '127.0.0.1', localAddress: 'example.org' })).rejects.toThrow(TypeError);
    await expect(udpTransport({ host: '127.0.0.1', family: 6 })).rejects.toThrow(/not an IPv6 address/);
    await expect(udpListener({ host: 'localhost' })).rejects.toThrow(TypeError);
    await expect(udpListener({ port: 0, recvBufferSize: 0 })).rejects.toThrow(/recvBufferSize/);
    await expect(udpTransport({ host: '127.0.0.1', followReplyPort: true, acceptReplyPort: 5 as never })).rejects.toThrow(/acceptReplyPort/);
  });

  it('udpListener asks the kernel for recvBufferSize (SO_RCVBUF) and reports what it granted', async () => {
    const small = await udpListener({ port: 0, recvBufferSize: 64 * 1024 });
    const big = await udpListener({ port: 0, recvBufferSize: 1024 * 1024 });
    // The kernel may round or double it (Linux doubles, capped by net.core.rmem_max): compare.
    expect(small.recvBufferSize).toBeGreaterThanOrEqual(64 * 1024);
    expect(big.recvBufferSize).toBeGreaterThan(small.recvBufferSize);
    await Promise.all([small.close(), big.close()]);
  });
});
