/**
 * Fair admission of new tunnels: floods cost the attacker, not the users.
 *
 * A half-open tunnel (SCCRP sent, SCCCN not yet in, RFC 2661 §7.2.1) is all a spoofed or
 * abandoned SCCRQ can make us hold. A legitimate LAC answers the SCCRP within a round trip; a
 * flood's tunnels never do. So when the half-open table (or the whole table) is full, the
 * **oldest** half-open tunnel is freed without a word to admit the new SCCRQ, rather than the new
 * one refused: a flood then only churns its own tunnels, and a real LAC's lives long enough to
 * complete. A per-source-address quota keeps one address from taking the whole table (and from
 * evicting everyone else's).
 * @internal
 */
import type { TunnelEntry, Via } from './lns-handles.js';
import type { RefusalReason } from './lns-types.js';

/** The source address of a path: what the per-source quotas count. @internal */
export function sourceOf(via: Via): string {
  return via.kind === 'udp' ? via.address : (via.conn.transport.remote?.address ?? via.conn.key);
}

/** Half-open tunnels in age order, counted per source address. @internal */
export class HalfOpenSet {
  /** Oldest first: a Set iterates in insertion order. */
  private readonly order = new Set<TunnelEntry>();
  private readonly bySource = new Map<string, number>();

  get size(): number {
    return this.order.size;
  }

  /** Half-open tunnels held for this source address. */
  count(source: string): number {
    return this.bySource.get(source) ?? 0;
  }

  oldest(): TunnelEntry | undefined {
    const n = this.order.values().next();
    return n.done === true ? undefined : n.value;
  }

  add(t: TunnelEntry): void {
    this.order.add(t);
    this.bySource.set(t.source, this.count(t.source) + 1);
  }

  delete(t: TunnelEntry): void {
    if (!this.order.delete(t)) return;
    const n = this.count(t.source) - 1;
    if (n === 0) this.bySource.delete(t.source);
    else this.bySource.set(t.source, n);
  }
}

/** The limits admission applies. @internal */
export interface AdmissionLimits {
  readonly maxTunnels: number;
  readonly maxHalfOpen: number;
  readonly maxHalfOpenPerSource: number;
}

/** What to do with a new SCCRQ: admit it (evicting `evict` first, if set), or refuse it. @internal */
export type Admission = { readonly admit: true; readonly evict: TunnelEntry | undefined } | { readonly admit: false; readonly reason: RefusalReason };

/**
 * Decide on a new SCCRQ from `source`, given the half-open set and the number of tunnels held.
 * @internal
 */
export function admit(halfOpen: HalfOpenSet, tunnels: number, source: string, l: AdmissionLimits): Admission {
  if (halfOpen.count(source) >= l.maxHalfOpenPerSource) return { admit: false, reason: 'source-quota' };
  if (halfOpen.size < l.maxHalfOpen && tunnels < l.maxTunnels) return { admit: true, evict: undefined };
  const oldest = halfOpen.oldest();
  // Every tunnel held is established or lingering: those are never pushed out by a stranger.
  if (oldest === undefined) return { admit: false, reason: 'max-tunnels' };
  return { admit: true, evict: oldest };
}
