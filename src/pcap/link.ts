/**
 * Link layers (tcpdump.org "LINK-LAYER HEADER TYPES"): find the IP packet inside a frame.
 * Frames that carry no IPv4/IPv6 (ARP, LLDP…) give `undefined`.
 */

/**
 * The LINKTYPE_* values this reader understands.
 * @example
 * ```ts
 * if (frame.linkType === LinkType.LinuxSll2) console.log('captured with tcpdump -i any');
 * ```
 */
export const LinkType = {
  /** BSD loopback: a 4-byte address family in the capturing host's byte order. */
  Null: 0,
  /** Ethernet II, with any number of 802.1Q / 802.1ad VLAN tags. */
  Ethernet: 1,
  /** Raw IP: the frame starts with an IPv4 or IPv6 header. */
  Raw: 101,
  /** OpenBSD loopback: a 4-byte address family in network byte order. */
  Loop: 108,
  /** Linux "cooked" capture v1 (`tcpdump -i any`, older). */
  LinuxSll: 113,
  /** Raw IPv4. */
  Ipv4: 228,
  /** Raw IPv6. */
  Ipv6: 229,
  /** Linux "cooked" capture v2 (`tcpdump -i any`, libpcap ≥ 1.10). */
  LinuxSll2: 276,
} as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = new Set([0x8100, 0x88a8, 0x9100]);
/** Address family values for IPv6 on the BSDs, macOS and Linux (AF_INET6 differs per OS). */
const AF_INET = 2;
const AF_INET6 = new Set([10, 24, 28, 30]);

/**
 * Where the IP packet of a frame starts, and which IP version the link layer says it is.
 * @example
 * ```ts
 * const at = ipInFrame(LinkType.LinuxSll2, frame.data); // { version: 4, offset: 20 }
 * ```
 */
export interface IpLocation {
  /** From the link layer (Ethernet type, SLL protocol, loopback family), or from the IP header itself. */
  readonly version: 4 | 6;
  readonly offset: number;
}

/**
 * Locate the IP packet in a frame of link type `linkType`, or `undefined` when the frame carries
 * no IP (or the link type is not one of {@link LinkType}). Never throws.
 * @example
 * ```ts
 * const at = ipInFrame(frame.linkType, frame.data); // { version: 4, offset: 14 } on Ethernet
 * ```
 */
export function ipInFrame(linkType: number, data: Uint8Array): IpLocation | undefined {
  const u16 = (o: number) => (data[o]! << 8) | data[o + 1]!;
  const byType = (type: number, offset: number): IpLocation | undefined =>
    type === ETHERTYPE_IPV4 ? { version: 4, offset } : type === ETHERTYPE_IPV6 ? { version: 6, offset } : undefined;
  switch (linkType) {
    case LinkType.Ethernet: {
      let o = 12;
      while (data.length >= o + 2 && ETHERTYPE_VLAN.has(u16(o))) o += 4; // skip VLAN tags
      return data.length >= o + 2 ? byType(u16(o), o + 2) : undefined;
    }
    case LinkType.LinuxSll:
      // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
      return data.length >= 16 ? byType(u16(14), 16) : undefined;
    case LinkType.LinuxSll2:
      // protocol(2) reserved(2) interface index(4) ARPHRD(2) packet type(1) address length(1) address(8)
      return data.length >= 20 ? byType(u16(0), 20) : undefined;
    case LinkType.Null:
    case LinkType.Loop: {
      if (data.length < 4) return undefined;
      const be = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
      const le = ((data[3]! << 24) | (data[2]! << 16) | (data[1]! << 8) | data[0]!) >>> 0;
      // NULL is in the capturing host's order, which the file does not record: the small one is right.
      const family = linkType === LinkType.Loop ? be : Math.min(be, le);
      return family === AF_INET ? { version: 4, offset: 4 } : AF_INET6.has(family) ? { version: 6, offset: 4 } : undefined;
    }
    case LinkType.Raw:
    case 12: // DLT_RAW on OpenBSD, sometimes written unmapped
    case 14: {
      const v = data.length > 0 ? data[0]! >> 4 : 0;
      return v === 4 || v === 6 ? { version: v, offset: 0 } : undefined;
    }
    case LinkType.Ipv4:
      return { version: 4, offset: 0 };
    case LinkType.Ipv6:
      return { version: 6, offset: 0 };
    default:
      return undefined;
  }
}
