/// <reference types="node" />
/**
 * L2TP over UDP with Node's `node:dgram` (RFC 2661 §8.1; RFC 3931 §4.1.2.1): a client
 * {@link Transport} to one peer, and a listener for the embedded LNS. IPv4 and IPv6.
 * @module
 */
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Transport, TransportAddress } from '../client/transport.js';
import { assertBytes, assertInt } from '../wire/bytes.js';
import { L2tpError } from '../wire/errors.js';
import { TransportEvents } from './events.js';
import { abortedError, transportError } from './transport-errors.js';

/**
 * The L2TP UDP port (RFC 2661 §8.1; RFC 3931 §4.1.2.1).
 * @example
 * ```ts
 * const t = await udpTransport({ host: '192.0.2.7', port: L2TP_PORT });
 * ```
 */
export const L2TP_PORT = 1701;

/** Options for {@link udpTransport}. */
export interface UdpTransportOptions {
  /** Peer host name or IPv4/IPv6 address. Names are resolved with the system resolver (`localhost` included). */
  host: string;
  /** Peer UDP port. Default 1701. */
  port?: number;
  /** Use only IPv4 (4) or IPv6 (6) addresses when resolving `host`. Default: the resolver's first answer. */
  family?: 4 | 6;
  /** Local address to bind. Default: any address of the peer's family. */
  localAddress?: string;
  /** Local port to bind. Default 0 (an ephemeral port). */
  localPort?: number;
  /**
   * RFC 2661 §8.1 lets the responder answer from a port of its own choosing (not necessarily the
   * one it was sent to); the ports then stay fixed for the tunnel's life. With `false` (default)
   * the socket is *connected* to `host:port`: the kernel drops anything else, and an ICMP port
   * unreachable is reported through `onError` (a fast "nothing listens there"). With `true` the
   * socket is unconnected: the first datagram from the peer's address fixes the peer port (the
   * transport's `remote.port` changes to it) and datagrams from other addresses or, afterwards,
   * other ports are dropped; ICMP errors are then not seen.
   */
  followReplyPort?: boolean;
  /**
   * With `followReplyPort`: whether a datagram from *another* port of the peer's address may fix
   * the peer port (one from the port we send to always may). Default: any may. A relay passes
   * "an SCCRP addressed to the tunnel whose SCCRQ we forwarded", so a stray datagram from that
   * address cannot take the pair over before the real SCCRP arrives.
   */
  acceptReplyPort?: (message: Uint8Array) => boolean;
  /** Abort the setup (resolve, bind, connect): rejects with `L2tpError('ABORTED')`. */
  signal?: AbortSignal;
}

/** An address in the form Node reports, with its family. */
export interface DatagramPeer extends TransportAddress {
  readonly family: 'IPv4' | 'IPv6';
}

/**
 * Open a UDP transport to one L2TP peer.
 *
 * Resolves once the socket is bound (and connected, unless `followReplyPort`). Rejects with
 * `L2tpError('TRANSPORT')` when the name does not resolve or the socket cannot be bound/connected,
 * `L2tpError('ABORTED')` when `signal` fires first (the signal governs the setup only; close the
 * transport to end it later), and with a `TypeError`/`RangeError` for bad options (a local error).
 * Nothing is left open after a rejection.
 * @example
 * ```ts
 * const t = await udpTransport({ host: '127.0.0.1', port: 1701 });
 * t.onMessage((m) => console.log(parseHeader(m)));
 * await t.send(sccrq({ ... }));
 * await t.close();
 * ```
 */
export async function udpTransport(options: UdpTransportOptions): Promise<Transport> {
  const o = checkOptions(options);
  const { signal } = o;
  const what = `UDP to ${o.host}:${o.port}`;
  if (signal?.aborted) throw abortedError(what, signal.reason);
  const peer = await resolve(o.host, o.family, what, signal);
  const socket = dgram.createSocket({ type: peer.family === 6 ? 'udp6' : 'udp4' });
  const aborted = () => abortedError(what, signal!.reason);
  try {
    await step(socket, signal, aborted, (done) => socket.bind({ port: o.localPort, address: o.localAddress }, done));
    if (!o.followReplyPort) await step(socket, signal, aborted, (done) => socket.connect(o.port, peer.address, done));
  } catch (e) {
    await closeSocket(socket);
    throw e instanceof L2tpError ? e : transportError(what, e);
  }
  return new NodeUdpTransport(socket, { address: peer.address, port: o.port }, !o.followReplyPort, what, o.acceptReplyPort);
}

