/// <reference types="node" />
/**
 * The front ends of an embedded LNS: its UDP socket and optional TCP listener. They turn what
 * arrives into `(message, via)` for the router and carry replies back to wherever `via` says.
 * @internal
 */
import type { Transport, TransportAddress } from '../client/transport.js';
import { tcpListener, type TcpListener } from '../transports/node-tcp.js';
import type { TcpLimitReason } from '../transports/node-tcp-limits.js';
import { udpListener, type DatagramPeer, type UdpListener } from '../transports/node-udp.js';
import { L2tpError } from '../wire/errors.js';
import type { TcpConn, Via } from './lns-handles.js';
import type { Resolved } from './lns-options.js';
import type { LnsAddress } from './lns-types.js';
import { ViaCache } from './via-cache.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What the front ends tell the LNS. */
export interface FrontHandlers {
  /** One datagram, or one framed message of a TCP connection. */
  message(bytes: Uint8Array, via: Via): void;
  /** A TCP connection was accepted; return false to close it at once. */
  accepted(conn: TcpConn): boolean;
  /** A TCP connection closed: the tunnels it carried cannot be reached any more. */
  connectionClosed(conn: TcpConn): void;
  /** A send failed (counted). */
  sendError(): void;
  /** The TCP listener closed (or refused) a connection by one of its limits. */
  limit(reason: TcpLimitReason, remote: TransportAddress): void;
}

/** Bind the UDP socket, and the TCP listener when asked; nothing is left open on failure. */
export async function openFronts(r: Resolved): Promise<{ udp: UdpListener; tcp: TcpListener | undefined }> {
  const udp = await udpListener({ host: r.host, port: r.port, recvBufferSize: r.recvBufferSize, signal: r.o.signal });
  let tcp: TcpListener | undefined;
  if (r.tcpPort !== undefined) {
    try {
      tcp = await tcpListener({ host: r.host, port: r.tcpPort, ...r.tcp, signal: r.o.signal });
    } catch (e) {
      await udp.close();
      throw e;
    }
  }
  return { udp, tcp };
}

/** @internal */
export class LnsFronts {
  private nextConn = 1;
  private readonly vias = new ViaCache();

  constructor(
    private readonly udp: UdpListener,
    private readonly tcp: TcpListener | undefined,
    private readonly h: FrontHandlers,
  ) {
    udp.onMessage((m, from) => h.message(m, this.vias.udp(from.address, from.port)));
    udp.onError(() => h.sendError());
    if (tcp !== undefined) {
      tcp.onConnection((t) => this.onConnection(t));
      tcp.onError(() => {});
      tcp.onLimit((reason, remote) => h.limit(reason, remote));
    }
  }

  /** TCP connections open now. */
  get connections(): number {
    return this.tcp?.connections ?? 0;
  }

  address(): LnsAddress {
    const a: DatagramPeer = this.udp.address();
    const out: Mutable<LnsAddress> = { address: a.address, port: a.port, family: a.family };
    if (this.tcp !== undefined) out.tcp = this.tcp.address();
    return out;
  }

  private onConnection(t: Transport): void {
    const conn: TcpConn = { transport: t, key: `t|${this.nextConn++}`, tunnels: new Set(), dead: false, due: undefined, alive: true, slot: -1 };
    if (!this.h.accepted(conn)) {
      void t.close();
      return;
    }
    t.onMessage((m) => this.h.message(m, { kind: 'tcp', conn }));
    t.onError(() => {});
    t.onClose(() => {
      conn.dead = true;
      this.h.connectionClosed(conn);
    });
  }

  /**
   * Send a control message to where `via` says, without waiting (a UDP failure reaches the
   * socket's error handler, which counts it; a TCP one is counted here).
   */
  post(via: Via, bytes: Uint8Array): void {
    if (via.kind === 'udp') this.udp.post(bytes, via.address, via.port);
    else void this.transmit(via, bytes, false);
  }

  /** Send to where `via` says; a failure is counted, and rethrown only for PPP frames. */
  transmit(via: Via, bytes: Uint8Array, frame: boolean): Promise<void> {
    const p = via.kind === 'udp' ? this.udp.send(bytes, via.address, via.port) : via.conn.dead ? Promise.reject(new L2tpError('TRANSPORT', 'TCP connection closed')) : via.conn.transport.send(bytes);
    return p.catch((e: unknown) => {
      this.h.sendError();
      if (frame) throw e;
    });
  }

  close(): Promise<unknown> {
    return Promise.allSettled([this.udp.close(), this.tcp?.close()]);
  }
}
