/**
 * The tunnel table of an embedded LNS: tunnels by our Tunnel ID (the routing key, RFC 2661
 * §3.1) and, until the LAC learns that ID, by where the SCCRQ came from (see `sccrqKey`), with
 * the gauges `stats` reports.
 * @internal
 */
import { HalfOpenSet } from './lns-admission.js';
import type { TunnelEntry } from './lns-handles.js';

/** @internal */
export class TunnelTable {
  private readonly byId = new Map<number, TunnelEntry>();
  /** Tunnels by where their SCCRQ came from and the LAC's Assigned Tunnel ID (see `sccrqKey`). */
  private readonly bySccrq = new Map<string, TunnelEntry>();
  /** Half-open tunnels, oldest first, counted per source (see `lns-admission.ts`). */
  readonly halfOpenSet = new HalfOpenSet();
  established = 0;
  sessions = 0;

  get halfOpen(): number {
    return this.halfOpenSet.size;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): TunnelEntry | undefined {
    return this.byId.get(id);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  bySccrqKey(key: string): TunnelEntry | undefined {
    return this.bySccrq.get(key);
  }

  all(): TunnelEntry[] {
    return [...this.byId.values()];
  }

  values(): IterableIterator<TunnelEntry> {
    return this.byId.values();
  }

  /** A new half-open tunnel (its SCCRQ is being answered). */
  add(t: TunnelEntry): void {
    this.byId.set(t.id, t);
    this.bySccrq.set(t.key, t);
    if (t.via.kind === 'tcp') t.via.conn.tunnels.add(t);
    this.halfOpenSet.add(t);
  }

  /** The tunnel is no longer half-open (established, or going away). */
  leaveHalfOpen(t: TunnelEntry): void {
    if (!t.halfOpen) return;
    t.halfOpen = false;
    this.halfOpenSet.delete(t);
  }

  /** The tunnel reached `established`. */
  up(t: TunnelEntry): void {
    t.up = true;
    this.leaveHalfOpen(t);
    this.established++;
  }

  /** The tunnel is down for the user; returns whether it was up. */
  down(t: TunnelEntry): boolean {
    if (!t.up) return false;
    t.up = false;
    this.established--;
    return true;
  }

  /** Take the tunnel out of every index (its sessions must be ended by the caller). */
  remove(t: TunnelEntry): void {
    this.leaveHalfOpen(t);
    this.down(t);
    this.sessions -= t.live.size;
    t.live.clear();
    this.byId.delete(t.id);
    if (this.bySccrq.get(t.key) === t) this.bySccrq.delete(t.key);
    if (t.via.kind === 'tcp') t.via.conn.tunnels.delete(t);
  }
}
