/**
 * `l2tp-wire/pcap`: read pcap and pcapng captures (Ethernet, Linux cooked v1/v2, loopback, raw IP;
 * IPv4 and IPv6; L2TP over UDP and L2TPv3 over IP) into L2TP messages parsed by the codec, grouped
 * per tunnel and session; and write L2TP messages as a pcap Wireshark opens. Pure and isomorphic:
 * bytes in, records out.
 * @packageDocumentation
 */
export { readCaptureFile, type CaptureFile, type CapturedFrame } from './pcap/container.js';
export { LinkType, ipInFrame, type IpLocation } from './pcap/link.js';
export { ipPayload, udpDatagram, IP_PROTO_UDP, IP_PROTO_L2TP, type IpPayload, type UdpDatagram } from './pcap/ip.js';
export { decodeCapture, L2TP_PORT, type DecodeCaptureOptions, type DecodedCapture, type L2tpRecord } from './pcap/decode.js';
export type { Endpoint, EndId, TunnelGroup, SessionGroup } from './pcap/conversations.js';
export type { L2SpecificSublayer, RecordError } from './pcap/message.js';
export { recordToJson, toHex, type RecordJson, type AvpJson } from './pcap/json.js';
export { writePcap, MAX_UDP_PAYLOAD, type PcapPacket } from './pcap/write.js';