function checkOptions(options: UdpTransportOptions) {
  if (options === null || typeof options !== 'object') throw new TypeError('udpTransport(options): options must be an object');
  const { host, port = L2TP_PORT, localPort = 0, localAddress, family, followReplyPort = false, acceptReplyPort, signal } = options;
  if (acceptReplyPort !== undefined && typeof acceptReplyPort !== 'function') throw new TypeError('udpTransport: acceptReplyPort must be a function (message) => boolean');
  if (typeof host !== 'string' || host === '') throw new TypeError('udpTransport: host must be a non-empty string');
  assertInt(port, 1, 0xffff, 'udpTransport: port');
  assertInt(localPort, 0, 0xffff, 'udpTransport: localPort');
  if (localAddress !== undefined && (typeof localAddress !== 'string' || !isIP(localAddress))) {
    throw new TypeError(`udpTransport: localAddress must be an IPv4 or IPv6 address, got ${String(localAddress)}`);
  }
  if (family !== undefined && family !== 4 && family !== 6) throw new RangeError(`udpTransport: family must be 4 or 6, got ${String(family)}`);
  return { host, port, localPort, localAddress, family, followReplyPort: Boolean(followReplyPort), acceptReplyPort, signal };
}

/** Resolve a name (or take an address as is) to one address and its family. */
async function resolve(host: string, family: 4 | 6 | undefined, what: string, signal: AbortSignal | undefined) {
  const literal = isIP(host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);
  if (literal) {
    const address = host.startsWith('[') ? host.slice(1, -1) : host;
    if (family && family !== literal) throw new RangeError(`udpTransport: host ${host} is not an IPv${family} address`);
    return { address, family: literal as 4 | 6 };
  }
  let found: { address: string; family: number };
  try {
    found = await lookup(host, family ? { family } : {});
  } catch (e) {
    throw transportError(`${what}: cannot resolve ${host}`, e);
  }
  if (signal?.aborted) throw abortedError(what, signal.reason);
  return { address: found.address, family: found.family === 6 ? (6 as const) : (4 as const) };
}

/** Run one callback-style socket step, failing on an `error` event or an abort. */
function step(socket: dgram.Socket, signal: AbortSignal | undefined, aborted: () => Error, start: (done: () => void) => void): Promise<void> {
  return new Promise<void>((res, rej) => {
    const cleanup = () => {
      socket.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onError = (e: Error) => (cleanup(), rej(e));
    const onAbort = () => (cleanup(), rej(aborted()));
    if (signal?.aborted) return rej(aborted());
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      start(() => (cleanup(), res()));
    } catch (e) {
      cleanup();
      rej(e);
    }
  });
}

function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((res) => {
    try {
      socket.close(() => res());
    } catch {
      res(); // already closed
    }
  });
}

/**
 * A Node `Buffer` seen as a plain `Uint8Array` (same memory): users and core code never get a
 * `Buffer`, whose `slice` shares memory where `Uint8Array.prototype.slice` copies.
 * @internal
 */
