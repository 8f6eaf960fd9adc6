/**
 * l2tp-wire/workers: the Cloudflare Workers transport (`connect()` from `cloudflare:sockets`, TCP
 * only). L2TP over TCP is not in any RFC; see `docs/workers.md` for the framing and for the
 * TCP↔UDP relay (`createRelay` in `l2tp-wire/node`) that bridges a Worker to a UDP LNS.
 * @packageDocumentation
 */
export type { Transport, TransportAddress, TransportKind } from './client/transport.js';
export { workersTransport, type WorkersTransportOptions, type WorkersAbortSignal } from './transports/workers.js';
