/**
 * A libpcap writer: each L2TP message becomes one IPv4 or IPv6 packet (UDP, or L2TPv3 over IP
 * protocol 115) in a LINKTYPE_RAW capture, so Wireshark/tshark dissect it with no link-layer
 * framing. Pure and isomorphic.
 *
 * Formats: the libpcap file format; IPv4 (RFC 791), IPv6 (RFC 8200), UDP (RFC 768). UDP
 * checksums are computed (required over IPv6), so captures pass Wireshark's validation.
 */
import { addressBytes } from './address.js';
import { L2TP_PORT } from './decode.js';
import { IP_PROTO_L2TP, IP_PROTO_UDP } from './ip.js';
import { LinkType } from './link.js';

/**
 * Largest UDP payload an IPv4 datagram can carry (65535 − 20 − 8): {@link writePcap} refuses more.
 * @example
 * ```ts
 * if (message.length > MAX_UDP_PAYLOAD) throw new RangeError('too big for one datagram');
 * ```
 */
export const MAX_UDP_PAYLOAD = 0xffff - 20 - 8;

/**
 * One message to write.
 * @example
 * ```ts
 * const p: PcapPacket = { payload: zlb({ tunnelId: 7 }), src: '::1', dst: '::1', srcPort: 40000, timestampUs: 1_700_000_000_000_000 };
 * ```
 */
export interface PcapPacket {
  /** One L2TP message: the UDP payload, or (`encapsulation: 'ip'`) the IP payload from the Session ID on. */
  payload: Uint8Array;
  /** Source address, IPv4 or IPv6 text. Default 127.0.0.1. */
  src?: string;
  /** Destination address, same family as `src`. Default 127.0.0.1. */
  dst?: string;
  /** UDP source port. Default 1701. */
  srcPort?: number;
  /** UDP destination port. Default 1701. */
  dstPort?: number;
  /** `'udp'` (default) or `'ip'`: L2TPv3 straight over IP, protocol 115 (RFC 3931 §4.1.1). */
  encapsulation?: 'udp' | 'ip';
  /** Microseconds since the epoch (an integer: exact). Wins over `time`. */
  timestampUs?: number;
  /** Seconds since the epoch (fractional, rounded to the microsecond). Default 1.7e9 + index ms. */
  time?: number;
}

/** One's-complement sum of 16-bit words (RFC 1071), folded. */
function sum16(b: Uint8Array | number[], o: number, len: number, acc = 0): number {
  for (let i = 0; i + 1 < len; i += 2) acc += (b[o + i]! << 8) | b[o + i + 1]!;
  if (len & 1) acc += b[o + len - 1]! << 8;
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return acc;
}

function micros(p: PcapPacket, i: number): number {
  if (p.timestampUs !== undefined) {
    if (!Number.isSafeInteger(p.timestampUs) || p.timestampUs < 0) throw new RangeError(`timestampUs must be a non-negative whole number of microseconds, got ${p.timestampUs}`);
    return p.timestampUs;
  }
  const t = p.time ?? 1_700_000_000 + i / 1000;
  if (!(t >= 0)) throw new RangeError(`time must be seconds since the epoch, got ${t}`);
  return Math.round(t * 1e6);
}

/**
 * Build a whole pcap file (little-endian, microsecond timestamps, LINKTYPE_RAW) with one IP
 * packet per message, in the order given.
 * @throws `RangeError` for an address that is neither IPv4 nor IPv6, mixed families, a bad port
 *   or timestamp, or a payload too large for one packet.
 * @example
 * ```ts
 * const file = writePcap([
 *   { payload: sccrq({ hostName: 'lac', assignedTunnelId: 1 }), src: '192.0.2.1', dst: '192.0.2.2', srcPort: 40000 },
 * ]);
 * ```
 */
export function writePcap(packets: readonly PcapPacket[]): Uint8Array {
  const framed = packets.map((p, i) => {
    if (!(p.payload instanceof Uint8Array)) throw new TypeError(`packet ${i}: payload must be a Uint8Array`);
    const src = addressBytes(p.src ?? '127.0.0.1');
    const dst = addressBytes(p.dst ?? '127.0.0.1');
    if (src.length !== dst.length) throw new RangeError(`source ${p.src} and destination ${p.dst} are of different IP families`);
    for (const port of [p.srcPort, p.dstPort]) if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 0xffff)) throw new RangeError(`ports must be whole numbers from 0 to 65535, got ${port}`);
    const udp = p.encapsulation !== 'ip';
    if (p.payload.length > MAX_UDP_PAYLOAD) throw new RangeError(`payload of ${p.payload.length} bytes does not fit one packet`);
    return { p, src, dst, udp, ipHeader: src.length === 4 ? 20 : 40, us: micros(p, i) };
  });
  let size = 24;
  for (const f of framed) size += 16 + f.ipHeader + (f.udp ? 8 : 0) + f.p.payload.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true); // magic: microsecond timestamps
  dv.setUint16(4, 2, true); // version 2.4
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 0x40000, true); // snaplen
  dv.setUint32(20, LinkType.Raw, true);
  let o = 24;
  framed.forEach(({ p, src, dst, udp, ipHeader, us }, i) => {
    const upperLen = (udp ? 8 : 0) + p.payload.length;
    const len = ipHeader + upperLen;
    const proto = udp ? IP_PROTO_UDP : IP_PROTO_L2TP;
    dv.setUint32(o, Math.floor(us / 1e6), true);
    dv.setUint32(o + 4, us % 1e6, true);
    dv.setUint32(o + 8, len, true);
    dv.setUint32(o + 12, len, true);
    o += 16;
    const ip = o;
    let pseudo: number;
    if (ipHeader === 20) {
      out[ip] = 0x45; // version 4, IHL 5
      dv.setUint16(ip + 2, len);
      dv.setUint16(ip + 4, i & 0xffff);
      dv.setUint16(ip + 6, 0x4000); // DF
      out[ip + 8] = 64; // TTL
      out[ip + 9] = proto;
      out.set(src, ip + 12);
      out.set(dst, ip + 16);
      dv.setUint16(ip + 10, ~sum16(out, ip, 20) & 0xffff);
      pseudo = sum16(src, 0, 4, sum16(dst, 0, 4, proto + upperLen));
    } else {
      dv.setUint32(ip, 0x60000000); // version 6
      dv.setUint16(ip + 4, upperLen);
      out[ip + 6] = proto;
      out[ip + 7] = 64; // hop limit
      out.set(src, ip + 8);
      out.set(dst, ip + 24);
      pseudo = sum16(src, 0, 16, sum16(dst, 0, 16, proto + upperLen));
    }
    const up = ip + ipHeader;
    if (!udp) {
      out.set(p.payload, up);
      o = up + upperLen;
      return;
    }
    dv.setUint16(up, p.srcPort ?? L2TP_PORT);
    dv.setUint16(up + 2, p.dstPort ?? L2TP_PORT);
    dv.setUint16(up + 4, upperLen);
    out.set(p.payload, up + 8);
    const c = ~sum16(out, up, upperLen, pseudo) & 0xffff;
    dv.setUint16(up + 6, c === 0 ? 0xffff : c);
    o = up + upperLen;
  });
  return out;
}
