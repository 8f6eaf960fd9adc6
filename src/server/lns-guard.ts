/**
 * What makes an LNS's defences visible and its idle TCP connections go away: every refusal,
 * eviction, timeout and limit is counted in `stats` and reported as an event (plain data, so
 * `JSON.stringify` of any of them works), and a TCP connection that carries no tunnel is closed
 * after `idleTimeout` without a message.
 * @internal
 */
import type { TransportAddress } from '../client/transport.js';
import type { LnsEmitter } from './lns-events.js';
import type { TcpConn, TunnelEntry, Via } from './lns-handles.js';
import { CONNECTION_COUNTER, REFUSAL_COUNTER, type LnsCounters } from './lns-stats.js';
import type { LnsTimer } from './lns-timer.js';
import type { ConnectionCloseReason, RefusalReason } from './lns-types.js';

/** Where a path leads, as plain data. @internal */
export function remoteOf(via: Via): TransportAddress {
  if (via.kind === 'udp') return { address: via.address, port: via.port };
  const r = via.conn.transport.remote;
  return { address: r?.address ?? '', port: r?.port ?? 0 };
}

/** Counts and reports what the limits did. @internal */
export class LnsReporter {
  constructor(
    readonly c: LnsCounters,
    private readonly events: LnsEmitter,
  ) {}

  /** An SCCRQ dropped unanswered by a limit. */
  refused(reason: RefusalReason, via: Via): void {
    this.c[REFUSAL_COUNTER[reason]]++;
    this.events.emit('tunnel-refused', { reason, transport: via.kind, remote: remoteOf(via) });
  }

  /** A half-open tunnel freed without a word: evicted for a newer SCCRQ, or timed out. */
  halfOpen(reason: 'oldest' | 'expired', t: TunnelEntry, now: number): void {
    if (reason === 'oldest') this.c.halfOpenEvicted++;
    else this.c.halfOpenExpired++;
    this.events.emit('half-open-evicted', { reason, tunnelId: t.id, transport: t.via.kind, remote: remoteOf(t.via), age: Math.round(now - t.born) });
  }

  /** A TCP connection closed (or refused) by a limit. */
  connection(reason: ConnectionCloseReason, remote: TransportAddress): void {
    this.c[CONNECTION_COUNTER[reason]]++;
    this.events.emit('connection-closed', { reason, remote: { address: remote.address, port: remote.port } });
  }
}

/**
 * TCP connections that carry no tunnel, each with a deadline `idleTimeout` after its last
 * message; one that carries a tunnel lives as long as the tunnel (HELLO keeps it busy, RFC 2661
 * §6.5). The deadlines share the LNS's one timer. @internal
 */
export class IdleConnections {
  private readonly idle = new Set<TcpConn>();

  constructor(
    private readonly timer: LnsTimer<TunnelEntry | TcpConn>,
    private readonly idleTimeout: number,
    private readonly report: LnsReporter,
  ) {}

  get size(): number {
    return this.idle.size;
  }

  /** A message arrived on `conn`, or it lost or gained a tunnel: (re)start or stop its clock. */
  watch(conn: TcpConn): void {
    if (!conn.alive || this.idleTimeout === 0) return;
    if (conn.tunnels.size === 0) {
      this.idle.add(conn);
      this.timer.set(conn, this.timer.now() + this.idleTimeout);
    } else if (this.idle.delete(conn)) {
      this.timer.set(conn, undefined);
    }
  }

  /** Its deadline passed. */
  over(conn: TcpConn): void {
    this.idle.delete(conn);
    if (!conn.alive || conn.tunnels.size !== 0) return;
    conn.alive = false;
    this.report.connection('idle-timeout', conn.transport.remote ?? { address: '', port: 0 });
    void conn.transport.close();
  }

  /** It closed: forget it. */
  closed(conn: TcpConn): void {
    conn.alive = false;
    this.idle.delete(conn);
    this.timer.drop(conn);
  }
}
