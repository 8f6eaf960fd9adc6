/**
 * The message-type catalogue (RFC 2661 §3.2, RFC 3931 §3.1, IANA "L2TP parameters"): numbers,
 * names, and for each RFC 2661 message the AVPs §6 lists for it.
 */
import { AvpType, avpDef } from './avp-catalog.js';
import type { AvpDef, MessageDef } from './avp-def.js';

/**
 * Message Type AVP values, named by the RFC abbreviation (RFC 2661 §3.2 spells Stop-Control-
 * Connection-Notification `StopCCN` and Hello `HELLO`). 5 and 13 are reserved (RFC 2661).
 * @example
 * ```ts
 * const m = parseControl(bytes);
 * if (m.type === MessageType.SCCRP) console.log('peer tunnel', m.assignedTunnelId);
 * ```
 */
export const MessageType = {
  /** Start-Control-Connection-Request (RFC 2661 §6.1). */
  SCCRQ: 1,
  /** Start-Control-Connection-Reply (RFC 2661 §6.2). */
  SCCRP: 2,
  /** Start-Control-Connection-Connected (RFC 2661 §6.3). */
  SCCCN: 3,
  /** Stop-Control-Connection-Notification (RFC 2661 §6.4). */
  StopCCN: 4,
  /** Hello (RFC 2661 §6.5): keepalive. */
  HELLO: 6,
  /** Outgoing-Call-Request (RFC 2661 §6.9). */
  OCRQ: 7,
  /** Outgoing-Call-Reply (RFC 2661 §6.10). */
  OCRP: 8,
  /** Outgoing-Call-Connected (RFC 2661 §6.11). */
  OCCN: 9,
  /** Incoming-Call-Request (RFC 2661 §6.6). */
  ICRQ: 10,
  /** Incoming-Call-Reply (RFC 2661 §6.7). */
  ICRP: 11,
  /** Incoming-Call-Connected (RFC 2661 §6.8). */
  ICCN: 12,
  /** Call-Disconnect-Notify (RFC 2661 §6.12). */
  CDN: 14,
  /** WAN-Error-Notify (RFC 2661 §6.13). */
  WEN: 15,
  /** Set-Link-Info (RFC 2661 §6.14). */
  SLI: 16,
  /** Modem Status (RFC 3573). */
  MDMST: 17,
  /** Service Relay Request (RFC 3817, PPPoE relay). */
  SRRQ: 18,
  /** Service Relay Reply (RFC 3817, PPPoE relay). */
  SRRP: 19,
  /** Explicit Acknowledgement (RFC 3931 §3.1, Appendix A). */
  ACK: 20,
  /** Failover Session Query (RFC 4951). */
  FSQ: 21,
  /** Failover Session Response (RFC 4951). */
  FSR: 22,
  /** Multicast-Session-Request (RFC 4045). */
  MSRQ: 23,
  /** Multicast-Session-Response (RFC 4045). */
  MSRP: 24,
  /** Multicast-Session-Establishment (RFC 4045). */
  MSE: 25,
  /** Multicast-Session-Information (RFC 4045). */
  MSI: 26,
  /** Multicast-Session-End-Notify (RFC 4045). */
  MSEN: 27,
  /** Connect-Speed-Update-Notification (RFC 5515). */
  CSUN: 28,
  /** Connect-Speed-Update-Request (RFC 5515). */
  CSURQ: 29,
} as const;

/** A message type number known to the catalogue. */
export type MessageTypeNumber = (typeof MessageType)[keyof typeof MessageType];

const A = AvpType;
const M = MessageType;

interface Row {
  readonly def: MessageDef;
  /** AVPs the RFC lists for the message, in its order (Message Type excluded). */
  readonly avps: readonly number[];
}

function row(
  type: number,
  name: string,
  longName: string,
  rfc: string,
  scope: 'tunnel' | 'session',
  requiredV2: readonly number[] = [],
  optionalV2: readonly number[] = [],
): Row {
  // Builders encode typed fields in this order. Random Vector goes first: RFC 2661 §4.3 wants it
  // before any hidden AVP, and §6 lets it appear in every message. Then §6's own order, which
  // lists the required AVPs before the optional ones.
  const avps: number[] = [A.RandomVector, ...requiredV2, ...optionalV2];
  return { def: { type, name, longName, rfc, scope, requiredV2 }, avps };
}

