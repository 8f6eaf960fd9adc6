/**
 * Sans-I/O state machines for L2TP control connections and sessions: L2TPv2 (RFC 2661 §7) and
 * the L2TPv3 control connection (RFC 3931 §7), one table-driven core.
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
  PseudowireCallOptions,
  PseudowireInfo,
} from './types.js';
export { TUNNEL_TRANSITIONS, SESSION_TRANSITIONS, findTransition } from './table.js';
export type { Transition, TunnelTableEvent, SessionTableEvent } from './table.js';
export { recognisedAvp, compareTieBreakers } from './checks.js';
export { Pseudowire } from './pseudowire.js';
export type { PseudowireOptions, PseudowireReceipt, PseudowireDrop, PseudowireStats } from './pseudowire.js';
export { pseudowireOptions } from './pseudowire-avps.js';
export type { SessionDataAvps, PseudowireTuning } from './pseudowire-avps.js';
export { MESSAGE_RULES, messageRule, avpRecognised } from './message-rules.js';
export type { L2tpVersion, MessageRule, VersionRule } from './message-rules.js';
