/// <reference types="node" />
/**
 * The TCP↔UDP relay: lets a client that can open only TCP (a Cloudflare Worker) reach an LNS that
 * speaks only UDP (xl2tpd, any RFC 2661 implementation).
 *
 * **L2TP over TCP is not in any RFC** (RFC 2661 §8.1 and RFC 3931 §4.1.2.1 define UDP; RFC 3931
 * §4.1.1 also IP). On the TCP side messages are framed by the header's Length field, every one
 * carrying L=1, an L2TPv3 data message its length in its Reserved bytes 2–3 (see `stream-framer.ts`).
 * The relay does not parse L2TP: each framed message from a TCP client goes out as one UDP datagram
 * (L=1 is legal on UDP too; a v3 data message with its Reserved bytes back at 0, as the framer
 * hands it up), and each datagram from the LNS goes back as one framed message (a v2 data message
 * sent without L=1 gets its Length field inserted, RFC 2661 §3.1; a v3 data message its length).
 * One UDP socket per TCP connection, so the LNS sees one peer (address and port) per client,
 * exactly as if each client spoke UDP itself; the two sides close together.
 * @module
 */
import type { Transport, TransportAddress } from '../client/transport.js';
import { tcpListener, type TcpListener } from '../transports/node-tcp.js';
import { L2TP_PORT, udpTransport } from '../transports/node-udp.js';
import { toStreamMessage } from '../transports/stream-framer.js';
import type { TcpLimitReason } from '../transports/node-tcp-limits.js';
import { assertInt } from '../wire/bytes.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import { isSccrpFor, peekHeader, readTunnelZero } from './demux.js';
import type { ConnectionClosed } from './lns-types.js';

/** Options of {@link createRelay}. Times in milliseconds. */
export interface RelayOptions {
  /** Where to accept TCP connections. Default `127.0.0.1:1701`; port 0 picks a free one (see {@link Relay.address}). */
  listen?: { host?: string; port?: number };
  /** The UDP LNS every connection is relayed to. Port default 1701. */
  target: {
    host: string;
    port?: number;
    /**
     * Accept the LNS's replies from any port of its address (RFC 2661 §8.1 lets a responder
     * answer from a port of its choosing). Default `false`: the UDP socket is connected to
     * `host:port`, and an ICMP port unreachable closes the pair at once. With `true`, only an
     * SCCRP addressed to the Assigned Tunnel ID of an SCCRQ the pair forwarded may fix another
     * port (one from `port` itself always may); other datagrams from the LNS's address are dropped
     * until then (counted in {@link RelayStats.replyPortRefused}).
     */
    followReplyPort?: boolean;
  };
  /**
   * Most TCP connections relayed at once. When full, the oldest connection that has not yet
   * sent one complete message is closed to make room; with none, the new one is closed. Default 64.
   */
  maxConnections?: number;
  /** Most connections at once from one source address; further ones are closed. Default 16. */
  maxConnectionsPerSource?: number;
  /** Close a connection that has not sent one complete message within this long. Default 10 000. */
  handshakeTimeout?: number;
  /** Most bytes of incomplete messages buffered across all connections. Default 1 MiB. */
  maxBufferedBytes?: number;
  /**
   * Close a pair after this long with no message in either direction. Default 180 000 (three
   * HELLO intervals of RFC 2661 §6.5: a live tunnel is never that quiet); 0 turns it off.
   */
  idleTimeout?: number;
  /**
   * Most datagrams from the LNS waiting for a slow TCP client; further ones are dropped (as the
   * network would drop them; L2TP retransmits, RFC 2661 §5.8). Default 256.
   */
  maxPending?: number;
  /** Abort the listen: rejects with `L2tpError('ABORTED')`. */
  signal?: AbortSignal;
}

