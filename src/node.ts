/**
 * l2tp-wire/node: the Node.js transports (`node:dgram`, `node:net`). The core (`l2tp-wire`) runs
 * anywhere; only this entry point imports `node:` modules.
 * @packageDocumentation
 */
export type { Transport, TransportAddress, TransportKind } from './client/transport.js';
export {
  udpTransport,
  udpListener,
  L2TP_PORT,
  type UdpTransportOptions,
  type UdpListenerOptions,
  type UdpListener,
  type DatagramPeer,
} from './transports/node-udp.js';
export {
  tcpTransport,
  tcpListener,
  DEFAULT_CONNECT_TIMEOUT,
  type TcpTransportOptions,
  type TcpListenerOptions,
  type TcpListener,
} from './transports/node-tcp.js';
export {
  createLns,
  type Lns,
  type LnsOptions,
  type LnsLimits,
  type LnsStats,
  type LnsAddress,
  type LnsTunnel,
  type LnsSession,
  type LnsEvents,
  type DownReason,
  type RefusalReason,
  type TunnelRefused,
  type HalfOpenEvicted,
  type ConnectionClosed,
  type ConnectionCloseReason,
} from './server/index.js';
export type { TcpLimits, TcpLimitReason } from './transports/node-tcp-limits.js';
export { createRelay, type Relay, type RelayOptions, type RelayStats } from './server/relay.js';
export { servePppOnLns, type LnsPppOptions } from './server/lns-ppp.js';
