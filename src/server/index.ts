/**
 * The embedded LNS (Node): an RFC 2661 responder for demos, tests and honeypots.
 * @module
 */
export { createLns } from './lns.js';
export type { Lns, LnsOptions, LnsLimits, LnsStats, LnsAddress, LnsTunnel, LnsSession, LnsEvents, DownReason, RefusalReason, TunnelRefused, HalfOpenEvicted, ConnectionClosed, ConnectionCloseReason } from './lns-types.js';
