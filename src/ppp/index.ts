/**
 * PPP over an L2TP session, sans-I/O (RFC 1661 automaton and LCP; PAP, CHAP-MD5, MS-CHAPv2;
 * IPCP with DNS; IPV6CP). Imports `wire/` (MD5, UTF-8) and `crypto/` only.
 */
export { PppError, type PppErrorCode } from './errors.js';
export { PppProtocol, CpCode, LcpOption, IpcpOption, Ipv6cpOption, ChapAlgorithm } from './numbers.js';
export { parsePppFrame, encodePppFrame, pppHeaderLength, type PppFrame, type PppFrameOptions } from './frame.js';
export { parseControlPacket, encodeControlPacket, parseOptions, encodeOptions, type ControlPacket, type PppOption } from './packet.js';
export {
  Automaton,
  AUTOMATON_STATES,
  AUTOMATON_TRANSITIONS,
  automatonTransition,
  type AutomatonState,
  type AutomatonEvent,
  type AutomatonAction,
  type AutomatonTransition,
} from './automaton.js';
export { ControlProtocol, type OptionNegotiator, type OptionVerdict, type CpHost, type CpTimers, type ExtraCodes } from './control-protocol.js';
export { AUTH_METHODS, type AuthMethod } from './auth-method.js';
export type { AuthResult, AuthProof, Authenticate } from './auth-types.js';
export type { RandomSource } from './lcp.js';
export { ipv4ToString, ipv4FromString } from './ipcp.js';
export { interfaceIdToString } from './ipv6cp.js';
export { AddressPool } from './address-pool.js';
export {
  ntPasswordHash,
  challengeHash,
  challengeResponse,
  generateNtResponse,
  generateAuthenticatorResponse,
  mschapUserName,
} from './mschapv2.js';
export {
  PppLink,
  PppClient,
  PppServer,
  type PppPhase,
  type PppLinkInfo,
  type PppEvent,
  type PppAction,
  type PppCommonOptions,
  type PppClientOptions,
  type PppServerOptions,
  type PppRole,
} from './link.js';
