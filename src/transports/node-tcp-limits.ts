/// <reference types="node" />
/**
 * The bounds of a TCP listener (L2TP over TCP is not in any RFC; see `stream-framer.ts`): what
 * keeps strangers that connect and say nothing, or half a message, from holding the listener.
 *
 * - a cap on connections per source address, and on connections in total — when full, the
 *   oldest connection that has not yet sent one complete message is closed to make room (a
 *   legitimate peer sends its first message within a round trip; an idle one never does);
 * - a handshake timeout: no complete first message within it → closed;
 * - a bound on the bytes of incomplete messages buffered across every connection (a Length
 *   field can announce 64 KiB with four bytes).
 *
 * Bookkeeping and timers only: the Node listener (`node-tcp.ts`) wires it to its sockets.
 * @module
 */
import { assertInt } from '../wire/bytes.js';

/**
 * Why a listener closed a connection by one of its limits.
 * @example
 * ```ts
 * listener.onLimit((reason: TcpLimitReason, remote) => console.log('closed', remote.address, reason));
 * ```
 */
export type TcpLimitReason = 'source-cap' | 'total-cap' | 'evicted' | 'handshake-timeout' | 'buffer-limit';

/** The limits of a TCP listener; each optional (no limit unless said). Times in milliseconds. */
export interface TcpLimits {
  /** Most connections open at once; when full the oldest not-yet-greeted one is closed for a new one. */
  maxConnections?: number;
  /** Most connections open at once from one source address. */
  maxConnectionsPerSource?: number;
  /** Close a connection that has not sent one complete message within this long (0 = never). */
  handshakeTimeout?: number;
  /** Most bytes of incomplete messages buffered across all connections. */
  maxBufferedBytes?: number;
}

/** Check {@link TcpLimits} (misuse is a `RangeError`/`TypeError` naming the option). @internal */
export function checkTcpLimits(l: TcpLimits, who: string): Required<TcpLimits> {
  const max = 2 ** 31 - 1;
  const { maxConnections = max, maxConnectionsPerSource = max, handshakeTimeout = 0, maxBufferedBytes = Number.MAX_SAFE_INTEGER } = l;
  assertInt(maxConnections, 1, max, `${who}: maxConnections`);
  assertInt(maxConnectionsPerSource, 1, max, `${who}: maxConnectionsPerSource`);
  assertInt(handshakeTimeout, 0, max, `${who}: handshakeTimeout (ms, 0 = off)`);
  // At least one full-size message must fit, or no peer could ever send one.
  assertInt(maxBufferedBytes, 0xffff, Number.MAX_SAFE_INTEGER, `${who}: maxBufferedBytes (at least 65535, one full message)`);
  return { maxConnections, maxConnectionsPerSource, handshakeTimeout, maxBufferedBytes };
}

/** One connection as the limits see it. @internal */
export interface Limited {
  readonly source: string;
  /** Close it now, for this reason (reported by the owner). */
  cut(reason: TcpLimitReason): void;
}

interface Held {
  greeted: boolean;
  reserved: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The accounting of {@link TcpLimits} over a listener's connections. @internal */
export class ConnectionLimits<C extends Limited> {
  private readonly held = new Map<C, Held>();
  /** Connections without a complete message yet, oldest first (Set keeps insertion order). */
  private readonly waiting = new Set<C>();
  private readonly bySource = new Map<string, number>();
  /** Bytes of incomplete messages held across connections. */
  buffered = 0;

  constructor(private readonly l: Required<TcpLimits>) {}

  get size(): number {
    return this.held.size;
  }

  /**
   * A new connection from `source`: `undefined` when it may stay (an older one may have been cut
   * to make room), or the reason it must be closed.
   */
  refuse(source: string): TcpLimitReason | undefined {
    if ((this.bySource.get(source) ?? 0) >= this.l.maxConnectionsPerSource) return 'source-cap';
    if (this.held.size >= this.l.maxConnections) {
      const oldest = this.waiting.values().next();
      if (oldest.done === true) return 'total-cap';
      this.drop(oldest.value);
      oldest.value.cut('evicted');
    }
    return undefined;
  }

  /** Track an admitted connection (after {@link refuse} said yes). */
  add(c: C): void {
    const h: Held = { greeted: false, reserved: 0, timer: undefined };
    this.held.set(c, h);
    this.waiting.add(c);
    this.bySource.set(c.source, (this.bySource.get(c.source) ?? 0) + 1);
    if (this.l.handshakeTimeout > 0) {
      h.timer = setTimeout(() => {
        if (!this.held.has(c)) return;
        this.drop(c);
        c.cut('handshake-timeout');
      }, this.l.handshakeTimeout);
    }
  }

  /** Its first complete message arrived. */
  greeted(c: C): void {
    const h = this.held.get(c);
    if (h === undefined || h.greeted) return;
    h.greeted = true;
    this.waiting.delete(c);
    if (h.timer !== undefined) clearTimeout(h.timer);
    h.timer = undefined;
  }

  /** Its framer now holds `reserved` bytes; false (and it is dropped) when that breaks the bound. */
  reserve(c: C, reserved: number): boolean {
    const h = this.held.get(c);
    if (h === undefined) return true;
    this.buffered += reserved - h.reserved;
    h.reserved = reserved;
    if (this.buffered <= this.l.maxBufferedBytes) return true;
    this.drop(c);
    return false;
  }

  /** It closed (or was cut): forget it. Idempotent. */
  drop(c: C): void {
    const h = this.held.get(c);
    if (h === undefined) return;
    if (h.timer !== undefined) clearTimeout(h.timer);
    this.buffered -= h.reserved;
    this.held.delete(c);
    this.waiting.delete(c);
    const n = (this.bySource.get(c.source) ?? 1) - 1;
    if (n === 0) this.bySource.delete(c.source);
    else this.bySource.set(c.source, n);
  }
}
