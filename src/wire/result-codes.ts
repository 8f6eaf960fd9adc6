/**
 * Result and error codes of the Result Code AVP (RFC 2661 §4.4.2, extended by RFC 3931 §5.4.2 and
 * later RFCs via IANA's "L2TP parameters" registry). A result code means different things in a
 * StopCCN and in a CDN, so they are two tables; the general error codes are a third.
 */
import { MessageType } from './message-catalog.js';

/**
 * Result codes of a StopCCN (RFC 2661 §4.4.2; 8 from RFC 3308).
 * @example
 * ```ts
 * stopccn({ tunnelId: 9, assignedTunnelId: 7, resultCode: { result: StopCcnResult.GeneralError, error: GeneralError.VendorSpecific } });
 * ```
 */
export const StopCcnResult = {
  /** 1: General request to clear control connection. */
  GeneralRequest: 1,
  /** 2: General error — the Error Code says what (see {@link GeneralError}). */
  GeneralError: 2,
  /** 3: Control channel already exists. */
  AlreadyExists: 3,
  /** 4: Requester is not authorized to establish a control channel. */
  NotAuthorized: 4,
  /** 5: The protocol version of the requester is not supported (Error Code: highest supported). */
  UnsupportedVersion: 5,
  /** 6: Requester is being shut down. */
  ShuttingDown: 6,
  /** 7: Finite State Machine error (RFC 3931: "or timeout"). */
  FsmError: 7,
  /** 8: Control connection due to mismatching CCDS value (RFC 3308). */
  MismatchingCcds: 8,
} as const;

/**
 * Result codes of a CDN (RFC 2661 §4.4.2; 12–31 from RFC 3308, RFC 3931 and the pseudowire RFCs).
 * @example
 * ```ts
 * cdn({ tunnelId: 9, sessionId: 6, assignedSessionId: 5, resultCode: { result: CdnResult.Administrative } });
 * ```
 */
export const CdnResult = {
  /** 1: Call disconnected due to loss of carrier. */
  LossOfCarrier: 1,
  /** 2: Call disconnected for the reason indicated in the Error Code (see {@link GeneralError}). */
  GeneralError: 2,
  /** 3: Call disconnected for administrative reasons. */
  Administrative: 3,
  /** 4: Call failed due to lack of appropriate facilities being available (temporary condition). */
  NoFacilitiesTemporary: 4,
  /** 5: Call failed due to lack of appropriate facilities being available (permanent condition). */
  NoFacilitiesPermanent: 5,
  /** 6: Invalid destination. */
  InvalidDestination: 6,
  /** 7: Call failed due to no carrier detected. */
  NoCarrier: 7,
  /** 8: Call failed due to detection of a busy signal. */
  Busy: 8,
  /** 9: Call failed due to lack of a dial tone. */
  NoDialTone: 9,
  /** 10: Call was not established within time allotted by LAC. */
  Timeout: 10,
  /** 11: Call was connected but no appropriate framing was detected. */
  NoFraming: 11,
  /** 12: Disconnecting call due to mismatching SDS value (RFC 3308). */
  MismatchingSds: 12,
  /** 13: Session not established due to losing tie breaker (RFC 3931). */
  LostTieBreaker: 13,
  /** 14: Session not established due to unsupported PW type (RFC 3931). */
  UnsupportedPseudowireType: 14,
  /** 15: Session not established, sequencing required without valid L2-Specific Sublayer (RFC 3931). */
  SequencingWithoutSublayer: 15,
  /** 16: Finite state machine error or timeout (RFC 3931). */
  FsmError: 16,
} as const;

/**
 * General error codes carried in the Error Code field (RFC 2661 §4.4.2; 9–12 later, via IANA).
 * @example
 * ```ts
 * if (m.resultCode?.error === GeneralError.TryAnother) console.log('try another LNS:', m.resultCode.message);
 * ```
 */
export const GeneralError = {
  /** 0: No general error. */
  NoError: 0,
  /** 1: No control connection exists yet for this LAC-LNS pair. */
  NoControlConnection: 1,
  /** 2: Length is wrong. */
  BadLength: 2,
  /** 3: One of the field values was out of range or a reserved field was non-zero. */
  OutOfRange: 3,
  /** 4: Insufficient resources to handle this operation now. */
  InsufficientResources: 4,
  /** 5: The Session ID is invalid in this context. */
  InvalidSessionId: 5,
  /** 6: A generic vendor-specific error occurred in the LAC. */
  VendorSpecific: 6,
  /** 7: Try another: the LAC knows of other LNSs to try (their address may be in the Error Message). */
  TryAnother: 7,
  /** 8: Shut down due to receipt of an unknown AVP with the M bit set (§4.2); the message names it. */
  UnknownMandatoryAvp: 8,
  /** 9: Try another directed (draft-ietf-l2tpext-tunnel-switching). */
  TryAnotherDirected: 9,
  /** 10: Next hop unreachable (draft-ietf-l2tpext-tunnel-switching). */
  NextHopUnreachable: 10,
  /** 11: Next hop busy (draft-ietf-l2tpext-tunnel-switching). */
  NextHopBusy: 11,
  /** 12: TSA busy (draft-ietf-l2tpext-tunnel-switching). */
  TsaBusy: 12,
} as const;

