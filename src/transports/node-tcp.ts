/// <reference types="node" />
/**
 * L2TP over TCP with Node's `node:net` — **not in any RFC** (L2TP is defined over UDP and IP):
 * messages are framed by the header's Length field, every one carrying L=1, and an L2TPv3 data
 * message by its length in its Reserved bytes 2–3 (see `stream-framer.ts`). Useful against a TCP↔UDP relay, or between two l2tp-wire peers.
 * @module
 */
import net from 'node:net';
import type { Transport, TransportAddress } from '../client/transport.js';
import { assertInt } from '../wire/bytes.js';
import { L2tpError } from '../wire/errors.js';
import { TransportEvents } from './events.js';
import { L2TP_PORT, plainBytes } from './node-udp.js';
import { StreamFramer, toStreamMessage } from './stream-framer.js';
import { ConnectionLimits, checkTcpLimits, type Limited, type TcpLimitReason, type TcpLimits } from './node-tcp-limits.js';
import { abortedError, transportError } from './transport-errors.js';

/**
 * Default connect timeout of {@link tcpTransport}, in milliseconds.
 * @example
 * ```ts
 * const t = await tcpTransport({ host: 'relay.example', timeout: DEFAULT_CONNECT_TIMEOUT / 2 });
 * ```
 */
export const DEFAULT_CONNECT_TIMEOUT = 10_000;
/** How long {@link Transport.close} waits for queued writes to drain before cutting the connection. */
const CLOSE_DRAIN_MS = 1_000;

/** Options for {@link tcpTransport}. */
export interface TcpTransportOptions {
  /** Peer host name or IPv4/IPv6 address (names resolved by Node, trying IPv6 and IPv4). */
  host: string;
  /** Peer TCP port. Default 1701 (no port is assigned for L2TP over TCP; this mirrors UDP). */
  port?: number;
  /** Use only IPv4 (4) or IPv6 (6) addresses when resolving `host`. */
  family?: 4 | 6;
  /** Local address to connect from. */
  localAddress?: string;
  /** Give up connecting after this many milliseconds: rejects with `L2tpError('TIMEOUT')`. Default 10 000. */
  timeout?: number;
  /** Abort the connect: rejects with `L2tpError('ABORTED')`. */
  signal?: AbortSignal;
}

/**
 * Open a TCP stream transport to one peer.
 *
 * Rejects with `L2tpError('TRANSPORT')` (cause attached) when the connection is refused or fails,
 * `TIMEOUT` after `timeout` ms, `ABORTED` when `signal` fires; nothing is left open after a
 * rejection. `TypeError`/`RangeError` for bad options.
 *
 * Sending: each message goes through `toStreamMessage` — an L2TPv2 message without L=1 gets its
 * Length field inserted; an L2TPv3 data message gets its length in its Reserved bytes (our
 * convention). Receiving: a v3 data message is handed up with those bytes back at 0 (its UDP
 * bytes); framing errors are reported through `onError` and close the transport.
 *
 * @example
 * ```ts
 * const t = await tcpTransport({ host: '127.0.0.1', port: 1701, timeout: 5000 });
 * ```
 */
export function tcpTransport(options: TcpTransportOptions): Promise<Transport> {
  if (options === null || typeof options !== 'object') return Promise.reject(new TypeError('tcpTransport(options): options must be an object'));
  const { host, port = L2TP_PORT, family, localAddress, timeout = DEFAULT_CONNECT_TIMEOUT, signal } = options;
  try {
    if (typeof host !== 'string' || host === '') throw new TypeError('tcpTransport: host must be a non-empty string');
    assertInt(port, 1, 0xffff, 'tcpTransport: port');
    assertInt(timeout, 1, 2 ** 31 - 1, 'tcpTransport: timeout (ms)');
    if (family !== undefined && family !== 4 && family !== 6) throw new RangeError(`tcpTransport: family must be 4 or 6, got ${String(family)}`);
    if (localAddress !== undefined && (typeof localAddress !== 'string' || !net.isIP(localAddress))) {
      throw new TypeError(`tcpTransport: localAddress must be an IPv4 or IPv6 address, got ${String(localAddress)}`);
    }
  } catch (e) {
    return Promise.reject(e);
  }
  const what = `TCP to ${host}:${port}`;
  if (signal?.aborted) return Promise.reject(abortedError(what, signal.reason));
  return new Promise<Transport>((resolve, reject) => {
    const socket = net.connect({ host, port, ...(family ? { family } : {}), ...(localAddress ? { localAddress } : {}) });
    const timer = setTimeout(() => fail(new L2tpError('TIMEOUT', `${what}: no connection after ${timeout} ms`)), timeout);
    const onAbort = () => fail(abortedError(what, signal!.reason));
    const onError = (e: Error) => fail(transportError(what, e));
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('connect', onConnect);
    };
    function fail(e: Error) {
      cleanup();
      socket.destroy();
      reject(e);
    }
    function onConnect() {
      cleanup();
      resolve(new NodeTcpTransport(socket, what));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', onConnect);
  });
}

