/**
 * IPv4 (RFC 791), IPv6 (RFC 8200) and UDP (RFC 768) just far enough to reach L2TP: over UDP
 * (RFC 2661 §8.1, RFC 3931 §4.1.2.2) or straight over IP as protocol 115 (RFC 3931 §4.1.1.2).
 */

/**
 * UDP's IP protocol number (RFC 768): L2TPv2 and L2TPv3 over UDP.
 * @example
 * ```ts
 * if (ip.protocol === IP_PROTO_UDP) console.log(udpDatagram(ip.payload)?.dstPort);
 * ```
 */
export const IP_PROTO_UDP = 17;
/**
 * L2TPv3 straight over IP (RFC 3931 §4.1.1, IANA protocol 115).
 * @example
 * ```ts
 * if (ip.protocol === IP_PROTO_L2TP) console.log('L2TPv3 over IP, Session ID first');
 * ```
 */
export const IP_PROTO_L2TP = 115;

/** IPv6 extension headers skipped on the way to the payload (RFC 8200 §4). */
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTH = 51;
const DEST_OPTS = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;

/**
 * The transport payload of one IP packet.
 * @example
 * ```ts
 * const ip = ipPayload(frame.data, 14);
 * if (ip && !ip.fragment) console.log(ip.src, ip.dst, ip.protocol, ip.payload.length);
 * ```
 */
export interface IpPayload {
  readonly ipVersion: 4 | 6;
  readonly src: string;
  readonly dst: string;
  /** The upper-layer protocol (after any IPv6 extension headers). */
  readonly protocol: number;
  /** The upper-layer bytes, trimmed to the IP length (link padding dropped). */
  readonly payload: Uint8Array;
  /** A fragment other than a whole packet: `payload` is not a complete upper-layer message. */
  readonly fragment: boolean;
}

/**
 * Parse the IP header at `offset` of `data`; `undefined` when it is not a well-formed IPv4/IPv6
 * header or is cut short. Never throws.
 * @example
 * ```ts
 * const ip = ipPayload(frame.data, 14); // after an Ethernet header
 * if (ip?.protocol === IP_PROTO_UDP) console.log(ip.src, '→', ip.dst);
 * ```
 */
export function ipPayload(data: Uint8Array, offset: number): IpPayload | undefined {
  const b = data.subarray(offset);
  if (b.length < 1) return undefined;
  const version = b[0]! >> 4;
  if (version === 4) {
    const ihl = (b[0]! & 0x0f) * 4;
    if (ihl < 20 || b.length < ihl) return undefined;
    const total = (b[2]! << 8) | b[3]!;
    // Total Length 0 appears with TCP segmentation offload; trust the captured bytes then.
    const end = total === 0 ? b.length : Math.min(total, b.length);
    if (end < ihl) return undefined;
    const frag = ((b[6]! << 8) | b[7]!) & 0x3fff; // MF bit and fragment offset
    return { ipVersion: 4, src: ipv4Text(b, 12), dst: ipv4Text(b, 16), protocol: b[9]!, payload: b.subarray(ihl, end), fragment: frag !== 0 };
  }
  if (version === 6) {
    if (b.length < 40) return undefined;
    const plen = (b[4]! << 8) | b[5]!;
    // Payload Length 0: a jumbogram (RFC 2675); take what was captured.
    const end = plen === 0 ? b.length : Math.min(40 + plen, b.length);
    let next = b[6]!;
    let o = 40;
    let fragment = false;
    for (;;) {
      if (next === HOP_BY_HOP || next === ROUTING || next === DEST_OPTS || next === MOBILITY || next === HIP || next === SHIM6) {
        if (end - o < 8) return undefined;
        const n = b[o]!;
        o += (b[o + 1]! + 1) * 8;
        next = n;
      } else if (next === FRAGMENT) {
        if (end - o < 8) return undefined;
        const n = b[o]!;
        fragment ||= (((b[o + 2]! << 8) | b[o + 3]!) & 0xfff9) !== 0; // offset or M flag
        o += 8;
        next = n;
      } else if (next === AUTH) {
        if (end - o < 8) return undefined;
        const n = b[o]!;
        o += (b[o + 1]! + 2) * 4; // RFC 4302 §2.2: length in 4-byte words, minus 2
        next = n;
      } else break;
      if (o > end) return undefined;
    }
    return { ipVersion: 6, src: ipv6Text(b, 8), dst: ipv6Text(b, 24), protocol: next, payload: b.subarray(o, end), fragment };
  }
  return undefined;
}

/**
 * A UDP datagram's ports and payload.
 * @example
 * ```ts
 * const { srcPort, dstPort, payload } = udpDatagram(ip.payload)!;
 * ```
 */
export interface UdpDatagram {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
}

/**
 * Parse a UDP header; `undefined` when shorter than 8 bytes. The payload ends at the UDP Length
 * (or at the captured end, whichever comes first). Never throws.
 * @example
 * ```ts
 * const udp = udpDatagram(ip.payload);
 * if (udp?.dstPort === 1701) handle(udp.payload);
 * ```
 */
export function udpDatagram(b: Uint8Array): UdpDatagram | undefined {
  if (b.length < 8) return undefined;
  const len = (b[4]! << 8) | b[5]!;
  const end = len >= 8 ? Math.min(len, b.length) : b.length;
  return { srcPort: (b[0]! << 8) | b[1]!, dstPort: (b[2]! << 8) | b[3]!, payload: b.subarray(8, end) };
}

function ipv4Text(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** RFC 5952 text: lower case, the longest run (≥ 2) of zero groups as `::`, the first if tied. */
export function ipv6Text(b: Uint8Array, o: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}
