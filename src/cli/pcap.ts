/**
 * A minimal libpcap writer: each L2TP message becomes one UDP datagram over IPv4 or IPv6 in a
 * LINKTYPE_RAW capture, so Wireshark/tshark dissect it with no link-layer framing. Isomorphic.
 *
 * Formats: the libpcap file format; IPv4 (RFC 791), IPv6 (RFC 8200), UDP (RFC 768). UDP
 * checksums are computed (required over IPv6), so captures pass Wireshark's validation.
 */

/** LINKTYPE_RAW: each packet starts with an IPv4 or IPv6 header. */
export const LINKTYPE_RAW = 101;
/** The L2TP UDP port (RFC 2661 §8.1): tshark dissects it as L2TP without a `-d` override. */
export const L2TP_PORT = 1701;
/** Largest UDP payload an IPv4 datagram can carry (65535 − 20 − 8). */
export const MAX_UDP_PAYLOAD = 0xffff - 20 - 8;

/** One datagram to write. */
export interface PcapPacket {
  /** The UDP payload: one L2TP message. */
  payload: Uint8Array;
  /** Source address, IPv4 or IPv6 text. Default 127.0.0.1. */
  src?: string;
  /** Destination address, same family as `src`. Default 127.0.0.1. */
  dst?: string;
  /** Default 1701. */
  srcPort?: number;
  /** Default 1701. */
  dstPort?: number;
  /** Seconds since the epoch (fractional); default 1.7e9 + index ms. */
  time?: number;
  /** Microseconds since the epoch (exact; wins over `time`). */
  timeMicros?: number;
}

function ipv4(text: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? b : undefined;
}

function ipv6(text: string): number[] | undefined {
  const t = text.replace(/%.*$/, '');
  if (!t.includes(':')) return undefined;
  let tail: number[] = [];
  let s = t;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const b = ipv4(v4[1]!);
    if (!b) return undefined;
    tail = b;
    s = t.slice(0, v4.index + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0 || [...head, ...rest].some(Number.isNaN)) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

function address(text: string | undefined): number[] {
  const t = text ?? '127.0.0.1';
  const b = ipv4(t) ?? ipv6(t);
  if (!b) throw new RangeError(`not an IPv4 or IPv6 address: ${JSON.stringify(t)}`);
  return b;
}

/** One's-complement sum of 16-bit words (RFC 1071), folded. */
function sum16(b: Uint8Array | number[], o: number, len: number, acc = 0): number {
  for (let i = 0; i + 1 < len; i += 2) acc += (b[o + i]! << 8) | b[o + i + 1]!;
  if (len & 1) acc += b[o + len - 1]! << 8;
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return acc;
}

/**
 * Build a whole pcap file (little-endian, microsecond timestamps) with one UDP datagram per packet.
 * @throws `RangeError` for an address that is neither IPv4 nor IPv6, mixed families, or a payload
 *   too large for one datagram.
 */
export function writePcap(packets: readonly PcapPacket[]): Uint8Array {
  const framed = packets.map((p) => {
    const src = address(p.src);
    const dst = address(p.dst);
    if (src.length !== dst.length) throw new RangeError(`source ${p.src} and destination ${p.dst} are of different IP families`);
    if (p.payload.length > MAX_UDP_PAYLOAD) throw new RangeError(`payload of ${p.payload.length} bytes does not fit one UDP datagram`);
    return { p, src, dst, ipHeader: src.length === 4 ? 20 : 40 };
  });
  let size = 24;
  for (const f of framed) size += 16 + f.ipHeader + 8 + f.p.payload.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true); // magic: microsecond timestamps
  dv.setUint16(4, 2, true); // version 2.4
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 0x40000, true); // snaplen
  dv.setUint32(20, LINKTYPE_RAW, true);
  let o = 24;
  framed.forEach(({ p, src, dst, ipHeader }, i) => {
    const udpLen = 8 + p.payload.length;
    const len = ipHeader + udpLen;
    const us = p.timeMicros ?? Math.round((p.time ?? 1_700_000_000 + i / 1000) * 1e6);
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
      out[ip + 9] = 17; // UDP
      out.set(src, ip + 12);
      out.set(dst, ip + 16);
      dv.setUint16(ip + 10, ~sum16(out, ip, 20) & 0xffff);
      pseudo = sum16(src, 0, 4, sum16(dst, 0, 4, 17 + udpLen));
    } else {
      dv.setUint32(ip, 0x60000000); // version 6
      dv.setUint16(ip + 4, udpLen);
      out[ip + 6] = 17; // next header: UDP
      out[ip + 7] = 64; // hop limit
      out.set(src, ip + 8);
      out.set(dst, ip + 24);
      pseudo = sum16(src, 0, 16, sum16(dst, 0, 16, 17 + udpLen));
    }
    const udp = ip + ipHeader;
    dv.setUint16(udp, p.srcPort ?? L2TP_PORT);
    dv.setUint16(udp + 2, p.dstPort ?? L2TP_PORT);
    dv.setUint16(udp + 4, udpLen);
    out.set(p.payload, udp + 8);
    const c = ~sum16(out, udp, udpLen, pseudo) & 0xffff;
    dv.setUint16(udp + 6, c === 0 ? 0xffff : c);
    o = udp + udpLen;
  });
  return out;
}