/** What a listener's limits need to hear from one connection. @internal */
interface ConnectionHooks {
  /** The first complete message arrived. */
  greeted(): void;
  /** The framer now holds this many bytes; false: over the bound, the connection is cut. */
  reserve(bytes: number): boolean;
}

/** A connected `net.Socket` as a stream {@link Transport}. @internal */
class NodeTcpTransport implements Transport {
  readonly kind = 'stream' as const;
  readonly remote: TransportAddress | undefined;
  readonly local: TransportAddress | undefined;
  private readonly events: TransportEvents;
  private readonly framer: StreamFramer;
  /** The error that ends the connection, handed to the close handler. */
  private fatal: Error | undefined;
  private closing: Promise<void> | undefined;
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private greeted = false;
  private reserved = 0;

  constructor(
    private readonly socket: net.Socket,
    private readonly what: string,
    onSocketClose?: () => void,
    private readonly hooks?: ConnectionHooks,
  ) {
    this.remote = socket.remoteAddress !== undefined ? { address: socket.remoteAddress, port: socket.remotePort ?? 0 } : undefined;
    this.local = socket.localAddress !== undefined ? { address: socket.localAddress, port: socket.localPort ?? 0 } : undefined;
    // Control messages are small and latency-bound (an SCCRQ, a ZLB ack): no Nagle delay.
    socket.setNoDelay(true);
    this.framer = new StreamFramer((m) => {
      if (!this.greeted) {
        this.greeted = true;
        this.hooks?.greeted();
      }
      this.events.message(m);
    });
    // Reading starts only once a receiver exists: until then the bytes wait in the kernel
    // (TCP flow control), so nothing is lost and nothing piles up here.
    this.events = new TransportEvents(Infinity, () => socket.on('data', (chunk: Uint8Array) => this.onData(chunk)));
    socket.on('end', () => {
      try {
        this.framer.end();
      } catch (e) {
        this.fail(e as Error);
      }
    });
    socket.on('error', (e) => this.fail(transportError(this.what, e)));
    socket.on('close', () => {
      if (this.drainTimer) clearTimeout(this.drainTimer);
      onSocketClose?.();
      this.events.close(this.fatal);
    });
  }

  get closed(): boolean {
    return this.closing !== undefined || this.events.closed;
  }

  private onData(chunk: Uint8Array): void {
    if (this.fatal) return;
    try {
      this.framer.push(plainBytes(chunk));
    } catch (e) {
      // Framing is lost (StreamFramer): the stream cannot be resynchronised.
      this.fail(e as Error);
      this.socket.destroy();
      return;
    }
    const r = this.framer.reserved;
    if (r !== this.reserved && this.hooks !== undefined) {
      this.reserved = r;
      if (!this.hooks.reserve(r)) this.cut(new L2tpError('TRANSPORT', `${this.what}: too many bytes of incomplete messages buffered across connections`));
    }
  }

  /** End the connection at once with this error (a listener limit). @internal */
  cut(e: Error): void {
    this.fail(e);
    this.socket.destroy();
  }

  private fail(e: Error): void {
    this.fatal ??= e;
    this.events.error(e);
  }

  send(message: Uint8Array): Promise<void> {
    const framed = toStreamMessage(message);
    if (this.closed) return Promise.reject(new L2tpError('TRANSPORT', `${this.what}: transport is closed`));
    return new Promise((res, rej) => {
      this.socket.write(framed, (e) => (e ? rej(transportError(this.what, e)) : res()));
    });
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
    this.closing ??= new Promise<void>((res) => {
      const s = this.socket;
      if (s.closed) return res();
      s.once('close', () => res());
      // Send what was queued, then FIN; cut the connection if the peer does not take it in time.
      if (s.writableLength === 0 || s.destroyed) return void s.destroy();
      s.end(() => s.destroy());
      this.drainTimer = setTimeout(() => s.destroy(), CLOSE_DRAIN_MS);
    });
    return this.closing;
  }
}

/** Options for {@link tcpListener}. The {@link TcpLimits} are off unless given. */
export interface TcpListenerOptions extends TcpLimits {
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port. Default 1701; 0 picks an ephemeral port (see {@link TcpListener.address}). */
  port?: number;
  /** Abort the listen: rejects with `L2tpError('ABORTED')`. */
  signal?: AbortSignal;
}