// RFC 2661 §6: the AVPs each message MUST carry (first list) and MAY carry (second list), in the
// RFC's order. Message Type is always first and is left out here.
const ROWS: readonly Row[] = [
  row(M.SCCRQ, 'SCCRQ', 'Start-Control-Connection-Request', 'RFC 2661 §6.1', 'tunnel',
    [A.ProtocolVersion, A.HostName, A.FramingCapabilities, A.AssignedTunnelId],
    [A.BearerCapabilities, A.ReceiveWindowSize, A.Challenge, A.TieBreaker, A.FirmwareRevision, A.VendorName]),
  row(M.SCCRP, 'SCCRP', 'Start-Control-Connection-Reply', 'RFC 2661 §6.2', 'tunnel',
    [A.ProtocolVersion, A.FramingCapabilities, A.HostName, A.AssignedTunnelId],
    [A.BearerCapabilities, A.FirmwareRevision, A.VendorName, A.ReceiveWindowSize, A.Challenge, A.ChallengeResponse]),
  row(M.SCCCN, 'SCCCN', 'Start-Control-Connection-Connected', 'RFC 2661 §6.3', 'tunnel',
    [],
    [A.ChallengeResponse]),
  row(M.StopCCN, 'StopCCN', 'Stop-Control-Connection-Notification', 'RFC 2661 §6.4', 'tunnel',
    [A.AssignedTunnelId, A.ResultCode]),
  row(M.HELLO, 'HELLO', 'Hello', 'RFC 2661 §6.5', 'tunnel'),
  row(M.OCRQ, 'OCRQ', 'Outgoing-Call-Request', 'RFC 2661 §6.9', 'session',
    [A.AssignedSessionId, A.CallSerialNumber, A.MinimumBps, A.MaximumBps, A.BearerType, A.FramingType, A.CalledNumber],
    [A.SubAddress]),
  row(M.OCRP, 'OCRP', 'Outgoing-Call-Reply', 'RFC 2661 §6.10', 'session',
    [A.AssignedSessionId],
    [A.PhysicalChannelId]),
  row(M.OCCN, 'OCCN', 'Outgoing-Call-Connected', 'RFC 2661 §6.11', 'session',
    [A.TxConnectSpeed, A.FramingType],
    [A.RxConnectSpeed, A.SequencingRequired]),
  row(M.ICRQ, 'ICRQ', 'Incoming-Call-Request', 'RFC 2661 §6.6', 'session',
    [A.AssignedSessionId, A.CallSerialNumber],
    [A.BearerType, A.PhysicalChannelId, A.CallingNumber, A.CalledNumber, A.SubAddress]),
  row(M.ICRP, 'ICRP', 'Incoming-Call-Reply', 'RFC 2661 §6.7', 'session',
    [A.AssignedSessionId]),
  row(M.ICCN, 'ICCN', 'Incoming-Call-Connected', 'RFC 2661 §6.8', 'session',
    [A.TxConnectSpeed, A.FramingType],
    [A.InitialReceivedLcpConfreq, A.LastSentLcpConfreq, A.LastReceivedLcpConfreq, A.ProxyAuthenType, A.ProxyAuthenName,
      A.ProxyAuthenChallenge, A.ProxyAuthenId, A.ProxyAuthenResponse, A.PrivateGroupId, A.RxConnectSpeed, A.SequencingRequired]),
  // RFC 3145: the PPP Disconnect Cause Code goes in CDN, after what RFC 2661 §6.12 lists.
  row(M.CDN, 'CDN', 'Call-Disconnect-Notify', 'RFC 2661 §6.12', 'session',
    [A.ResultCode, A.AssignedSessionId],
    [A.Q931CauseCode, A.PppDisconnectCauseCode]),
  row(M.WEN, 'WEN', 'WAN-Error-Notify', 'RFC 2661 §6.13', 'session',
    [A.CallErrors]),
  row(M.SLI, 'SLI', 'Set-Link-Info', 'RFC 2661 §6.14', 'session',
    [A.Accm]),
  row(M.MDMST, 'MDMST', 'Modem-Status', 'RFC 3573', 'session'),
  row(M.SRRQ, 'SRRQ', 'Service-Relay-Request', 'RFC 3817', 'session'),
  row(M.SRRP, 'SRRP', 'Service-Relay-Reply', 'RFC 3817', 'session'),
  row(M.ACK, 'ACK', 'Explicit-Acknowledgement', 'RFC 3931 §3.1', 'tunnel'),
  row(M.FSQ, 'FSQ', 'Failover-Session-Query', 'RFC 4951', 'tunnel'),
  row(M.FSR, 'FSR', 'Failover-Session-Response', 'RFC 4951', 'tunnel'),
  row(M.MSRQ, 'MSRQ', 'Multicast-Session-Request', 'RFC 4045', 'session'),
  row(M.MSRP, 'MSRP', 'Multicast-Session-Response', 'RFC 4045', 'session'),
  row(M.MSE, 'MSE', 'Multicast-Session-Establishment', 'RFC 4045', 'session'),
  row(M.MSI, 'MSI', 'Multicast-Session-Information', 'RFC 4045', 'session'),
  row(M.MSEN, 'MSEN', 'Multicast-Session-End-Notify', 'RFC 4045', 'session'),
  row(M.CSUN, 'CSUN', 'Connect-Speed-Update-Notification', 'RFC 5515', 'tunnel'),
  row(M.CSURQ, 'CSURQ', 'Connect-Speed-Update-Request', 'RFC 5515', 'tunnel'),
];

