/**
 * IPV6CP's Interface-Identifier option (RFC 5072 §4.1): each side proposes a random non-zero
 * 64-bit identifier; a peer's that is zero or equal to ours is nak'd with a fresh one.
 */
import type { OptionNegotiator, OptionVerdict } from './control-protocol.js';
import type { RandomSource } from './lcp.js';
import { Ipv6cpOption } from './numbers.js';
import { sameBytes, type PppOption } from './packet.js';

const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

/** @internal */
export class Ipv6cpNegotiator implements OptionNegotiator {
  /** Our interface identifier (8 bytes). */
  local: Uint8Array;
  /** The peer's, once acked. */
  peer: Uint8Array | undefined;
  private ask = true;

  constructor(private readonly random: RandomSource) {
    this.local = this.fresh();
  }

  private fresh(avoid?: Uint8Array): Uint8Array {
    for (;;) {
      const id = this.random(8).slice(0, 8);
      if (!isZero(id) && !(avoid && sameBytes(id, avoid)) && !(this.local && sameBytes(id, this.local))) return id;
    }
  }

  request(): PppOption[] {
    return this.ask ? [{ type: Ipv6cpOption.InterfaceIdentifier, data: this.local }] : [];
  }

  judge(o: PppOption): OptionVerdict {
    if (o.type !== Ipv6cpOption.InterfaceIdentifier || o.data.length !== 8) return { verdict: 'reject' };
    // §4.1: zero or a collision with ours: suggest a different, non-zero identifier.
    if (isZero(o.data) || sameBytes(o.data, this.local)) return { verdict: 'nak', data: this.fresh(o.data) };
    return { verdict: 'ack' };
  }

  accepted(options: readonly PppOption[]): void {
    for (const o of options) if (o.type === Ipv6cpOption.InterfaceIdentifier) this.peer = o.data.slice();
  }

  acked(): void {}

  naked(options: readonly PppOption[]): void {
    for (const o of options) {
      if (o.type !== Ipv6cpOption.InterfaceIdentifier || o.data.length !== 8) continue;
      // Take the suggestion unless it is zero or the peer's own; then pick our own again.
      this.local = !isZero(o.data) && !(this.peer && sameBytes(o.data, this.peer)) ? o.data.slice() : this.fresh();
    }
  }

  rejected(options: readonly PppOption[]): void {
    for (const o of options) if (o.type === Ipv6cpOption.InterfaceIdentifier) this.ask = false;
  }

  reset(): void {
    this.peer = undefined;
  }
}

/**
 * An interface identifier as the low 64 bits of an IPv6 address (`fe80::…` form).
 * @example
 * ```ts
 * interfaceIdToString(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1)); // '0:0:0:1'
 * ```
 */
export function interfaceIdToString(id: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < 8; i += 2) parts.push(((id[i]! << 8) | id[i + 1]!).toString(16));
  return parts.join(':');
}