/** A TCP server handing out one stream {@link Transport} per accepted connection (embedded LNS side). */
export interface TcpListener {
  /**
   * Register the acceptor: called once per accepted connection. Connections accepted before it is
   * registered are held (up to 64; later ones are closed).
   */
  onConnection(handler: (transport: Transport) => void): void;
  /** Server errors, as `L2tpError('TRANSPORT')`. */
  onError(handler: (error: Error) => void): void;
  /** A connection was closed (or refused) by one of the {@link TcpLimits}. */
  onLimit(handler: (reason: TcpLimitReason, remote: TransportAddress) => void): void;
  /** Bytes of incomplete messages buffered across connections now. */
  readonly buffered: number;
  /** The bound address (with the real port when 0 was asked for). */
  address(): TransportAddress;
  /** Connections currently open. */
  readonly connections: number;
  /** Stop listening and close every accepted connection; resolves when all are closed. */
  close(): Promise<void>;
}

/** An accepted connection as the listener's limits see it. */
type Accepted = Limited;

/**
 * Listen for L2TP-over-TCP connections (IPv4 or IPv6, from `host`, which must be an address).
 * Rejects with `L2tpError('TRANSPORT')` when listening fails (e.g. `EADDRINUSE`).
 * @example
 * ```ts
 * const l = await tcpListener({ host: '127.0.0.1', port: 0 });
 * l.onConnection((t) => t.onMessage((m) => console.log(parseHeader(m))));
 * console.log('listening on', l.address().port);
 * ```
 */
export function tcpListener(options: TcpListenerOptions = {}): Promise<TcpListener> {
  const { host = '127.0.0.1', port = L2TP_PORT, signal } = options ?? {};
  let limits: ConnectionLimits<Accepted>;
  try {
    if (typeof host !== 'string' || !net.isIP(host)) throw new TypeError(`tcpListener: host must be an IPv4 or IPv6 address, got ${String(host)}`);
    assertInt(port, 0, 0xffff, 'tcpListener: port');
    limits = new ConnectionLimits(checkTcpLimits(options, 'tcpListener'));
  } catch (e) {
    return Promise.reject(e);
  }
  const what = `TCP listener on ${host}:${port}`;
  if (signal?.aborted) return Promise.reject(abortedError(what, signal.reason));
  const server = net.createServer();
  const live = new Set<NodeTcpTransport>();
  const events = new TransportEvents<NodeTcpTransport>(64);
  let limitHandler: ((reason: TcpLimitReason, remote: TransportAddress) => void) | undefined;
  const onLimit = (reason: TcpLimitReason, remote: TransportAddress) => {
    try {
      limitHandler?.(reason, remote);
    } catch (e) {
      void Promise.reject(e); // a handler's exception must not break the listener
    }
  };
  server.on('connection', (socket) => {
    const remote = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const refused = limits.refuse(remote.address);
    if (refused !== undefined) {
      socket.destroy();
      return onLimit(refused, remote);
    }
    const a: Accepted = {
      source: remote.address,
      cut(reason) {
        t.cut(new L2tpError('TRANSPORT', `TCP from ${remote.address}:${remote.port}: closed by the listener (${reason})`));
        onLimit(reason, remote);
      },
    };
    const t: NodeTcpTransport = new NodeTcpTransport(
      socket,
      `TCP from ${remote.address}:${remote.port}`,
      () => {
        live.delete(t);
        limits.drop(a);
      },
      { greeted: () => limits.greeted(a), reserve: (n) => limits.reserve(a, n) || (onLimit('buffer-limit', remote), false) },
    );
    live.add(t);
    limits.add(a);
    const before = events.dropped;
    events.message(t);
    if (events.dropped !== before) void t.close(); // backlog full: nobody will ever read it
  });
  let closing: Promise<void> | undefined;
  const listener: TcpListener = {
    onConnection(handler) {
      events.setMessageHandler(handler);
    },
    onError(handler) {
      events.setErrorHandler(handler);
    },
    onLimit(handler) {
      if (typeof handler !== 'function') throw new TypeError('onLimit(handler): handler must be a function');
      limitHandler = handler;
    },
    get buffered() {
      return limits.buffered;
    },
    address() {
      const a = server.address() as net.AddressInfo | null;
      return { address: a?.address ?? host, port: a?.port ?? port };
    },
    get connections() {
      return live.size;
    },
    close() {
      closing ??= (async () => {
        events.close();
        const stopped = new Promise<void>((res) => server.close(() => res()));
        await Promise.all([...live].map((t) => t.close()));
        await stopped;
      })();
      return closing;
    },
  };
  return new Promise<TcpListener>((resolve, reject) => {
    const onAbort = () => {
      server.off('listening', onListening);
      server.off('error', onError);
      server.close();
      reject(abortedError(what, signal!.reason));
    };
    const onError = (e: Error) => {
      signal?.removeEventListener('abort', onAbort);
      server.off('listening', onListening);
      server.close();
      reject(transportError(what, e));
    };
    function onListening() {
      signal?.removeEventListener('abort', onAbort);
      server.off('error', onError);
      server.on('error', (e) => events.error(transportError(what, e)));
      resolve(listener);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host });
  });
}
