/**
 * One `Via` object per UDP peer address and port, shared by all its tunnels: a LAC usually
 * speaks from one socket (xl2tpd: port 1701) for all its tunnels, so an LNS with thousands of
 * tunnels has a handful of peers. Each tunnel keeps its peer's `Via` for its lifetime; a fresh
 * `{ kind, address, port }` and address string per tunnel cost ~80 B (issue 16: memory per
 * idle tunnel). A `Via` is immutable, so sharing changes nothing but memory. Bounded: past
 * `MAX_ADDRESSES` addresses (or `MAX_PORTS` ports on one) the cache forgets and starts over,
 * which only stops the sharing.
 * @internal
 */
import type { Via } from './lns-handles.js';

type UdpVia = Extract<Via, { kind: 'udp' }>;

const MAX_ADDRESSES = 4096;
const MAX_PORTS = 16;

/** @internal */
export class ViaCache {
  private readonly byAddress = new Map<string, UdpVia[]>();

  /** The shared `Via` of `address`:`port`. */
  udp(address: string, port: number): Via {
    let ports = this.byAddress.get(address);
    if (ports !== undefined) {
      for (let i = 0; i < ports.length; i++) if (ports[i]!.port === port) return ports[i]!;
      if (ports.length >= MAX_PORTS) ports.length = 0;
    } else {
      if (this.byAddress.size >= MAX_ADDRESSES) this.byAddress.clear();
      this.byAddress.set(address, (ports = []));
    }
    const via: UdpVia = { kind: 'udp', address, port };
    ports.push(via);
    return via;
  }
}
