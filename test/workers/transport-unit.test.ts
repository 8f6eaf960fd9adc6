/**
 * `workersTransport` against a stand-in for `cloudflare:sockets` (web streams, as workerd's
 * `Socket` has): the paths the real runtime cannot be made to take on loopback — a connect that
 * never completes (TIMEOUT), an abort while connecting (ABORTED) — and the Transport contract's
 * bookkeeping. The real runtime is exercised by transport-workerd.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fake Workers `Socket` whose `opened` the test settles. */
class FakeSocket {
  opened: Promise<{ remoteAddress?: string }>;
  closed: Promise<void>;
  readonly written: Uint8Array[] = [];
  closeCalls = 0;
  openNow!: () => void;
  failOpen!: (e: Error) => void;
  private endReadable!: () => void;
  private push!: (chunk: Uint8Array) => void;
  private resolveClosed!: () => void;
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;

  constructor(readonly address: { hostname: string; port: number }) {
    this.opened = new Promise((res, rej) => {
      this.openNow = () => res({ remoteAddress: `${address.hostname}:${address.port}` });
      this.failOpen = rej;
    });
    this.opened.catch(() => undefined);
    this.closed = new Promise((res) => (this.resolveClosed = res));
    this.readable = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.push = (chunk) => c.enqueue(chunk);
        this.endReadable = () => c.close();
      },
    });
    this.writable = new WritableStream<Uint8Array>({ write: (chunk) => void this.written.push(chunk) });
  }

  /** The peer sends bytes. */
  receive(chunk: Uint8Array): void {
    this.push(chunk);
  }

  /** The peer ends the connection. */
  end(): void {
    this.endReadable();
    this.resolveClosed();
  }

  close(): Promise<void> {
    this.closeCalls++;
    this.resolveClosed();
    return Promise.resolve();
  }
}

const sockets: FakeSocket[] = [];
vi.mock('cloudflare:sockets', () => ({
  connect: (address: { hostname: string; port: number }) => {
    const s = new FakeSocket(address);
    sockets.push(s);
    return s;
  },
}));

const { workersTransport } = await import('../../src/transports/workers.js');

afterEach(() => {
  vi.useRealTimers();
  sockets.length = 0;
});

/** A ZLB from xl2tpd (plain.hex #4): flags c802, Length 12, tid 46452, Ns 1, Nr 2. */
const ZLB = Uint8Array.from([0xc8, 0x02, 0x00, 0x0c, 0xb5, 0x74, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02]);

describe('workersTransport (fake cloudflare:sockets)', () => {
  it('rejects with TIMEOUT when the connection does not open in time, and closes the socket', async () => {
    vi.useFakeTimers();
    const p = workersTransport({ hostname: '192.0.2.1', port: 1701, timeout: 500 });
    const settled = expect(p).rejects.toMatchObject({ name: 'L2tpError', code: 'TIMEOUT', message: expect.stringMatching(/no connection after 500 ms/) });
    await vi.advanceTimersByTimeAsync(500);
    await settled;
    expect(sockets[0]!.closeCalls).toBe(1);
  });

  it('rejects with ABORTED when the signal fires while connecting (reason as cause)', async () => {
    const c = new AbortController();
    const p = workersTransport({ hostname: '192.0.2.1', signal: c.signal });
    const reason = new Error('user gave up');
    c.abort(reason);
    await expect(p).rejects.toMatchObject({ code: 'ABORTED', cause: reason });
    expect(sockets[0]!.closeCalls).toBe(1);
  });

  it('rejects with TRANSPORT (cause attached) when opening fails', async () => {
    const p = workersTransport({ hostname: '192.0.2.1', port: 1702 });
    const cause = new Error('connection refused');
    sockets[0]!.failOpen(cause);
    await expect(p).rejects.toMatchObject({ code: 'TRANSPORT', cause, message: expect.stringMatching(/TCP to 192\.0\.2\.1:1702: connection refused/) });
  });

  it('connects to hostname:port (default 1701), holds received bytes until a handler exists, and frames them', async () => {
    const p = workersTransport({ hostname: 'lns.example' });
    expect(sockets[0]!.address).toEqual({ hostname: 'lns.example', port: 1701 });
    sockets[0]!.openNow();
    const t = await p;
    expect(t.kind).toBe('stream');
    expect(t.remote).toEqual({ address: 'lns.example', port: 1701 });
    sockets[0]!.receive(Uint8Array.from([...ZLB, ...ZLB.subarray(0, 5)]));
    await new Promise((r) => setTimeout(r, 5));
    const got: Uint8Array[] = [];
    t.onMessage((m) => got.push(m));
    sockets[0]!.receive(ZLB.subarray(5));
    await expect.poll(() => got.length).toBe(2);
    expect(got.map((m) => [...m])).toEqual([[...ZLB], [...ZLB]]);
  });

  it('onClose fires once with no error when the peer ends the stream; send then rejects with TRANSPORT', async () => {
    const p = workersTransport({ hostname: 'lns.example' });
    sockets[0]!.openNow();
    const t = await p;
    const closes: unknown[] = [];
    t.onClose((e) => closes.push(e));
    t.onMessage(() => {});
    sockets[0]!.end();
    await expect.poll(() => closes.length).toBe(1);
    expect(closes).toEqual([undefined]);
    expect(t.closed).toBe(true);
    await expect(t.send(ZLB)).rejects.toMatchObject({ code: 'TRANSPORT' });
    await t.close();
    await t.close();
    expect(closes).toHaveLength(1);
  });

  it('send writes the message as is when it carries L=1; misuse throws synchronously', async () => {
    const p = workersTransport({ hostname: 'lns.example' });
    sockets[0]!.openNow();
    const t = await p;
    await t.send(ZLB);
    expect(sockets[0]!.written.map((m) => [...m])).toEqual([[...ZLB]]);
    expect(() => t.send('nope' as never)).toThrow(TypeError);
    await t.close();
  });

  it('rejects bad options with a TypeError/RangeError saying what to change', async () => {
    await expect(workersTransport({ hostname: '' })).rejects.toThrow(/hostname must be a non-empty string/);
    await expect(workersTransport({ hostname: 'x', port: 65536 })).rejects.toThrow(RangeError);
    await expect(workersTransport({ hostname: 'x', timeout: 0 })).rejects.toThrow(/timeout/);
    await expect(workersTransport({ hostname: 'x', signal: {} as never })).rejects.toThrow(/signal must be an AbortSignal/);
    await expect(workersTransport(undefined as never)).rejects.toThrow(TypeError);
    expect(sockets).toHaveLength(0);
  });

  it('a pre-aborted signal rejects before any socket is opened', async () => {
    await expect(workersTransport({ hostname: 'x', signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(sockets).toHaveLength(0);
  });
});
