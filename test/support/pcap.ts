/**
 * A minimal libpcap writer for the Wireshark cross-check: each L2TP message becomes one
 * IPv4/UDP datagram in a LINKTYPE_RAW capture, so tshark dissects it with no Ethernet framing.
 *
 * The default UDP port is 1701 (RFC 2661 §8.1), the port tshark hands to its L2TP dissector
 * without a `-d udp.port==…,l2tp` override.
 *
 * Formats: libpcap file format (https://wiki.wireshark.org/Development/LibpcapFileFormat),
 * IPv4 header RFC 791, UDP header RFC 768 (checksum 0 = "not computed", legal over IPv4).
 */

/** LINKTYPE_RAW: the packet starts with an IPv4 or IPv6 header. */
export const LINKTYPE_RAW = 101;
/** The L2TP UDP port (RFC 2661 §8.1). */
export const L2TP_PORT = 1701;

const PCAP_MAGIC = 0xa1b2c3d4; // microsecond timestamps
const IPV4_HEADER = 20;
const UDP_HEADER = 8;
/** Largest UDP payload an IPv4 datagram can carry (65535 − 20 − 8). */
export const MAX_UDP_PAYLOAD = 0xffff - IPV4_HEADER - UDP_HEADER;

/** One datagram to write. Addresses default to 127.0.0.1, ports to 1701, time to the index in ms. */
export interface PcapPacket {
  /** The UDP payload: one L2TP message. */
  payload: Uint8Array;
  srcPort?: number;
  dstPort?: number;
  /** IPv4 source as four bytes. */
  src?: readonly [number, number, number, number];
  dst?: readonly [number, number, number, number];
  /** Seconds since the epoch (fractional); default: packet index × 1 ms. */
  time?: number;
}

/** RFC 791 header checksum: one's complement of the one's-complement sum of 16-bit words. */
function ipv4Checksum(b: Uint8Array, o: number, len: number): number {
  let sum = 0;
  for (let i = 0; i < len; i += 2) sum += (b[o + i]! << 8) | b[o + i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * Build a whole pcap file (little-endian, as libpcap writes on x86) holding one IPv4/UDP datagram
 * per packet.
 */
export function writePcap(packets: readonly PcapPacket[]): Uint8Array {
  let size = 24;
  for (const p of packets) {
    if (p.payload.length > MAX_UDP_PAYLOAD) throw new RangeError(`payload of ${p.payload.length} bytes does not fit one IPv4/UDP datagram`);
    size += 16 + IPV4_HEADER + UDP_HEADER + p.payload.length;
  }
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  // Global header: magic, version 2.4, thiszone 0, sigfigs 0, snaplen, network.
  dv.setUint32(0, PCAP_MAGIC, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setInt32(8, 0, true);
  dv.setUint32(12, 0, true);
  dv.setUint32(16, 0x40000, true);
  dv.setUint32(20, LINKTYPE_RAW, true);
  let o = 24;
  packets.forEach((p, i) => {
    const ipLen = IPV4_HEADER + UDP_HEADER + p.payload.length;
    const t = p.time ?? 1_700_000_000 + i / 1000;
    const sec = Math.floor(t);
    dv.setUint32(o, sec, true);
    dv.setUint32(o + 4, Math.round((t - sec) * 1e6) % 1_000_000, true);
    dv.setUint32(o + 8, ipLen, true); // incl_len
    dv.setUint32(o + 12, ipLen, true); // orig_len
    o += 16;
    // IPv4 (RFC 791): version 4, IHL 5; total length; identification; DF; TTL 64; protocol 17 (UDP).
    const ip = o;
    out[ip] = 0x45;
    out[ip + 1] = 0;
    dv.setUint16(ip + 2, ipLen);
    dv.setUint16(ip + 4, i & 0xffff);
    dv.setUint16(ip + 6, 0x4000);
    out[ip + 8] = 64;
    out[ip + 9] = 17;
    out.set(p.src ?? [127, 0, 0, 1], ip + 12);
    out.set(p.dst ?? [127, 0, 0, 1], ip + 16);
    dv.setUint16(ip + 10, ipv4Checksum(out, ip, IPV4_HEADER));
    // UDP (RFC 768): ports, length (header + payload), checksum 0 (not computed; legal over IPv4).
    const udp = ip + IPV4_HEADER;
    dv.setUint16(udp, p.srcPort ?? L2TP_PORT);
    dv.setUint16(udp + 2, p.dstPort ?? L2TP_PORT);
    dv.setUint16(udp + 4, UDP_HEADER + p.payload.length);
    dv.setUint16(udp + 6, 0);
    out.set(p.payload, udp + UDP_HEADER);
    o = udp + UDP_HEADER + p.payload.length;
  });
  return out;
}