/** Counters of a relay (a snapshot). */
export interface RelayStats {
  /** TCP connections accepted, ever. */
  readonly accepted: number;
  /** Pairs (TCP connection + UDP socket) open now. */
  readonly connections: number;
  /** Messages forwarded from TCP clients to the LNS. */
  readonly toTarget: number;
  /** Messages forwarded from the LNS to TCP clients. */
  readonly toClient: number;
  /** Datagrams from the LNS dropped: a slow client ({@link RelayOptions.maxPending}) or not carriable on a stream (not L2TP, a bad Length). */
  readonly dropped: number;
  /** Pairs closed by the idle timeout. */
  readonly idleClosed: number;
  /** Connections closed: their source held {@link RelayOptions.maxConnectionsPerSource}. */
  readonly tcpOverSourceCap: number;
  /** Connections closed: {@link RelayOptions.maxConnections} held, none evictable. */
  readonly tcpOverTotalCap: number;
  /** Connections closed to make room (the oldest without a complete message). */
  readonly tcpEvicted: number;
  /** Connections closed by {@link RelayOptions.handshakeTimeout}. */
  readonly tcpHandshakeTimeouts: number;
  /** Connections closed by {@link RelayOptions.maxBufferedBytes}. */
  readonly tcpBufferLimit: number;
  /** Datagrams from another port of the LNS dropped before the reply port was fixed (not our SCCRP). */
  readonly replyPortRefused: number;
}

/** A running relay. */
export interface Relay {
  /** The bound TCP address (with the real port when 0 was asked for). */
  address(): TransportAddress;
  /** Pairs open now. */
  readonly connections: number;
  readonly stats: RelayStats;
  /**
   * Failures of one pair (the UDP socket could not be opened, the LNS is unreachable, a client
   * lost its framing…) as `L2tpError`; the pair is closed, the relay goes on.
   */
  onError(handler: (error: Error) => void): void;
  /**
   * A connection closed (or refused) by one of the limits: `idle-timeout`, or a TCP limit
   * (`source-cap`, `total-cap`, `evicted`, `handshake-timeout`, `buffer-limit`). Plain data.
   */
  onConnectionClosed(handler: (info: ConnectionClosed) => void): void;
  /** Stop accepting and close every pair; resolves when all sockets are released. Idempotent. */
  close(): Promise<void>;
}

/**
 * Start a TCP↔UDP relay (Node). See the module notes and `docs/workers.md`.
 *
 * Rejects with `L2tpError('TRANSPORT')` when the TCP port cannot be bound, `ABORTED` when `signal`
 * fires, `TypeError`/`RangeError` for bad options.
 *
 * @example
 * ```ts
 * // A Worker connects to tcp://relay-host:1701; xl2tpd listens on udp://127.0.0.1:1701.
 * const relay = await createRelay({ listen: { host: '0.0.0.0', port: 1701 }, target: { host: '127.0.0.1', port: 1701 } });
 * ```
 */
