/**
 * Sans-I/O state machines for L2TPv2 control connections and sessions (RFC 2661 §7).
 * @module
 */
export { TunnelFsm } from './tunnel.js';
export type { TunnelOptions, RandomBytes } from './options.js';
export type { DataSequencingMode, DataSequenceStats } from './data-sequencing.js';
export type {
  TunnelState,
  SessionState,
  TunnelRole,
  TunnelEvent,
  TunnelAction,
  PeerInfo,
  CallInfo,
  CallOptions,
  IncomingCallOptions,
  OutgoingCallOptions,
} from './types.js';
export { TUNNEL_TRANSITIONS, SESSION_TRANSITIONS, findTransition } from './table.js';
export type { Transition, TunnelTableEvent, SessionTableEvent } from './table.js';
export { recognisedAvp, compareTieBreakers } from './checks.js';
export { Pseudowire } from './pseudowire.js';
export type { PseudowireOptions, PseudowireReceipt, PseudowireDrop, PseudowireStats } from './pseudowire.js';
export { pseudowireOptions } from './pseudowire-avps.js';
export type { SessionDataAvps, PseudowireTuning } from './pseudowire-avps.js';
