import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { L2tpError } from '../../src/wire/errors.js';
import { tcpListener, tcpTransport, type TcpListener } from '../../src/transports/node-tcp.js';
import type { Transport } from '../../src/client/transport.js';
import { fromHex, loadHex, toHex } from '../support/vectors.js';
import { baseline, leakedSince } from './handles.js';

/** Real messages from two xl2tpd peers: control (c802…) and two L=1 data messages (4002…). */
const DATA = loadHex('data').map((f) => f.bytes);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

async function rejection(p: Promise<unknown>): Promise<L2tpError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(L2tpError);
  return e as L2tpError;
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

/** A plain `net` server (not ours) whose connection handler writes raw bytes. */
async function rawServer(host: string, onSocket: (s: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen({ host, port: 0 }, r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function echoListener(host: string): Promise<TcpListener> {
  const l = await tcpListener({ host, port: 0 });
  l.onConnection((t) => t.onMessage((m) => void t.send(m)));
  return l;
}

describe('tcpTransport / tcpListener (loopback)', () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`echoes whole messages over ${host} through our listener, and leaves no handle open`, async () => {
      const before = await baseline();
      const server = await echoListener(host);
      const port = server.address().port;
      const t = await tcpTransport({ host, port });
      expect(t.kind).toBe('stream');
      expect(t.remote).toEqual({ address: host, port });
      const back = collect(t, DATA.length);
      for (const m of DATA) await t.send(m);
      expect(await back).toEqual(DATA.map(toHex));
      expect(server.connections).toBe(1);
      const closes: unknown[] = [];
      t.onClose((e) => closes.push(e));
      await t.close();
      await server.close(); // also closes the accepted side
      expect(closes).toEqual([undefined]);
      expect(server.connections).toBe(0);
      expect(await leakedSince(before)).toEqual({});
    });
  }

  it('reframes messages that arrive one byte per TCP segment', async () => {
    const stream = concat(DATA);
    const server = await rawServer('127.0.0.1', async (s) => {
      s.setNoDelay(true);
      for (let i = 0; i < stream.length; i++) {
        s.write(stream.subarray(i, i + 1));
        if (i % 8 === 0) await sleep(1); // let the reader see small pieces, not one coalesced read
      }
    });
    const t = await tcpTransport({ host: '127.0.0.1', port: server.port });
    expect(await collect(t, DATA.length)).toEqual(DATA.map(toHex));
    await Promise.all([t.close(), server.close()]);
  });

  it('splits messages merged into one write', async () => {
    const server = await rawServer('::1', (s) => s.write(concat(DATA)));
    const t = await tcpTransport({ host: '::1', port: server.port });
    expect(await collect(t, DATA.length)).toEqual(DATA.map(toHex));
    await Promise.all([t.close(), server.close()]);
  });

  it("sends an L2TPv2 data message without L with its Length inserted (xl2tpd's own L=1 bytes), and an L2TPv3 data message with its length in Reserved", async () => {
    const real = DATA.find((m) => m[0] === 0x40)!;
    const noL = concat([fromHex('0002'), real.subarray(4)]); // RFC 2661 §3.1 layout without Length
    // RFC 3931 §4.1.2.1 over UDP: T=0 Ver=3, Reserved 0, Session ID 1, 2 payload bytes; on a stream
    // (our convention) Reserved carries the length, 10.
    const v3 = fromHex('0003 0000 0000 0001 ff03');
    const v3OnStream = fromHex('0003 000a 0000 0001 ff03');
    let received: Uint8Array = new Uint8Array(0);
    let done!: () => void;
    const arrived = new Promise<void>((r) => (done = r));
    const server = await rawServer('127.0.0.1', (s) =>
      s.on('data', (c: Uint8Array) => {
        received = concat([received, c]);
        if (received.length >= real.length + v3.length) done();
      }),
    );
    const t = await tcpTransport({ host: '127.0.0.1', port: server.port });
    await t.send(noL);
    await t.send(v3);
    await arrived;
    expect(toHex(received)).toBe(toHex(concat([real, v3OnStream])));
    expect(toHex(v3)).toBe(toHex(fromHex('0003 0000 0000 0001 ff03'))); // the caller's bytes untouched
    expect(() => t.send(fromHex('0003 0000 0000 01'))).toThrow(RangeError); // under the 8-byte v3 data header
    await Promise.all([t.close(), server.close()]);
  });

  it('receives an L2TPv3 data message framed by its Reserved bytes, handed up with them back at 0 (the UDP bytes)', async () => {
    const server = await rawServer('127.0.0.1', (s) => s.write(fromHex('0003 000c 0000 0005 dead beef 0003 0009 0000 0006 aa')));
    const t = await tcpTransport({ host: '127.0.0.1', port: server.port });
    expect(await collect(t, 2)).toEqual([toHex(fromHex('0003 0000 0000 0005 dead beef')), toHex(fromHex('0003 0000 0000 0006 aa'))]);
    await Promise.all([t.close(), server.close()]);
  });

  it('lost framing (a peer that is not speaking L2TP) → onError BAD_VERSION, then the transport closes', async () => {
    const server = await rawServer('127.0.0.1', (s) => s.write(concat([DATA[0]!, new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n')])));
    const t = await tcpTransport({ host: '127.0.0.1', port: server.port });
    const got: string[] = [];
    t.onMessage((m) => got.push(toHex(m)));
    const err = new Promise<Error>((r) => t.onError(r));
    const closed = new Promise<Error | undefined>((r) => t.onClose(r));
    const e = await err;
    expect((e as L2tpError).code).toBe('BAD_VERSION');
    expect((e as L2tpError).offset).toBe(DATA[0]!.length + 1);
    expect(await closed).toBe(e);
    expect(t.closed).toBe(true);
    expect(got).toEqual([toHex(DATA[0]!)]);
    expect((await rejection(Promise.resolve().then(() => t.send(DATA[0]!)))).code).toBe('TRANSPORT');
    await Promise.all([t.close(), server.close()]);
  });

  it('a peer that closes in the middle of a message → onError TRUNCATED; the close handler gets it', async () => {
    const server = await rawServer('127.0.0.1', (s) => s.end(DATA[0]!.subarray(0, 20)));
    const t = await tcpTransport({ host: '127.0.0.1', port: server.port });
    t.onMessage(() => {});
    const closed = new Promise<Error | undefined>((r) => t.onClose(r));
    const e = await closed;
    expect((e as L2tpError).code).toBe('TRUNCATED');
    await Promise.all([t.close(), server.close()]);
  });

  it('an orderly close by the peer at a message boundary → onClose(undefined)', async () => {
    const server = await rawServer('127.0.0.1', (s) => s.end(DATA[0]!));
    const t = await tcpTransport({ host: '127.0.0.1', port: server.port });
    const got = collect(t, 1);
    expect(await new Promise<Error | undefined>((r) => t.onClose(r))).toBeUndefined();
    expect(await got).toEqual([toHex(DATA[0]!)]);
    await server.close();
  });

  it('bytes sent before onMessage is registered wait in the socket, nothing is lost', async () => {
    const server = await rawServer('127.0.0.1', (s) => s.write(concat(DATA.slice(0, 3))));
    const t = await tcpTransport({ host: '127.0.0.1', port: server.port });
    await sleep(100);
    expect(await collect(t, 3)).toEqual(DATA.slice(0, 3).map(toHex));
    await Promise.all([t.close(), server.close()]);
  });

  it('the listener holds connections accepted before onConnection is registered', async () => {
    const l = await tcpListener({ host: '127.0.0.1', port: 0 });
    const t = await tcpTransport({ host: '127.0.0.1', port: l.address().port });
    await t.send(DATA[0]!);
    await sleep(50);
    const accepted = new Promise<Transport>((r) => l.onConnection(r));
    const server = await accepted;
    expect(server.remote).toEqual(t.local);
    expect(await collect(server, 1)).toEqual([toHex(DATA[0]!)]);
    await Promise.all([t.close(), l.close()]);
    expect(server.closed).toBe(true);
  });

  it('a refused connection (closed port) rejects with TRANSPORT, cause ECONNREFUSED, nothing left open', async () => {
    const gone = await rawServer('127.0.0.1', () => {});
    await gone.close();
    const before = await baseline();
    const e = await rejection(tcpTransport({ host: '127.0.0.1', port: gone.port }));
    expect(e.code).toBe('TRANSPORT');
    expect((e.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(await leakedSince(before)).toEqual({});
  });

  describe('a peer that never answers the SYN', () => {
    // A loopback listener whose accept queue is full drops further SYNs (Linux, tcp_abort_on_overflow
    // = 0), so a connect to it hangs: a child process listens with backlog 1 and then blocks its
    // event loop, never accepting; a few filler connections fill the queue.
    let child: ChildProcess;
    let port: number;
    const fillers: net.Socket[] = [];
    beforeAll(async () => {
      const script = `const s=require('net').createServer();s.listen({host:'127.0.0.1',port:0,backlog:1},()=>{process.stdout.write(s.address().port+'\\n');Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0)})`;
      child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      port = await new Promise<number>((r) => child.stdout!.once('data', (d: Uint8Array) => r(Number(new TextDecoder().decode(d).trim()))));
      for (let i = 0; i < 8; i++) {
        const s = net.connect({ host: '127.0.0.1', port });
        s.on('error', () => {});
        fillers.push(s);
      }
      await sleep(100);
    });
    afterAll(async () => {
      for (const s of fillers) s.destroy();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    });

    it('connect timeout → TIMEOUT, on time, nothing left open', async () => {
      const before = await baseline();
      const start = Date.now();
      const e = await rejection(tcpTransport({ host: '127.0.0.1', port, timeout: 300 }));
      const took = Date.now() - start;
      expect(e.code).toBe('TIMEOUT');
      // Not early (a timer never fires before its time, however busy the machine); no upper
      // bound: only our timer produces TIMEOUT, and the OS connect timeout is minutes away.
      expect(took).toBeGreaterThanOrEqual(290);
      expect(await leakedSince(before)).toEqual({});
    });

    it('AbortSignal during the connect → ABORTED with the reason as cause, nothing left open', async () => {
      const before = await baseline();
      const ac = new AbortController();
      const reason = new Error('user gave up');
      setTimeout(() => ac.abort(reason), 50);
      const e = await rejection(tcpTransport({ host: '127.0.0.1', port, timeout: 5000, signal: ac.signal }));
      expect(e.code).toBe('ABORTED');
      expect(e.cause).toBe(reason);
      expect(await leakedSince(before)).toEqual({});
    });
  });

  it('an already aborted signal rejects with ABORTED before any socket exists', async () => {
    const before = await baseline();
    expect((await rejection(tcpTransport({ host: '127.0.0.1', port: 1701, signal: AbortSignal.abort() }))).code).toBe('ABORTED');
    expect((await rejection(tcpListener({ port: 0, signal: AbortSignal.abort() }))).code).toBe('ABORTED');
    expect(await leakedSince(before)).toEqual({});
  });

  it('a listen failure rejects with TRANSPORT (EADDRINUSE)', async () => {
    const taken = await tcpListener({ host: '127.0.0.1', port: 0 });
    const e = await rejection(tcpListener({ host: '127.0.0.1', port: taken.address().port }));
    expect(e.code).toBe('TRANSPORT');
    expect((e.cause as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    await taken.close();
  });

  it('rejects bad options with TypeError / RangeError', async () => {
    await expect(tcpTransport({ host: '' })).rejects.toThrow(TypeError);
    await expect(tcpTransport({ host: '127.0.0.1', timeout: 0 })).rejects.toThrow(/timeout/);
    await expect(tcpTransport({ host: '127.0.0.1', port: 65536 })).rejects.toThrow(RangeError);
    await expect(tcpListener({ host: 'localhost' })).rejects.toThrow(TypeError);
  });
});