export async function createRelay(options: RelayOptions): Promise<Relay> {
  if (options === null || typeof options !== 'object') throw new TypeError('createRelay(options): options must be an object');
  const { listen = {}, target, maxConnections = 64, idleTimeout = 180_000, maxPending = 256, signal } = options;
  const { maxConnectionsPerSource = Math.min(16, maxConnections), handshakeTimeout = 10_000, maxBufferedBytes = 1024 * 1024 } = options;
  if (listen === null || typeof listen !== 'object') throw new TypeError('createRelay: listen must be an object { host?, port? }');
  if (target === null || typeof target !== 'object') throw new TypeError('createRelay: target must be an object { host, port? } (the UDP LNS)');
  if (typeof target.host !== 'string' || target.host === '') throw new TypeError('createRelay: target.host must be a non-empty string');
  const targetPort = target.port ?? L2TP_PORT;
  assertInt(targetPort, 1, 0xffff, 'createRelay: target.port');
  assertInt(listen.port ?? L2TP_PORT, 0, 0xffff, 'createRelay: listen.port');
  assertInt(maxConnections, 1, 0xffff, 'createRelay: maxConnections');
  assertInt(maxConnectionsPerSource, 1, 0xffff, 'createRelay: maxConnectionsPerSource');
  assertInt(handshakeTimeout, 1, 2 ** 31 - 1, 'createRelay: handshakeTimeout (ms)');
  assertInt(maxBufferedBytes, 0xffff, 2 ** 40, 'createRelay: maxBufferedBytes (at least 65535, one full message)');
  assertInt(idleTimeout, 0, 2 ** 31 - 1, 'createRelay: idleTimeout (ms, 0 = off)');
  assertInt(maxPending, 1, 2 ** 31 - 1, 'createRelay: maxPending');

  const limits = { maxConnections, maxConnectionsPerSource, handshakeTimeout, maxBufferedBytes };
  const listener: TcpListener = await tcpListener({ host: listen.host ?? '127.0.0.1', port: listen.port ?? L2TP_PORT, ...limits, signal });
  const bound = listener.address(); // kept: still answers after close()
  const stats = {
    accepted: 0,
    toTarget: 0,
    toClient: 0,
    dropped: 0,
    idleClosed: 0,
    tcpOverSourceCap: 0,
    tcpOverTotalCap: 0,
    tcpEvicted: 0,
    tcpHandshakeTimeouts: 0,
    tcpBufferLimit: 0,
    replyPortRefused: 0,
  };
  const counter = {
    'source-cap': 'tcpOverSourceCap',
    'total-cap': 'tcpOverTotalCap',
    evicted: 'tcpEvicted',
    'handshake-timeout': 'tcpHandshakeTimeouts',
    'buffer-limit': 'tcpBufferLimit',
  } as const satisfies Record<TcpLimitReason, keyof typeof stats>;
  let closedHandler: ((info: ConnectionClosed) => void) | undefined;
  const closedBy = (info: ConnectionClosed) => {
    try {
      closedHandler?.(info);
    } catch (thrown) {
      void Promise.reject(thrown);
    }
  };
  const pairs = new Set<Pair>();
  let errorHandler: ((error: Error) => void) | undefined;
  let closing: Promise<void> | undefined;
  const report = (e: Error) => {
    if (!errorHandler) return;
    try {
      errorHandler(e);
    } catch (thrown) {
      void Promise.reject(thrown); // a handler's exception must not break the relay
    }
  };

  listener.onError(report);
  listener.onLimit((reason, remote) => {
    stats[counter[reason]]++;
    closedBy({ reason, remote: { address: remote.address, port: remote.port } });
  });
  listener.onConnection((tcp) => {
    stats.accepted++;
    if (closing) return void tcp.close();
    const pair = new Pair(tcp, { host: target.host, port: targetPort, followReplyPort: target.followReplyPort === true }, idleTimeout, maxPending, stats, report, closedBy, () => pairs.delete(pair));
    pairs.add(pair);
    pair.start();
  });

  return {
    address: () => ({ ...bound }),
    get connections() {
      return pairs.size;
    },
    get stats(): RelayStats {
      return { ...stats, connections: pairs.size };
    },
    onError(handler) {
      if (typeof handler !== 'function') throw new TypeError('onError(handler): handler must be a function');
      errorHandler = handler;
    },
    onConnectionClosed(handler) {
      if (typeof handler !== 'function') throw new TypeError('onConnectionClosed(handler): handler must be a function');
      closedHandler = handler;
    },
    close() {
      closing ??= (async () => {
        await Promise.all([listener.close(), ...[...pairs].map((p) => p.close())]);
      })();
      return closing;
    },
  };
}

/** One TCP client and its own UDP socket to the LNS. @internal */
class Pair {
  /** The UDP socket being opened (close() waits for it, so nothing outlives the pair). */
  private opening: Promise<Transport | undefined> | undefined;
  private closing: Promise<void> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** TCP sends not yet handed to the kernel (backpressure from a slow client). */
  private pending = 0;
  /** Assigned Tunnel IDs of the SCCRQs forwarded (a few: retransmissions reuse theirs). */
  private readonly sccrqIds = new Set<number>();