/**
 * The result and error code tables in one place.
 * @example
 * ```ts
 * stopccn({ tunnelId, assignedTunnelId, resultCode: { result: ResultCode.StopCcn.GeneralRequest } });
 * ```
 */
export const ResultCode = {
  StopCcn: StopCcnResult,
  Cdn: CdnResult,
  GeneralError,
} as const;

const STOPCCN_TEXT: readonly string[] = [
  'Reserved',
  'General request to clear control connection',
  'General error--Error Code indicates the problem',
  'Control channel already exists',
  'Requester is not authorized to establish a control channel',
  'The protocol version of the requester is not supported',
  'Requester is being shut down',
  'Finite State Machine error',
  'Control connection due to mismatching CCDS value',
];

const CDN_TEXT: readonly string[] = [
  'Reserved',
  'Call disconnected due to loss of carrier',
  'Call disconnected for the reason indicated in error code',
  'Call disconnected for administrative reasons',
  'Call failed due to lack of appropriate facilities being available (temporary condition)',
  'Call failed due to lack of appropriate facilities being available (permanent condition)',
  'Invalid destination',
  'Call failed due to no carrier detected',
  'Call failed due to detection of a busy signal',
  'Call failed due to lack of a dial tone',
  'Call was not established within time allotted by LAC',
  'Call was connected but no appropriate framing was detected',
  // 12–31: RFC 3308, RFC 3931 §5.4.2, RFC 4591, RFC 4349, RFC 4454, RFC 4667, RFC 6074,
  // RFC 5611, RFC 6073 (IANA registry wording).
  'Disconnecting call due to mismatching SDS value',
  'Session not established due to losing tie breaker',
  'Session not established due to unsupported PW type',
  'Session not established, sequencing required without valid L2-Specific Sublayer',
  'Finite state machine error or timeout',
  'FR PVC was deleted permanently (no longer provisioned)',
  'FR PVC has been INACTIVE for an extended period of time',
  'Mismatched FR Header Length',
  'HDLC Link was deleted permanently (no longer provisioned)',
  'HDLC Link has been INACTIVE for an extended period of time',
  'Session not established due to other LCCE can not support the OAM Cell Emulation',
  'Mismatching interface MTU',
  'Attempt to connect to non-existent forwarder',
  'Attempt to connect to unauthorized forwarder',
  'Loop Detected',
  'Attachment Circuit bound to different PE',
  'Attachment Circuit bound to different remote Attachment Circuit',
  'Unassigned',
  'Connection refused because of TDM PW parameters; the Error Code indicates the problem',
  'Sequencing not supported',
];

const ERROR_TEXT: readonly string[] = [
  'No general error',
  'No control connection exists yet for this LAC-LNS pair',
  'Length is wrong',
  'One of the field values was out of range or reserved field was non-zero',
  'Insufficient resources to handle this operation now',
  'The Session ID is invalid in this context',
  'A generic vendor-specific error occurred in the LAC',
  'Try another',
  'Session or tunnel was shutdown due to receipt of an unknown AVP with the M-bit set',
  'Try another directed',
  'Next hop unreachable',
  'Next hop busy',
  'TSA busy',
];

/**
 * The RFC's text for result code `result` of a StopCCN or CDN (`messageType` 4 or 14), or
 * `undefined` for other message types and unassigned codes.
 * @example `describeResult(MessageType.CDN, 3) // 'Call disconnected for administrative reasons'`
 */
export function describeResult(messageType: number, result: number): string | undefined {
  const table = messageType === MessageType.StopCCN ? STOPCCN_TEXT : messageType === MessageType.CDN ? CDN_TEXT : undefined;
  return table?.[result];
}

/**
 * The RFC's text for general error code `code`, or `undefined` for an unassigned code.
 * @example
 * ```ts
 * describeError(GeneralError.BadLength); // 'Length is wrong'
 * ```
 */
export function describeError(code: number): string | undefined {
  return ERROR_TEXT[code];
}
