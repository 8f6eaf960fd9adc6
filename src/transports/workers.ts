/**
 * L2TP over TCP from a Cloudflare Worker, with `connect()` from `cloudflare:sockets` — **not in any
 * RFC** (L2TP is defined over UDP and IP): messages are framed by the header's Length field, every
 * one carrying L=1, and an L2TPv3 data message by its length in its Reserved bytes 2–3 (see
 * `stream-framer.ts`). Workers cannot open UDP sockets, so against a real LNS
 * (xl2tpd, which speaks only UDP) run a TCP↔UDP relay (`createRelay` in `l2tp-wire/node`) next to it.
 *
 * Isomorphic except for the `cloudflare:sockets` import: no `node:` modules, no DOM typings. The
 * socket's types come from `@cloudflare/workers-types` (a dev dependency; type-only import, so
 * nothing of it reaches the build or the published `.d.ts`).
 * @module
 */
import type { ReadableStreamDefaultReader, Socket, SocketAddress, SocketOptions, WritableStreamDefaultWriter } from '@cloudflare/workers-types/index.js';
// The module exists only inside workerd and has no declaration here (its types are the cast
// below). @ts-ignore, not @ts-expect-error: a project that loads @cloudflare/workers-types
// globally does declare it, and this file must compile there too.
// @ts-ignore
import { connect as runtimeConnect } from 'cloudflare:sockets';
import type { Transport, TransportAddress } from '../client/transport.js';
import { assertInt } from '../wire/bytes.js';
import { L2tpError } from '../wire/errors.js';
import { TransportEvents } from './events.js';
import { StreamFramer, toStreamMessage } from './stream-framer.js';
import { abortedError, transportError } from './transport-errors.js';

/** `connect()` of `cloudflare:sockets`, typed. */
const connect = runtimeConnect as (address: SocketAddress, options?: SocketOptions) => Socket;

/** Default port of {@link workersTransport}: 1701, mirroring UDP (no port is assigned for L2TP over TCP). */
const DEFAULT_PORT = 1701;
/** Default connect timeout of {@link workersTransport}, in milliseconds. */
const DEFAULT_TIMEOUT = 10_000;
/** How long {@link Transport.close} waits for queued writes to drain before cutting the connection. */
const CLOSE_DRAIN_MS = 1_000;

/** The part of `AbortSignal` used here; every runtime's `AbortSignal` fits. */
export interface WorkersAbortSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Options for {@link workersTransport}. */
export interface WorkersTransportOptions {
  /** Host name or IP address of the peer (an l2tp-wire LNS with `tcp`, or a `createRelay` relay). */
  hostname: string;
  /** TCP port. Default 1701. */
  port?: number;
  /** Give up connecting after this many milliseconds: rejects with `L2tpError('TIMEOUT')`. Default 10 000. */
  timeout?: number;
  /** Abort the connect: rejects with `L2tpError('ABORTED')`. The signal governs the connect only. */
  signal?: WorkersAbortSignal;
}

/** Timers through `globalThis`, so this file needs no DOM or Node typings. */
const host = globalThis as unknown as { setTimeout(cb: () => void, ms: number): unknown; clearTimeout(h: unknown): void };

/**
 * Open an L2TP stream transport from a Cloudflare Worker (or workerd) to one peer over TCP.
 *
 * Resolves once the TCP connection is open. Rejects with `L2tpError('TRANSPORT')` (cause attached)
 * when the connection is refused or fails (including a `connect()` the runtime forbids, e.g. to a
 * Cloudflare IP), `TIMEOUT` after `timeout` ms, `ABORTED` when `signal` fires; nothing is left open
 * after a rejection. `TypeError`/`RangeError` for bad options.
 *
 * Sending: each message goes through `toStreamMessage` (an L2TPv2 message without L=1 gets its
 * Length field inserted; an L2TPv3 data message gets its length in its Reserved bytes, our
 * convention, set back to 0 on receipt). Receiving starts when the first message handler is registered; framing errors are reported
 * through `onError` and close the transport.
 *
 * Like every socket in a Worker, the transport belongs to the request (or Durable Object) that
 * opened it: use it within that request's lifetime.
 *
 * @example
 * ```ts
 * import { probe } from 'l2tp-wire';
 * import { workersTransport } from 'l2tp-wire/workers';
 * const transport = await workersTransport({ hostname: 'relay.example.net', port: 1701, timeout: 5000 });
 * const result = await probe(transport, { hostName: 'worker' });
 * ```
 */
