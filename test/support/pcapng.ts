/**
 * A minimal pcapng reader for checking the committed captures (test/vectors/*.pcap, written by
 * `tshark -i lo -w`): Section Header, Interface Description and Enhanced Packet blocks, link type
 * Ethernet (Linux `lo` gives zeroed MAC addresses), IPv4, UDP. Enough to prove that the `.hex`
 * files the tests load are exactly the UDP payloads of the real capture; not a general reader.
 * Format: draft-ietf-opsawg-pcapng (§4.1 SHB, §4.2 IDB, §4.3 EPB).
 */

/** One UDP datagram of a capture. */
export interface UdpRecord {
  /** Seconds since the epoch. */
  time: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

const SHB = 0x0a0d0d0a;
const IDB = 1;
const EPB = 6;
const LINKTYPE_ETHERNET = 1;

export function readPcapngUdp(file: Uint8Array): UdpRecord[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0, true) !== SHB) throw new TypeError('not a pcapng file (no Section Header Block)');
  // Byte-order magic 0x1a2b3c4d, written in the section's own byte order.
  const le = view.getUint32(8, true) === 0x1a2b3c4d;
  const u16 = (o: number): number => view.getUint16(o, le);
  const u32 = (o: number): number => view.getUint32(o, le);
  const ifaces: { linkType: number; unitsPerSecond: number }[] = [];
  const out: UdpRecord[] = [];
  for (let o = 0; o + 12 <= file.length; ) {
    const type = u32(o);
    const len = u32(o + 4);
    if (len < 12 || o + len > file.length) throw new TypeError(`bad block length ${len} at ${o}`);
    if (type === IDB) {
      // Options after LinkType(2) Reserved(2) SnapLen(4); if_tsresol (code 9) sets the time unit.
      let unitsPerSecond = 1e6;
      for (let p = o + 16; p + 4 <= o + len - 4; ) {
        const code = u16(p);
        const olen = u16(p + 2);
        if (code === 0) break;
        if (code === 9) {
          const r = file[p + 4]!;
          unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
        }
        p += 4 + Math.ceil(olen / 4) * 4;
      }
      ifaces.push({ linkType: u16(o + 8), unitsPerSecond });
    } else if (type === EPB) {
      const iface = ifaces[u32(o + 8)];
      if (!iface) throw new TypeError(`packet for an undeclared interface at ${o}`);
      if (iface.linkType !== LINKTYPE_ETHERNET) throw new TypeError(`link type ${iface.linkType} is not Ethernet`);
      const ts = u32(o + 12) * 2 ** 32 + u32(o + 16);
      const caplen = u32(o + 20);
      const pkt = file.subarray(o + 28, o + 28 + caplen);
      const rec = udpOfEthernet(pkt);
      if (rec) out.push({ time: ts / iface.unitsPerSecond, ...rec });
    }
    o += len;
  }
  return out;
}

function udpOfEthernet(p: Uint8Array): Omit<UdpRecord, 'time'> | undefined {
  const be16 = (o: number): number => (p[o]! << 8) | p[o + 1]!;
  if (be16(12) !== 0x0800) return undefined; // IPv4 only (the captures are on 127.0.0.1)
  const ip = 14;
  const ihl = (p[ip]! & 0x0f) * 4;
  if (p[ip + 9] !== 17) return undefined;
  const addr = (o: number): string => `${p[o]}.${p[o + 1]}.${p[o + 2]}.${p[o + 3]}`;
  const udp = ip + ihl;
  const udpLen = be16(udp + 4);
  return {
    src: addr(ip + 12),
    dst: addr(ip + 16),
    srcPort: be16(udp),
    dstPort: be16(udp + 2),
    payload: p.subarray(udp + 8, udp + udpLen),
  };
}