  constructor(
    private readonly tcp: Transport,
    private readonly target: { host: string; port: number; followReplyPort: boolean },
    private readonly idleTimeout: number,
    private readonly maxPending: number,
    private readonly stats: { toTarget: number; toClient: number; dropped: number; idleClosed: number; replyPortRefused: number },
    private readonly report: (e: Error) => void,
    private readonly closedBy: (info: ConnectionClosed) => void,
    private readonly onClosed: () => void,
  ) {}

  start(): void {
    // Until the UDP socket is up, no message handler is registered on the TCP side, so the
    // transport does not read: the client's first messages wait in the kernel, none is lost.
    this.tcp.onError((e) => this.fail(e));
    this.tcp.onClose(() => void this.close());
    this.touch();
    const { host, port, followReplyPort } = this.target;
    // RFC 2661 §8.1 lets the LNS answer from another port; only its SCCRP to our LAC's SCCRQ
    // (addressed to the Assigned Tunnel ID that SCCRQ carried) may move the pair there.
    const acceptReplyPort = (m: Uint8Array) => {
      for (const id of this.sccrqIds) if (isSccrpFor(m, id)) return true;
      this.stats.replyPortRefused++;
      return false;
    };
    this.opening = udpTransport({ host, port, followReplyPort, ...(followReplyPort ? { acceptReplyPort } : {}) }).then(
      (udp) => {
        if (this.closing) return udp; // close() closes it
        udp.onMessage((m) => this.toClient(m));
        // A connected UDP socket reports an ICMP port unreachable here: the LNS is not there,
        // so end the pair now rather than let the client wait for its retransmissions to run out.
        udp.onError((e) => this.fail(e));
        udp.onClose(() => void this.close());
        this.tcp.onMessage((m) => this.toTarget(udp, m));
        return udp;
      },
      (e: unknown) => {
        this.fail(e instanceof Error ? e : new L2tpError('TRANSPORT', String(e)));
        return undefined;
      },
    );
  }

  private toTarget(udp: Transport, message: Uint8Array): void {
    this.touch();
    if (this.target.followReplyPort && this.sccrqIds.size < 16) this.noteSccrq(message);
    this.stats.toTarget++;
    udp.send(message).catch((e: unknown) => this.fail(e as Error));
  }

  /** Remember the Assigned Tunnel ID of an SCCRQ going to the LNS (RFC 2661 §4.4.3). */
  private noteSccrq(message: Uint8Array): void {
    const h = peekHeader(message);
    if (h === undefined || !h.control || h.tunnelId !== 0) return;
    const m = readTunnelZero(message, undefined);
    if (m !== undefined && m.type === MessageType.SCCRQ) this.sccrqIds.add(m.assigned);
  }

  private toClient(message: Uint8Array): void {
    this.touch();
    let framed: Uint8Array;
    try {
      framed = toStreamMessage(message);
    } catch {
      // Not carriable on a stream (not L2TP at all, a Length that disagrees with its size): drop it, as UDP may.
      this.stats.dropped++;
      return;
    }
    if (this.pending >= this.maxPending) {
      this.stats.dropped++;
      return;
    }
    this.pending++;
    this.stats.toClient++;
    this.tcp.send(framed).then(
      () => this.pending--,
      (e: unknown) => {
        this.pending--;
        this.fail(e as Error);
      },
    );
  }

  private touch(): void {
    if (this.idleTimeout === 0 || this.closing) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.stats.idleClosed++;
      const r = this.tcp.remote;
      this.closedBy({ reason: 'idle-timeout', remote: { address: r?.address ?? '', port: r?.port ?? 0 } });
      void this.close();
    }, this.idleTimeout);
  }

  private fail(e: Error): void {
    if (this.closing) return;
    this.report(e);
    void this.close();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      await Promise.all([this.tcp.close(), this.opening?.then((udp) => udp?.close())]);
      this.onClosed();
    })();
    return this.closing;
  }
}