export function plainBytes(b: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

class NodeUdpTransport implements Transport {
  readonly kind = 'datagram' as const;
  private readonly events = new TransportEvents();
  private readonly peer: { address: string; port: number };
  /** In follow mode: whether the peer port has been fixed by its first datagram. */
  private portFixed: boolean;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly socket: dgram.Socket,
    peer: TransportAddress,
    private readonly connected: boolean,
    private readonly what: string,
    private readonly acceptReplyPort?: (message: Uint8Array) => boolean,
  ) {
    this.peer = { address: peer.address, port: peer.port };
    this.portFixed = connected;
    socket.on('message', (buf, rinfo) => {
      if (!this.connected) {
        // Unconnected (RFC 2661 §8.1 reply-port following): accept only the peer's address, and
        // after the first datagram only the port it came from.
        if (rinfo.address !== this.peer.address) return;
        if (!this.portFixed) {
          if (rinfo.port !== this.peer.port && this.acceptReplyPort !== undefined && !this.acceptReplyPort(plainBytes(buf))) return;
          this.peer.port = rinfo.port;
          this.portFixed = true;
        } else if (rinfo.port !== this.peer.port) return;
      }
      this.events.message(plainBytes(buf));
    });
    socket.on('error', (e) => {
      // A datagram socket survives these (e.g. ECONNREFUSED from an ICMP port unreachable):
      // report and stay open; the peer may come up later.
      this.events.error(transportError(this.what, e));
    });
    socket.on('close', () => this.events.close());
  }

  get remote(): TransportAddress {
    return { address: this.peer.address, port: this.peer.port };
  }

  get local(): TransportAddress | undefined {
    if (this.closed) return undefined;
    try {
      const a = this.socket.address();
      return { address: a.address, port: a.port };
    } catch {
      return undefined; // the socket closed under us
    }
  }

  get closed(): boolean {
    return this.closing !== undefined || this.events.closed;
  }

  get dropped(): number {
    return this.events.dropped;
  }

  send(message: Uint8Array): Promise<void> {
    assertBytes(message, 'message');
    if (this.closed) return Promise.reject(new L2tpError('TRANSPORT', `${this.what}: transport is closed`));
    return new Promise((res, rej) => {
      const done = (e: Error | null) => (e ? rej(transportError(this.what, e)) : res());
      try {
        if (this.connected) this.socket.send(message, done);
        else this.socket.send(message, this.peer.port, this.peer.address, done);
      } catch (e) {
        rej(transportError(this.what, e));
      }
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
    this.closing ??= closeSocket(this.socket).then(() => this.events.close());
    return this.closing;
  }
}

/** Options for {@link udpListener}. */
export interface UdpListenerOptions {
  /** Address to bind. Default `127.0.0.1` (loopback: exposing a listener is an explicit choice). Use `::` or `0.0.0.0` for all. */
  host?: string;
  /** Port to bind. Default 1701; 0 picks an ephemeral port (see {@link UdpListener.address}). */
  port?: number;
  /**
   * Socket receive buffer in bytes (`SO_RCVBUF`): room for a burst of datagrams while the
   * process is busy. The kernel may cap it (Linux: `net.core.rmem_max`). Default: the system's.
   */
  recvBufferSize?: number;
  /** Abort the bind: rejects with `L2tpError('ABORTED')`. */
  signal?: AbortSignal;
}

/**
 * A bound UDP socket that receives from and sends to any peer: the datagram side of the embedded
 * LNS. Datagrams that arrive before a message handler is registered are held (up to 64, then
 * dropped); handler exceptions are rethrown asynchronously (see {@link Transport}).
 */
export interface UdpListener {
  /** Register the receiver: one whole datagram per call, with the address it came from. */
  onMessage(handler: (message: Uint8Array, from: DatagramPeer) => void): void;
  /** Socket errors, as `L2tpError('TRANSPORT')`; the listener stays open. */
  onError(handler: (error: Error) => void): void;
  /** Send one datagram. Rejects with `L2tpError('TRANSPORT')` on failure or once closed. */
  send(message: Uint8Array, address: string, port: number): Promise<void>;
  /**
   * Send one datagram and do not wait: no promise, no closure per datagram (the LNS sends its
   * control messages this way, issue 16: CPU per message). A failure goes
   * to the {@link onError} handler as `L2tpError('TRANSPORT')`; once closed it is dropped.
   * `address` must be an IP address (as {@link onMessage} gives it).
   * @example
   * ```ts
   * l.onError((e) => console.warn(e.message));
   * l.onMessage((m, from) => l.post(m, from.address, from.port)); // echo
   * ```
   */
  post(message: Uint8Array, address: string, port: number): void;
  /** The bound address (with the real port when 0 was asked for). */
  address(): DatagramPeer;
  /** The receive buffer the kernel granted, in bytes (Linux reports twice what it keeps for data). */
  readonly recvBufferSize: number;
  /** Close the socket; resolves when done. Idempotent. */
  close(): Promise<void>;
}

/**
 * Bind a UDP listener (IPv4 or IPv6, chosen from `host`, which must be an address).
 * Rejects with `L2tpError('TRANSPORT')` when the bind fails (e.g. `EADDRINUSE`), `ABORTED` when
 * `signal` fires first, `TypeError`/`RangeError` for bad options.
 * @example
 * ```ts
 * const l = await udpListener({ host: '0.0.0.0', port: 1701 });
 * l.onMessage((m, from) => console.log(from.address, from.port, parseHeader(m)));
 * ```
 */
export async function udpListener(options: UdpListenerOptions = {}): Promise<UdpListener> {
  const { host = '127.0.0.1', port = L2TP_PORT, recvBufferSize, signal } = options;
  const family = typeof host === 'string' ? isIP(host) : 0;
  if (!family) throw new TypeError(`udpListener: host must be an IPv4 or IPv6 address, got ${String(host)}`);
  assertInt(port, 0, 0xffff, 'udpListener: port');
  if (recvBufferSize !== undefined) assertInt(recvBufferSize, 1, 2 ** 31 - 1, 'udpListener: recvBufferSize (bytes)');
  const what = `UDP listener on ${host}:${port}`;
  if (signal?.aborted) throw abortedError(what, signal.reason);
  // Every destination is an IP address (checked in send): answer dgram's lookup at once rather
  // than through dns.lookup, which defers every send by a process.nextTick (issue 16: CPU per send).
  const socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', lookup: literalLookup, ...(recvBufferSize !== undefined ? { recvBufferSize } : {}) });
  try {
    await step(socket, signal, () => abortedError(what, signal!.reason), (done) => socket.bind({ port, address: host }, done));
  } catch (e) {
    await closeSocket(socket);
    throw e instanceof L2tpError ? e : transportError(what, e);
  }
  const events = new TransportEvents<{ message: Uint8Array; from: DatagramPeer }>();
  socket.on('message', (buf, rinfo) => {
    events.message({ message: plainBytes(buf), from: { address: rinfo.address, port: rinfo.port, family: rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4' } });
  });
  socket.on('error', (e) => events.error(transportError(what, e)));
  socket.on('close', () => events.close());
  let closing: Promise<void> | undefined;
  const bound = socket.address();
  // One completion callback for every post(): Node reports a failed send only to a callback.
  const posted = (e: Error | null) => {
    if (e) events.error(transportError(`${what}: send`, e));
  };
  return {
    onMessage(handler) {
      if (typeof handler !== 'function') throw new TypeError('onMessage(handler): handler must be a function');
      events.setMessageHandler(({ message, from }) => handler(message, from));
    },
    onError(handler) {
      events.setErrorHandler(handler);
    },
    send(message, address, toPort) {
      assertBytes(message, 'message');
      if (typeof address !== 'string' || !isIP(address)) throw new TypeError(`send: address must be an IP address, got ${String(address)}`);
      assertInt(toPort, 1, 0xffff, 'send: port');
      if (closing || events.closed) return Promise.reject(new L2tpError('TRANSPORT', `${what}: listener is closed`));
      return new Promise((res, rej) => {
        try {
          socket.send(message, toPort, address, (e) => (e ? rej(transportError(`${what}: send to ${address}:${toPort}`, e)) : res()));
        } catch (e) {
          rej(transportError(what, e));
        }
      });
    },
    post(message, address, toPort) {
      if (closing || events.closed) return;
      try {
        socket.send(message, toPort, address, posted);
      } catch (e) {
        events.error(transportError(`${what}: send to ${address}:${toPort}`, e));
      }
    },
    address() {
      return { address: bound.address, port: bound.port, family: bound.family === 'IPv6' ? 'IPv6' : 'IPv4' };
    },
    get recvBufferSize() {
      try {
        return socket.getRecvBufferSize();
      } catch {
        return 0; // closed
      }
    },
    close() {
      closing ??= closeSocket(socket).then(() => events.close());
      return closing;
    },
  };
}

/**
 * dgram's `lookup` for a socket that only ever sends to IP addresses: the address itself, at once.
 * (A name would fail in the kernel call and be reported as a send error.)
 */
const literalLookup = ((address: string, family: unknown, callback: (err: Error | null, address: string, family: number) => void): void => {
  // dgram passes the socket's family as a number (4 or 6); the typings say an options object.
  const f = typeof family === 'number' ? family : ((family as { family?: number } | undefined)?.family ?? 4);
  callback(null, address, f);
}) as unknown as NonNullable<dgram.SocketOptions['lookup']>;
