/**
 * IPCP's options (RFC 1332 §3: IP-Address; RFC 1877: Primary/Secondary DNS). The side that
 * assigns (`assign` set: the server) naks a peer's address that is not the one it assigns, and
 * hands out DNS by nak; the side that asks (the client) requests 0.0.0.0 and takes what it is
 * nak'd (RFC 1332 §3.3, RFC 1877 §1.1).
 */
import type { OptionNegotiator, OptionVerdict } from './control-protocol.js';
import { IpcpOption } from './numbers.js';
import { be32, u32, type PppOption } from './packet.js';

/** IPCP configuration: addresses as 32-bit unsigned integers (0 = unknown). */
export interface IpcpConfig {
  /** Our address (0: ask the peer for one). */
  readonly local: number;
  /** Server: the address to give the peer, decided when first needed. */
  readonly assign?: () => number;
  /** Server: DNS servers to hand out (RFC 1877 §1.1, §1.3); client: ignored. */
  readonly dns?: readonly number[];
  /** Client: ask for primary and secondary DNS (RFC 1877). */
  readonly requestDns: boolean;
}

const DNS = [IpcpOption.PrimaryDns, IpcpOption.SecondaryDns] as const;

/** @internal */
export class IpcpNegotiator implements OptionNegotiator {
  /** Our address: what the peer acked. */
  local: number;
  /** The peer's address: what we acked. */
  peer = 0;
  /** DNS servers we asked for and got (client), by option type. */
  readonly dns = new Map<number, number>();
  private askDns: Set<number>;
  private assigned: number | undefined;

  constructor(private readonly config: IpcpConfig) {
    this.local = config.local;
    this.askDns = new Set(config.requestDns ? DNS : []);
  }

  /** The address the server assigns, fixed once chosen. */
  private assignment(): number | undefined {
    if (!this.config.assign) return undefined;
    this.assigned ??= this.config.assign();
    return this.assigned;
  }

  request(): PppOption[] {
    const out: PppOption[] = [{ type: IpcpOption.IpAddress, data: be32(this.local) }];
    for (const t of DNS) if (this.askDns.has(t)) out.push({ type: t, data: be32(this.dns.get(t) ?? 0) });
    return out;
  }

  judge(o: PppOption): OptionVerdict {
    if (o.data.length !== 4) return { verdict: 'reject' };
    const v = u32(o.data);
    if (o.type === IpcpOption.IpAddress) {
      const a = this.assignment();
      if (a !== undefined) return v === a ? { verdict: 'ack' } : { verdict: 'nak', data: be32(a) };
      // Without a pool we cannot give the peer an address; any it has is fine.
      return v !== 0 ? { verdict: 'ack' } : { verdict: 'reject' };
    }
    const i = o.type === IpcpOption.PrimaryDns ? 0 : o.type === IpcpOption.SecondaryDns ? 1 : -1;
    const mine = i >= 0 ? this.config.dns?.[i] : undefined;
    if (mine === undefined) return { verdict: 'reject' };
    return v === mine ? { verdict: 'ack' } : { verdict: 'nak', data: be32(mine) };
  }

  accepted(options: readonly PppOption[]): void {
    for (const o of options) if (o.type === IpcpOption.IpAddress) this.peer = u32(o.data);
  }

  acked(options: readonly PppOption[]): void {
    for (const o of options) {
      if (o.type === IpcpOption.IpAddress) this.local = u32(o.data);
      else if (this.askDns.has(o.type)) this.dns.set(o.type, u32(o.data));
    }
  }

  naked(options: readonly PppOption[]): void {
    for (const o of options) {
      if (o.data.length !== 4) continue;
      if (o.type === IpcpOption.IpAddress) this.local = u32(o.data);
      else if (this.askDns.has(o.type)) this.dns.set(o.type, u32(o.data));
    }
  }

  rejected(options: readonly PppOption[]): void {
    for (const o of options) this.askDns.delete(o.type);
  }

  reset(): void {
    this.peer = 0;
  }

  /** The DNS servers obtained, primary first. */
  dnsServers(): number[] {
    return DNS.filter((t) => this.dns.has(t) && this.dns.get(t) !== 0).map((t) => this.dns.get(t)!);
  }
}

/**
 * Dotted-quad text of a 32-bit address.
 * @example
 * ```ts
 * ipv4ToString(0xc0a80001); // '192.168.0.1'
 * ```
 */
export function ipv4ToString(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

/**
 * A 32-bit address from dotted-quad text.
 * @throws `TypeError` when `s` is not a dotted quad.
 * @example
 * ```ts
 * ipv4FromString('10.0.0.1'); // 0x0a000001
 * ```
 */
export function ipv4FromString(s: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m || m.slice(1).some((x) => Number(x) > 255)) throw new TypeError(`expected an IPv4 address like 10.0.0.1, got ${JSON.stringify(s)}`);
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}
