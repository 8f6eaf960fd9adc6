/**
 * l2tp-wire: the L2TP wire codec, reliable delivery and state machines (RFC 2661, RFC 3931).
 * Runs unchanged in Node, Deno, Bun, Workers and browsers.
 * @packageDocumentation
 */
export { L2tpError, type L2tpErrorCode } from './wire/errors.js';
export {
  parseHeader,
  encodeHeader,
  headerLength,
  HeaderFlag,
  type Header,
  type HeaderV2,
  type ControlHeaderV3,
  type DataHeaderV3,
  type HeaderInit,
  type HeaderV2Init,
  type ControlHeaderV3Init,
  type DataHeaderV3Init,
  type ParseHeaderOptions,
} from './wire/header.js';
export {
  AvpReader,
  ParsedAvp,
  decodeAvps,
  encodeAvp,
  avpLength,
  AvpFlag,
  AVP_HEADER_LENGTH,
  AVP_MAX_VALUE_LENGTH,
  type Avp,
  type AvpInit,
  type AvpJson,
} from './wire/avp.js';
export { bytesToHex, jsonValue, type Jsonified } from './wire/json.js';
export type { AvpDef, MessageDef, ValueCodec, MandatoryRule } from './wire/avp-def.js';
export * from './wire/avp-catalog.js';
export * from './wire/message-catalog.js';
export * from './wire/result-codes.js';
export {
  parseControl,
  encodeControl,
  encodingLength,
  CONTROL_HEADER_LENGTH,
  type ControlMessage,
  type ControlMessageJson,
  type ControlMessageObject,
  type ControlMessageInit,
  type ParseControlOptions,
  type HidingOptions,
  type HidingPad,
} from './wire/control.js';
export * from './wire/builders.js';
export {
  parseData,
  encodeData,
  type DataMessage,
  type DataMessageV2,
  type DataMessageV3,
  type DataMessageV2Init,
  type DataMessageV3Init,
} from './wire/data.js';
export { writeDefaultL2ss, readDefaultL2ss, DEFAULT_L2SS_LENGTH, L2SS_SEQUENCE_MODULUS, type DefaultL2ss } from './wire/l2ss.js';
export * from './wire/md5.js';
export * from './wire/hidden.js';
export * from './wire/challenge.js';
export { v3DigestKey, signControlV3, verifyControlV3, type DigestNonces, type V3DigestOptions } from './wire/v3-digest.js';
export { v3HidingKey, hideAvpValueV3, unhideAvpValueV3 } from './wire/v3-hidden.js';
export { encodeControlV3, parseControlV3, type V3AuthOptions, type ControlMessageV3Init } from './wire/v3-auth.js';
export { Sequencer, retransmissionCycle } from './reliable/index.js';
export type { AckMessage, CongestionMode, ReceivedControl, SequencerOptions, SequencerOutput, SequencerState } from './reliable/index.js';
export type { Transport, TransportAddress, TransportKind } from './client/transport.js';
export { StreamFramer, toStreamMessage, STREAM_MAX_MESSAGE_LENGTH } from './transports/stream-framer.js';
export { Pseudowire, pseudowireOptions, type PseudowireOptions, type PseudowireReceipt, type PseudowireDrop, type PseudowireStats, type SessionDataAvps, type PseudowireTuning } from './fsm/index.js';
export { TunnelFsm, TUNNEL_TRANSITIONS, SESSION_TRANSITIONS, findTransition, recognisedAvp, compareTieBreakers } from './fsm/index.js';
export { MESSAGE_RULES, messageRule, avpRecognised } from './fsm/index.js';
export type { L2tpVersion, MessageRule, VersionRule } from './fsm/index.js';
export type {
  TunnelOptions,
  RandomBytes,
  DataSequencingMode,
  DataSequenceStats,
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
  Transition,
  TunnelTableEvent,
  SessionTableEvent,
} from './fsm/index.js';
export {
  openTunnel,
  probe,
  establishSession,
  Tunnel,
  Session,
  DEFAULT_TIMEOUT,
  type ProbeOptions,
  type ProbeResult,
  type EstablishSessionOptions,
  type SessionEstablishment,
  type TunnelEvents,
  type TunnelStop,
  type SessionDown,
  type SessionEvents,
  type OpenTunnelOptions,
  type WaitOptions,
  type StopError,
  type AbortSignalLike,
  type Clock,
  type Timers,
} from './client/index.js';
export * from './crypto/index.js';
export {
  PppError,
  type PppErrorCode,
  PppProtocol,
  CpCode,
  LcpOption,
  IpcpOption,
  Ipv6cpOption,
  ChapAlgorithm,
  parsePppFrame,
  encodePppFrame,
  pppHeaderLength,
  type PppFrame,
  type PppFrameOptions,
  parseControlPacket,
  encodeControlPacket,
  parseOptions,
  encodeOptions,
  type ControlPacket,
  type PppOption,
  Automaton,
  AUTOMATON_STATES,
  AUTOMATON_TRANSITIONS,
  automatonTransition,
  type AutomatonState,
  type AutomatonEvent,
  type AutomatonAction,
  type AutomatonTransition,
  ControlProtocol,
  type OptionNegotiator,
  type OptionVerdict,
  type CpHost,
  type CpTimers,
  type ExtraCodes,
  AUTH_METHODS,
  type AuthMethod,
  type AuthResult,
  type AuthProof,
  type Authenticate,
  type RandomSource,
  ipv4ToString,
  ipv4FromString,
  interfaceIdToString,
  AddressPool,
  ntPasswordHash,
  challengeHash as mschapChallengeHash,
  challengeResponse as mschapChallengeResponse,
  generateNtResponse,
  generateAuthenticatorResponse,
  mschapUserName,
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
} from './ppp/index.js';
export {
  connectPpp,
  servePpp,
  PppConnection,
  type PppPort,
  type PppDriverOptions,
  type PppPhaseTiming,
  type PppOutcome,
} from './client/ppp.js';
export { login, type LoginOptions, type LoginReport } from './client/login.js';
export {
  ConformanceObserver,
  SharedObserverOptions,
  CONFORMANCE_RULES,
  ruleById,
  formatReport,
  conformanceDecision,
  type ObserverOptions,
  type ConformanceDecision,
  type ConformancePolicy,
  type ConformanceRule,
  type StrictAction,
  type CheckResult,
  type Finding,
  type MessageContext,
  type TimeContext,
  type CheckOptions,
  type ConformanceReport,
  type Deviation,
  type Direction,
  type RuleOutcome,
  type Severity,
} from './conformance/index.js';