export async function workersTransport(options: WorkersTransportOptions): Promise<Transport> {
  if (options === null || typeof options !== 'object') throw new TypeError('workersTransport(options): options must be an object');
  const { hostname, port = DEFAULT_PORT, timeout = DEFAULT_TIMEOUT, signal } = options;
  if (typeof hostname !== 'string' || hostname === '') throw new TypeError('workersTransport: hostname must be a non-empty string');
  assertInt(port, 1, 0xffff, 'workersTransport: port');
  assertInt(timeout, 1, 2 ** 31 - 1, 'workersTransport: timeout (ms)');
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.addEventListener !== 'function')) {
    throw new TypeError('workersTransport: signal must be an AbortSignal');
  }
  const what = `TCP to ${hostname}:${port}`;
  if (signal?.aborted) throw abortedError(what, signal.reason);

  let socket: Socket;
  try {
    // allowHalfOpen false: when the peer ends its side, the runtime closes ours too (one close event).
    socket = connect({ hostname, port }, { allowHalfOpen: false });
  } catch (e) {
    // connect() throws synchronously for an address the runtime refuses outright.
    throw transportError(what, e);
  }
  let timer: unknown;
  let onAbort: (() => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = host.setTimeout(() => reject(new L2tpError('TIMEOUT', `${what}: no connection after ${timeout} ms`)), timeout);
    if (signal) {
      onAbort = () => reject(abortedError(what, signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    await Promise.race([socket.opened.catch((e: unknown) => Promise.reject(transportError(what, e))), failed]);
  } catch (e) {
    // Leave nothing open; the close itself may fail on a socket that never opened.
    await socket.close().catch(() => undefined);
    throw e;
  } finally {
    host.clearTimeout(timer);
    if (onAbort) signal!.removeEventListener('abort', onAbort);
  }
  return new WorkersTransport(socket, { address: hostname, port }, what);
}

/** A connected Workers `Socket` as a stream {@link Transport}. @internal */
class WorkersTransport implements Transport {
  readonly kind = 'stream' as const;
  readonly local: TransportAddress | undefined = undefined;
  private readonly events: TransportEvents;
  private readonly framer: StreamFramer;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** The error that ends the connection, handed to the close handler. */
  private fatal: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly socket: Socket,
    readonly remote: TransportAddress,
    private readonly what: string,
  ) {
    this.writer = socket.writable.getWriter() as WritableStreamDefaultWriter<Uint8Array>;
    this.framer = new StreamFramer((m) => this.events.message(m));
    // Reading starts only once a receiver exists: until then the bytes wait in the runtime's
    // stream (TCP flow control), so nothing is lost and nothing piles up here.
    this.events = new TransportEvents(Infinity, () => void this.readLoop());
    // The socket's `closed` promise settles once, whoever closed it (us, the peer, a reset).
    socket.closed.then(
      () => this.events.close(this.fatal),
      (e: unknown) => {
        this.fail(transportError(this.what, e));
        this.events.close(this.fatal);
      },
    );
  }

  get closed(): boolean {
    return this.closing !== undefined || this.events.closed;
  }

  private async readLoop(): Promise<void> {
    const reader = (this.reader = this.socket.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          this.framer.end(); // throws TRUNCATED when the peer stopped mid-message
          break;
        }
        // Default-reader chunks are fresh arrays: the framer may keep views into them.
        this.framer.push(value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer));
      }
    } catch (e) {
      // A framing error (the stream cannot be resynchronised) or a read failure (reset).
      if (this.closing === undefined) this.fail(e instanceof L2tpError ? e : transportError(this.what, e));
    }
    void this.close();
  }

  private fail(e: Error): void {
    if (this.fatal) return;
    this.fatal = e;
    this.events.error(e);
  }

  send(message: Uint8Array): Promise<void> {
    const framed = toStreamMessage(message);
    if (this.closed) return Promise.reject(new L2tpError('TRANSPORT', `${this.what}: transport is closed`));
    return this.writer.write(framed).catch((e: unknown) => Promise.reject(transportError(this.what, e)));
  }

  onMessage(handler: (message: Uint8Array) => void): void {
    this.events.setMessageHandler(handler);
  }

  onError(handler: (error: Error) => void): void {
    this.events.setErrorHandler(handler);
  }

  onClose(handler: (error?: Error) => void): void {
    this.events.setCloseHandler(handler);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Send what was queued (writer.close() resolves once it is flushed), then close both
      // directions; cut the connection if the peer does not take the bytes in time.
      let timer: unknown;
      const drained = this.writer.close().catch(() => undefined);
      const late = new Promise<void>((res) => (timer = host.setTimeout(res, CLOSE_DRAIN_MS)));
      await Promise.race([drained, late]);
      host.clearTimeout(timer);
      await this.socket.close().catch(() => undefined);
      await this.socket.closed.catch(() => undefined);
      this.events.close(this.fatal);
    })();
    return this.closing;
  }
}