/**
 * Every message type this library knows, by number.
 * @example
 * ```ts
 * for (const d of MESSAGE_CATALOG) console.log(d.type, d.name, d.longName, d.rfc);
 * ```
 */
export const MESSAGE_CATALOG: readonly MessageDef[] = ROWS.map((r) => r.def);

const BY_TYPE: (MessageDef | undefined)[] = [];
const AVPS_BY_TYPE: (readonly AvpDef[] | undefined)[] = [];
for (let i = 0; i <= M.CSURQ; i++) {
  BY_TYPE.push(undefined);
  AVPS_BY_TYPE.push(undefined);
}
for (const r of ROWS) {
  BY_TYPE[r.def.type] = r.def;
  AVPS_BY_TYPE[r.def.type] = Object.freeze(r.avps.map((t) => avpDef(0, t)!));
}
const NONE: readonly AvpDef[] = Object.freeze([A.RandomVector].map((t) => avpDef(0, t)!));

/**
 * The catalogue entry for message type `type`, or `undefined` (reserved or unknown). O(1).
 * @example
 * ```ts
 * messageDef(MessageType.ICRQ)?.longName; // 'Incoming-Call-Request'
 * ```
 */
export function messageDef(type: number): MessageDef | undefined {
  return type < BY_TYPE.length ? BY_TYPE[type] : undefined;
}

/**
 * The AVPs RFC 2661 §6 lists for message `type` (required, then optional, in the RFC's order),
 * preceded by Random Vector (RFC 2661 §4.3: it must come before any hidden AVP). Message Type is
 * not in the list: it is always first. Builders encode typed fields in this order. For message
 * types without an RFC 2661 §6 list, only Random Vector.
 * @example
 * ```ts
 * messageAvps(MessageType.SCCRQ).map((d) => d.name); // ['Random Vector', 'Protocol Version', …]
 * ```
 */
export function messageAvps(type: number): readonly AvpDef[] {
  return (type < AVPS_BY_TYPE.length ? AVPS_BY_TYPE[type] : undefined) ?? NONE;
}

/**
 * The RFC abbreviation of message type `type` (`'SCCRQ'`, `'StopCCN'`, …), or `undefined`.
 * @example
 * ```ts
 * messageName(4); // 'StopCCN'
 * ```
 */
export function messageName(type: number): string | undefined {
  return messageDef(type)?.name;
}
