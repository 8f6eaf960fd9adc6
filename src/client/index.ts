/**
 * The async driver: a {@link TunnelFsm} bound to a {@link Transport} and real timers.
 * Isomorphic: no `node:` imports (timers, clock and random bytes come from `globalThis`).
 * @module
 */
export { openTunnel } from './open.js';
export { probe, type ProbeOptions, type ProbeResult } from './probe.js';
export { establishSession, type EstablishSessionOptions, type SessionEstablishment } from './establish.js';
export { Tunnel, type TunnelEvents, type TunnelStop } from './tunnel.js';
export { Session, type SessionDown, type SessionEvents } from './session.js';
export { DEFAULT_TIMEOUT, type OpenTunnelOptions, type WaitOptions } from './options.js';
export type { StopError } from './driver-errors.js';
export type { AbortSignalLike, Clock, Timers } from './platform.js';
export type { Transport, TransportAddress, TransportKind } from './transport.js';
