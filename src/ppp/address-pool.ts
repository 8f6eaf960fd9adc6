/**
 * A pool of IPv4 addresses for a PPP server to hand out (IPCP, RFC 1332 §3.3), one per link.
 */
import { ipv4FromString, ipv4ToString } from './ipcp.js';

/**
 * Consecutive addresses from `first`, `size` of them; `allocate` gives the lowest free one.
 * @example
 * ```ts
 * const pool = new AddressPool('10.0.0.2', 100);
 * const server = new PppServer({ random, authenticate, peerAddress: () => pool.allocate() });
 * // when the link goes down: pool.release(info.peerIpAddress)
 * ```
 */
export class AddressPool {
  private readonly base: number;
  private readonly used: Uint8Array;
  private inUse = 0;

  constructor(first: string, readonly size: number) {
    this.base = ipv4FromString(first);
    if (!Number.isInteger(size) || size < 1 || size > 65536 || this.base + size - 1 > 0xffffffff) {
      throw new RangeError(`size must be an integer from 1 to 65536 that stays within IPv4, got ${String(size)}`);
    }
    this.used = new Uint8Array(size);
  }

  /** Addresses handed out and not released. */
  get allocated(): number {
    return this.inUse;
  }

  /**
   * The lowest free address, now taken.
   * @throws `RangeError` when the pool is exhausted.
   */
  allocate(): string {
    const i = this.used.indexOf(0);
    if (i < 0) throw new RangeError(`address pool exhausted (${this.size} addresses in use)`);
    this.used[i] = 1;
    this.inUse++;
    return ipv4ToString((this.base + i) >>> 0);
  }

  /** Give `address` back; an address outside the pool or not taken is ignored. */
  release(address: string | null | undefined): void {
    if (!address) return;
    const i = ipv4FromString(address) - this.base;
    if (i >= 0 && i < this.size && this.used[i]) {
      this.used[i] = 0;
      this.inUse--;
    }
  }
}
