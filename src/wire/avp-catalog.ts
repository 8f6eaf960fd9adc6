/**
 * The AVP catalogue: one table row per known AVP, keyed on (Vendor ID, Attribute Type) — never on
 * the type alone, so a vendor AVP is never mistaken for an IETF one (DESIGN §3).
 *
 * Sources: RFC 2661 §4.4 (types 0–39), RFC 3301 (40–45), RFC 3145 (46), RFC 3308 (47–48),
 * RFC 3437 (49–52), RFC 3573 (53–54), RFC 3817 (55–57), RFC 3931 §5.4 (58–75), RFC 4951 (76–79),
 * RFC 4045 (80–84), RFC 4591/4454/4667/4720/4623/5085/5515/5611/6073 (85–101), RFC 7886 (102),
 * RFC 9601 (103); names cross-checked with IANA's "L2TP parameters" registry and Wireshark's
 * `packet-l2tp.c`. Type 20 is reserved (RFC 2661) and has no entry.
 *
 * M and H rules: the RFC 2661, RFC 3931 and RFC 3145 rows carry the rule their RFC states. For the
 * other extension AVPs the RFC text was not checked here: those rows say `mandatoryRule: 'may'`
 * and `hideable: false`, so this library sends them with M=0 and never hides them (conservative:
 * a peer tears the tunnel down over an M=1 AVP it does not know). Vendor rows are the same.
 */
import type { AvpDef, MandatoryRule, ValueCodec } from './avp-def.js';
import * as c from './value-codecs.js';

export type {
  AccmValue,
  CallErrorsValue,
  MessageDigestValue,
  PppDisconnectCauseValue,
  ProtocolVersionValue,
  Q931CauseValue,
  ResultCodeValue,
} from './value-codecs.js';

/**
 * SMI Network Management Private Enterprise Codes that appear in the Vendor ID of L2TP AVPs.
 * @example
 * ```ts
 * avpDef(VendorId.BroadbandForum, 144)?.name; // 'Access-Loop-Encapsulation'
 * ```
 */
export const VendorId = {
  /** IETF-defined AVPs (RFC 2661 §4.1). */
  Ietf: 0,
  /** Cisco Systems: its pre-standard L2TPv3 AVPs. */
  Cisco: 9,
  /** Broadband Forum (formerly DSL Forum / ADSL Forum): access-line AVPs. */
  BroadbandForum: 3561,
} as const;

/**
 * IETF Attribute Types (Vendor ID 0), named from the defining RFC.
 * @example
 * ```ts
 * avpDef(VendorId.Ietf, AvpType.AssignedTunnelId)?.name; // 'Assigned Tunnel ID'
 * ```
 */
export const AvpType = {
  /** Message Type, RFC 2661 §4.4.1. MUST be the first AVP of a control message. */
  MessageType: 0,
  /** Result Code (StopCCN, CDN), RFC 2661 §4.4.2. */
  ResultCode: 1,
  /** Protocol Version (SCCRQ, SCCRP), RFC 2661 §4.4.3. */
  ProtocolVersion: 2,
  /** Framing Capabilities (SCCRQ, SCCRP), RFC 2661 §4.4.3. */
  FramingCapabilities: 3,
  /** Bearer Capabilities (SCCRQ, SCCRP), RFC 2661 §4.4.3. */
  BearerCapabilities: 4,
  /** Tie Breaker (SCCRQ), RFC 2661 §4.4.3. */
  TieBreaker: 5,
  /** Firmware Revision (SCCRQ, SCCRP), RFC 2661 §4.4.3. */
  FirmwareRevision: 6,
  /** Host Name (SCCRQ, SCCRP), RFC 2661 §4.4.3. */
  HostName: 7,
  /** Vendor Name (SCCRQ, SCCRP), RFC 2661 §4.4.3. */
  VendorName: 8,
  /** Assigned Tunnel ID (SCCRQ, SCCRP, StopCCN), RFC 2661 §4.4.3. */
  AssignedTunnelId: 9,
  /** Receive Window Size (SCCRQ, SCCRP), RFC 2661 §4.4.3. */
  ReceiveWindowSize: 10,
  /** Challenge (SCCRQ, SCCRP), RFC 2661 §4.4.3. */
  Challenge: 11,
  /** Q.931 Cause Code (CDN), RFC 2661 §4.4.4. */
  Q931CauseCode: 12,
  /** Challenge Response (SCCRP, SCCCN), RFC 2661 §4.4.3 (IANA: "Response"). */
  ChallengeResponse: 13,
  /** Assigned Session ID (ICRQ, ICRP, OCRQ, OCRP, CDN), RFC 2661 §4.4.4. */
  AssignedSessionId: 14,
  /** Call Serial Number (ICRQ, OCRQ), RFC 2661 §4.4.4. */
  CallSerialNumber: 15,
  /** Minimum BPS (OCRQ), RFC 2661 §4.4.4. */
  MinimumBps: 16,
  /** Maximum BPS (OCRQ), RFC 2661 §4.4.4. */
  MaximumBps: 17,
  /** Bearer Type (ICRQ, OCRQ), RFC 2661 §4.4.4. */
  BearerType: 18,
  /** Framing Type (ICCN, OCCN, OCRQ), RFC 2661 §4.4.4. */
  FramingType: 19,
  /** Called Number (ICRQ, OCRQ), RFC 2661 §4.4.4. */
  CalledNumber: 21,
  /** Calling Number (ICRQ), RFC 2661 §4.4.4. */
  CallingNumber: 22,
  /** Sub-Address (ICRQ, OCRQ), RFC 2661 §4.4.4. */
  SubAddress: 23,
  /** (Tx) Connect Speed (ICCN, OCCN), RFC 2661 §4.4.4. */
  TxConnectSpeed: 24,
  /** Physical Channel ID (ICRQ, OCRP), RFC 2661 §4.4.4. */
  PhysicalChannelId: 25,
  /** Initial Received LCP CONFREQ (ICCN), RFC 2661 §4.4.5. */
  InitialReceivedLcpConfreq: 26,
  /** Last Sent LCP CONFREQ (ICCN), RFC 2661 §4.4.5. */
  LastSentLcpConfreq: 27,
  /** Last Received LCP CONFREQ (ICCN), RFC 2661 §4.4.5. */
  LastReceivedLcpConfreq: 28,
  /** Proxy Authen Type (ICCN), RFC 2661 §4.4.5. */
  ProxyAuthenType: 29,
  /** Proxy Authen Name (ICCN), RFC 2661 §4.4.5. */
  ProxyAuthenName: 30,
  /** Proxy Authen Challenge (ICCN), RFC 2661 §4.4.5. */
  ProxyAuthenChallenge: 31,
  /** Proxy Authen ID (ICCN), RFC 2661 §4.4.5. */
  ProxyAuthenId: 32,
  /** Proxy Authen Response (ICCN), RFC 2661 §4.4.5. */
  ProxyAuthenResponse: 33,
  /** Call Errors (WEN), RFC 2661 §4.4.6 ("Circuit Errors" in RFC 3931). */
  CallErrors: 34,
  /** ACCM (SLI), RFC 2661 §4.4.6. */
  Accm: 35,
  /** Random Vector (any message), RFC 2661 §4.4.1; seeds hidden AVPs (§4.3). */
  RandomVector: 36,
  /** Private Group ID (ICCN), RFC 2661 §4.4.4. */
  PrivateGroupId: 37,
  /** Rx Connect Speed (ICCN, OCCN), RFC 2661 §4.4.4. */
  RxConnectSpeed: 38,
  /** Sequencing Required (ICCN, OCCN), RFC 2661 §4.4.4. */
  SequencingRequired: 39,
  /** Rx Minimum BPS, RFC 3301. */
  RxMinimumBps: 40,
  /** Rx Maximum BPS, RFC 3301. */
  RxMaximumBps: 41,
  /** Service Category, RFC 3301. */
  ServiceCategory: 42,
  /** Service Name, RFC 3301. */
  ServiceName: 43,
  /** Calling Sub-Address, RFC 3301. */
  CallingSubAddress: 44,
  /** VPI/VCI Identifier, RFC 3301. */
  VpiVciIdentifier: 45,
  /** PPP Disconnect Cause Code (CDN), RFC 3145. */
  PppDisconnectCauseCode: 46,
  /** CCDS (Control Connection DiffServ), RFC 3308. */
  Ccds: 47,
  /** SDS (Session DiffServ), RFC 3308. */
  Sds: 48,
  /** LCP Want Options, RFC 3437. */
  LcpWantOptions: 49,
  /** LCP Allow Options, RFC 3437. */
  LcpAllowOptions: 50,
  /** LNS Last Sent LCP Confreq, RFC 3437. */
  LnsLastSentLcpConfreq: 51,
  /** LNS Last Received LCP Confreq, RFC 3437. */
  LnsLastReceivedLcpConfreq: 52,
  /** Modem On-Hold Capable, RFC 3573. */
  ModemOnHoldCapable: 53,
  /** Modem On-Hold Status, RFC 3573. */
  ModemOnHoldStatus: 54,
  /** PPPoE Relay, RFC 3817. */
  PppoeRelay: 55,
  /** PPPoE Relay Response Capability, RFC 3817. */
  PppoeRelayResponseCapability: 56,
  /** PPPoE Relay Forward Capability, RFC 3817. */
  PppoeRelayForwardCapability: 57,
  /** Extended Vendor ID, RFC 3931 §5.4. */
  ExtendedVendorId: 58,
  /** Message Digest, RFC 3931 §5.4.1. */
  MessageDigest: 59,
  /** Router ID, RFC 3931 §5.4.3. */
  RouterId: 60,
  /** Assigned Control Connection ID, RFC 3931 §5.4.3. */
  AssignedControlConnectionId: 61,
  /** Pseudowire Capabilities List, RFC 3931 §5.4.3. */
  PseudowireCapabilitiesList: 62,
  /** Local Session ID, RFC 3931 §5.4.4. */
  LocalSessionId: 63,
  /** Remote Session ID, RFC 3931 §5.4.4. */
  RemoteSessionId: 64,
  /** Assigned Cookie, RFC 3931 §5.4.4. */
  AssignedCookie: 65,
  /** Remote End ID, RFC 3931 §5.4.4. */
  RemoteEndId: 66,
  /** Application Code (assigned to RFC 3931 by IANA; not described in its final text). */
  ApplicationCode: 67,
  /** Pseudowire Type, RFC 3931 §5.4.4. */
  PseudowireType: 68,
  /** L2-Specific Sublayer, RFC 3931 §5.4.4. */
  L2SpecificSublayer: 69,
  /** Data Sequencing, RFC 3931 §5.4.4. */
  DataSequencing: 70,
  /** Circuit Status, RFC 3931 §5.4.5. */
  CircuitStatus: 71,
  /** Preferred Language, RFC 3931 §5.4.3. */
  PreferredLanguage: 72,
  /** Control Message Authentication Nonce, RFC 3931 §5.4.1. */
  ControlMessageAuthenticationNonce: 73,
  /** Tx Connect Speed (64-bit), RFC 3931 §5.4.4. */
  TxConnectSpeedV3: 74,
  /** Rx Connect Speed (64-bit), RFC 3931 §5.4.4. */
  RxConnectSpeedV3: 75,
  /** Failover Capability, RFC 4951. */
  FailoverCapability: 76,
  /** Tunnel Recovery, RFC 4951. */
  TunnelRecovery: 77,
  /** Suggested Control Sequence, RFC 4951. */
  SuggestedControlSequence: 78,
  /** Failover Session State, RFC 4951. */
  FailoverSessionState: 79,
  /** Multicast Capability, RFC 4045. */
  MulticastCapability: 80,
  /** New Outgoing Sessions, RFC 4045. */
  NewOutgoingSessions: 81,
  /** New Outgoing Sessions Acknowledgement, RFC 4045. */
  NewOutgoingSessionsAcknowledgement: 82,
  /** Withdraw Outgoing Sessions, RFC 4045. */
  WithdrawOutgoingSessions: 83,
  /** Multicast Packets Priority, RFC 4045. */
  MulticastPacketsPriority: 84,
  /** Frame-Relay Header Length, RFC 4591. */
  FrameRelayHeaderLength: 85,
  /** ATM Maximum Concatenated Cells, RFC 4454. */
  AtmMaximumConcatenatedCells: 86,
  /** OAM Emulation Required, RFC 4454. */
  OamEmulationRequired: 87,
  /** ATM Alarm Status, RFC 4454. */
  AtmAlarmStatus: 88,
  /** Attachment Group Identifier, RFC 4667. */
  AttachmentGroupIdentifier: 89,
  /** Local End Identifier, RFC 4667. */
  LocalEndIdentifier: 90,
  /** Interface Maximum Transmission Unit, RFC 4667. */
  InterfaceMaximumTransmissionUnit: 91,
  /** FCS Retention, RFC 4720. */
  FcsRetention: 92,
  /** Tunnel Switching Aggregator ID, draft-ietf-l2tpext-tunnel-switching. */
  TunnelSwitchingAggregatorId: 93,
  /** Maximum Receive Unit (MRU), RFC 4623. */
  MaximumReceiveUnit: 94,
  /** Maximum Reassembled Receive Unit (MRRU), RFC 4623. */
  MaximumReassembledReceiveUnit: 95,
  /** VCCV Capability, RFC 5085. */
  VccvCapability: 96,
  /** Connect Speed Update, RFC 5515. */
  ConnectSpeedUpdate: 97,
  /** Connect Speed Update Enable, RFC 5515. */
  ConnectSpeedUpdateEnable: 98,
  /** TDM Pseudowire, RFC 5611. */
  TdmPseudowire: 99,
  /** RTP, RFC 5611. */
  Rtp: 100,
  /** PW Switching Point, RFC 6073. */
  PwSwitchingPoint: 101,
  /** S-BFD Target Discriminator ID, RFC 7886. */
  SBfdTargetDiscriminatorId: 102,
  /** ECN Capability, RFC 9601. */
  EcnCapability: 103,
} as const;

/**
 * Bits of the Framing Capabilities AVP (RFC 2661 §4.4.3: `...|A|S|`, S the lowest bit).
 * @example
 * ```ts
 * sccrq({ hostName: 'lac', assignedTunnelId: 7, framingCapabilities: FramingCapability.Sync | FramingCapability.Async });
 * ```
 */
export const FramingCapability = {
  /** S: synchronous framing. */
  Sync: 1,
  /** A: asynchronous framing. */
  Async: 2,
} as const;

/**
 * Bits of the Framing Type AVP (RFC 2661 §4.4.4): the same layout as {@link FramingCapability}.
 * @example
 * ```ts
 * iccn({ tunnelId: 9, sessionId: 6, txConnectSpeed: 64_000, framingType: FramingType.Sync });
 * ```
 */
export const FramingType = FramingCapability;

/**
 * Bits of the Bearer Capabilities AVP (RFC 2661 §4.4.3: `...|A|D|`, D the lowest bit).
 * @example
 * ```ts
 * if ((m.bearerCapabilities ?? 0) & BearerCapability.Analog) console.log('peer accepts analog calls');
 * ```
 */
export const BearerCapability = {
  /** D: digital access. */
  Digital: 1,
  /** A: analog access. */
  Analog: 2,
} as const;

/**
 * Bits of the Bearer Type AVP (RFC 2661 §4.4.4): the same layout as {@link BearerCapability}.
 * @example
 * ```ts
 * if (m.type === MessageType.ICRQ && m.bearerType === BearerType.Digital) console.log('digital call');
 * ```
 */
export const BearerType = BearerCapability;

/**
 * Values of the Proxy Authen Type AVP (RFC 2661 §4.4.5; 7 assigned later by IANA).
 * @example
 * ```ts
 * if (m.proxyAuthenType === ProxyAuthenType.PppChap) console.log('proxied CHAP for', m.proxyAuthenName);
 * ```
 */
export const ProxyAuthenType = {
  Reserved: 0,
  /** Textual username/password exchange. */
  Textual: 1,
  /** PPP CHAP. */
  PppChap: 2,
  /** PPP PAP. */
  PppPap: 3,
  /** No Authentication. */
  None: 4,
  /** Microsoft CHAP Version 1 (MSCHAPv1). */
  MsChapV1: 5,
  /** EAP (IANA registry, as Wireshark decodes it). */
  Eap: 7,
} as const;

/**
 * Bits of the Circuit Status AVP (RFC 3931 §5.4.5: `...|N|A|`).
 * @example
 * ```ts
 * const up = ((m.circuitStatus ?? 0) & CircuitStatusBit.Active) !== 0;
 * ```
 */
export const CircuitStatusBit = {
  /** A: the circuit is active (up). */
  Active: 1,
  /** N: a new circuit, or one whose parameters changed. */
  New: 2,
} as const;

/**
 * Values of the Data Sequencing AVP (RFC 3931 §5.4.4).
 * @example
 * ```ts
 * const sequenceAll = m.dataSequencing === DataSequencing.All; // else None or NonIp
 * ```
 */
export const DataSequencing = {
  /** No incoming data packets require sequencing. */
  None: 0,
  /** Only non-IP data packets require sequencing. */
  NonIp: 1,
  /** All incoming data packets require sequencing. */
  All: 2,
} as const;

/**
 * Digest Type of the Message Digest AVP (RFC 3931 §5.4.1).
 * @example
 * ```ts
 * if (m.messageDigest?.digestType === MessageDigestType.HmacSha1) console.log('HMAC-SHA-1 digest');
 * ```
 */
export const MessageDigestType = {
  HmacMd5: 0,
  HmacSha1: 1,
} as const;

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/** A catalogue row: an {@link AvpDef} whose `key` keeps its literal type (for {@link AvpFields}). */
export interface AvpEntry<K extends string, T> extends AvpDef<T> {
  readonly key: K;
}

function avp<const K extends string, T>(
  vendorId: number,
  type: number,
  name: string,
  key: K,
  rfc: string,
  mandatoryRule: MandatoryRule,
  hideable: boolean,
  codec: ValueCodec<T>,
): AvpEntry<K, T> {
  // Same property order for every row: one hidden class, monomorphic access in parseControl.
  return { vendorId, type, name, key, rfc, mandatoryRule, mandatory: mandatoryRule === 'must', hideable, codec };
}

const MUST: MandatoryRule = 'must';
const NOT: MandatoryRule = 'must-not';
/** Also used where the RFC text was not checked here: sent with M=0 (see the file comment). */
const MAY: MandatoryRule = 'may';
/** H bit: the RFC allows hiding (`MAY be hidden`). */
const H = true;
/** H bit: the RFC forbids hiding (`MUST NOT be hidden`), or it was not checked here. */
const CLEAR = false;

const R2661 = 'RFC 2661 §4.4';
const T = AvpType;

// Codec instances shared between rows.
const str = c.string();
const str1 = c.string(1);
const raw = c.bytes();
const raw1 = c.bytes(1);

const IETF_AVPS = [
  // RFC 2661 §4.4.1: "The M-bit MUST be set to 1 for all message types defined in this
  // document"; "This AVP MUST NOT be hidden"; Length 8.
  avp(0, T.MessageType, 'Message Type', 'messageType', `${R2661}.1`, MUST, CLEAR, c.u16),
  // §4.4.2: MUST NOT be hidden, M MUST be 1; Length 8 (no Error Code), 10, or 10 + message.
  avp(0, T.ResultCode, 'Result Code', 'resultCode', `${R2661}.2`, MUST, CLEAR, c.resultCode),
  // §4.4.3: MUST NOT be hidden, M MUST be 1, Length 8.
  avp(0, T.ProtocolVersion, 'Protocol Version', 'protocolVersion', `${R2661}.3`, MUST, CLEAR, c.protocolVersion),
  // §4.4.3: MAY be hidden, M MUST be 1, Length 10.
  avp(0, T.FramingCapabilities, 'Framing Capabilities', 'framingCapabilities', `${R2661}.3`, MUST, H, c.bits32),
  avp(0, T.BearerCapabilities, 'Bearer Capabilities', 'bearerCapabilities', `${R2661}.3`, MUST, H, c.bits32),
  // §4.4.3: an 8-octet value; MUST NOT be hidden, M MUST be 0, Length 14.
  avp(0, T.TieBreaker, 'Tie Breaker', 'tieBreaker', `${R2661}.3`, NOT, CLEAR, c.bytes(8, 8)),
  // §4.4.3: MAY be hidden, M MUST be 0, Length 8.
  avp(0, T.FirmwareRevision, 'Firmware Revision', 'firmwareRevision', `${R2661}.3`, NOT, H, c.u16),
  // §4.4.3: "arbitrary length, but MUST be at least 1 octet"; MUST NOT be hidden, M MUST be 1.
  avp(0, T.HostName, 'Host Name', 'hostName', `${R2661}.3`, MUST, CLEAR, str1),
  // §4.4.3: MAY be hidden, M MUST be 0.
  avp(0, T.VendorName, 'Vendor Name', 'vendorName', `${R2661}.3`, NOT, H, str),
  // §4.4.3: a 2-octet non-zero ID; MAY be hidden, M MUST be 1, Length 8.
  avp(0, T.AssignedTunnelId, 'Assigned Tunnel ID', 'assignedTunnelId', `${R2661}.3`, MUST, H, c.nonZeroU16),
  // §4.4.3: MUST NOT be hidden, M MUST be 1, Length 8.
  avp(0, T.ReceiveWindowSize, 'Receive Window Size', 'receiveWindowSize', `${R2661}.3`, MUST, CLEAR, c.u16),
  // §4.4.3: "one or more octets of random data"; MAY be hidden, M MUST be 1.
  avp(0, T.Challenge, 'Challenge', 'challenge', `${R2661}.3`, MUST, H, raw1),
  // §4.4.4: Cause Code (2), Cause Msg (1), Advisory Msg; M MUST be 1, not hidden.
  avp(0, T.Q931CauseCode, 'Q.931 Cause Code', 'q931CauseCode', `${R2661}.4`, MUST, CLEAR, c.q931Cause),
  // §4.4.3: a 16-octet MD5 response; MAY be hidden, M MUST be 1, Length 22.
  avp(0, T.ChallengeResponse, 'Challenge Response', 'challengeResponse', `${R2661}.3`, MUST, H, c.bytes(16, 16)),
  // §4.4.4: a 2-octet non-zero ID; MAY be hidden, M MUST be 1, Length 8.
  avp(0, T.AssignedSessionId, 'Assigned Session ID', 'assignedSessionId', `${R2661}.4`, MUST, H, c.nonZeroU16),
  // §4.4.4: 32-bit values; MAY be hidden, M MUST be 1, Length 10.
  avp(0, T.CallSerialNumber, 'Call Serial Number', 'callSerialNumber', `${R2661}.4`, MUST, H, c.u32),
  avp(0, T.MinimumBps, 'Minimum BPS', 'minimumBps', `${R2661}.4`, MUST, H, c.u32),
  avp(0, T.MaximumBps, 'Maximum BPS', 'maximumBps', `${R2661}.4`, MUST, H, c.u32),
  avp(0, T.BearerType, 'Bearer Type', 'bearerType', `${R2661}.4`, MUST, H, c.bits32),
  avp(0, T.FramingType, 'Framing Type', 'framingType', `${R2661}.4`, MUST, H, c.bits32),
  // §4.4.4: ASCII strings; MAY be hidden, M MUST be 1.
  avp(0, T.CalledNumber, 'Called Number', 'calledNumber', `${R2661}.4`, MUST, H, str),
  avp(0, T.CallingNumber, 'Calling Number', 'callingNumber', `${R2661}.4`, MUST, H, str),
  avp(0, T.SubAddress, 'Sub-Address', 'subAddress', `${R2661}.4`, MUST, H, str),
  // §4.4.4: 32-bit BPS; MAY be hidden, M MUST be 1, Length 10.
  avp(0, T.TxConnectSpeed, '(Tx) Connect Speed', 'txConnectSpeed', `${R2661}.4`, MUST, H, c.u32),
  // §4.4.4: 32-bit vendor-specific value; MAY be hidden, M MUST be 0.
  avp(0, T.PhysicalChannelId, 'Physical Channel ID', 'physicalChannelId', `${R2661}.4`, NOT, H, c.u32),
  // §4.4.5: proxy LCP and authentication; all MAY be hidden, M MUST be 0.
  avp(0, T.InitialReceivedLcpConfreq, 'Initial Received LCP CONFREQ', 'initialReceivedLcpConfreq', `${R2661}.5`, NOT, H, raw),
  avp(0, T.LastSentLcpConfreq, 'Last Sent LCP CONFREQ', 'lastSentLcpConfreq', `${R2661}.5`, NOT, H, raw),
  avp(0, T.LastReceivedLcpConfreq, 'Last Received LCP CONFREQ', 'lastReceivedLcpConfreq', `${R2661}.5`, NOT, H, raw),
  avp(0, T.ProxyAuthenType, 'Proxy Authen Type', 'proxyAuthenType', `${R2661}.5`, NOT, H, c.u16),
  avp(0, T.ProxyAuthenName, 'Proxy Authen Name', 'proxyAuthenName', `${R2661}.5`, NOT, H, str),
  avp(0, T.ProxyAuthenChallenge, 'Proxy Authen Challenge', 'proxyAuthenChallenge', `${R2661}.5`, NOT, H, raw1),
  avp(0, T.ProxyAuthenId, 'Proxy Authen ID', 'proxyAuthenId', `${R2661}.5`, NOT, H, c.proxyAuthenId),
  avp(0, T.ProxyAuthenResponse, 'Proxy Authen Response', 'proxyAuthenResponse', `${R2661}.5`, NOT, H, raw),
  // §4.4.6: MAY be hidden, M MUST be 1; Length 32 and 16.
  avp(0, T.CallErrors, 'Call Errors', 'callErrors', `${R2661}.6`, MUST, H, c.callErrors),
  avp(0, T.Accm, 'ACCM', 'accm', `${R2661}.6`, MUST, H, c.accm),
  // §4.4.1: MUST NOT be hidden (it is what unhides the others), M MUST be 1.
  avp(0, T.RandomVector, 'Random Vector', 'randomVector', `${R2661}.1`, MUST, CLEAR, raw1),
  // §4.4.4: opaque group ID; MAY be hidden, M MUST be 0.
  avp(0, T.PrivateGroupId, 'Private Group ID', 'privateGroupId', `${R2661}.4`, NOT, H, raw),
  // §4.4.4: 32-bit BPS; MAY be hidden, M MUST be 0.
  avp(0, T.RxConnectSpeed, 'Rx Connect Speed', 'rxConnectSpeed', `${R2661}.4`, NOT, H, c.u32),
  // §4.4.4: no value; MUST NOT be hidden, M MUST be 1, Length 6.
  avp(0, T.SequencingRequired, 'Sequencing Required', 'sequencingRequired', `${R2661}.4`, MUST, CLEAR, c.empty),

  // RFC 3301: ATM access network extensions.
  avp(0, T.RxMinimumBps, 'Rx Minimum BPS', 'rxMinimumBps', 'RFC 3301', MAY, CLEAR, c.u32),
  avp(0, T.RxMaximumBps, 'Rx Maximum BPS', 'rxMaximumBps', 'RFC 3301', MAY, CLEAR, c.u32),
  avp(0, T.ServiceCategory, 'Service Category', 'serviceCategory', 'RFC 3301', MAY, CLEAR, raw),
  avp(0, T.ServiceName, 'Service Name', 'serviceName', 'RFC 3301', MAY, CLEAR, str),
  avp(0, T.CallingSubAddress, 'Calling Sub-Address', 'callingSubAddress', 'RFC 3301', MAY, CLEAR, str),
  avp(0, T.VpiVciIdentifier, 'VPI/VCI Identifier', 'vpiVciIdentifier', 'RFC 3301', MAY, CLEAR, raw),
  // RFC 3145 §2: Disconnect Code, Control Protocol Number, Direction, Message. An informational
  // AVP for CDN: M MUST be 0.
  avp(0, T.PppDisconnectCauseCode, 'PPP Disconnect Cause Code', 'pppDisconnectCauseCode', 'RFC 3145 §2', NOT, CLEAR, c.pppDisconnectCause),
  // RFC 3308: DiffServ codepoints.
  avp(0, T.Ccds, 'CCDS', 'ccds', 'RFC 3308', MAY, CLEAR, raw),
  avp(0, T.Sds, 'SDS', 'sds', 'RFC 3308', MAY, CLEAR, raw),
  // RFC 3437: LCP negotiation extensions (LCP option lists, LCP Confreq packets).
  avp(0, T.LcpWantOptions, 'LCP Want Options', 'lcpWantOptions', 'RFC 3437', MAY, CLEAR, raw),
  avp(0, T.LcpAllowOptions, 'LCP Allow Options', 'lcpAllowOptions', 'RFC 3437', MAY, CLEAR, raw),
  avp(0, T.LnsLastSentLcpConfreq, 'LNS Last Sent LCP Confreq', 'lnsLastSentLcpConfreq', 'RFC 3437', MAY, CLEAR, raw),
  avp(0, T.LnsLastReceivedLcpConfreq, 'LNS Last Received LCP Confreq', 'lnsLastReceivedLcpConfreq', 'RFC 3437', MAY, CLEAR, raw),
  // RFC 3573: modem on-hold.
  avp(0, T.ModemOnHoldCapable, 'Modem On-Hold Capable', 'modemOnHoldCapable', 'RFC 3573', MAY, CLEAR, raw),
  avp(0, T.ModemOnHoldStatus, 'Modem On-Hold Status', 'modemOnHoldStatus', 'RFC 3573', MAY, CLEAR, raw),
  // RFC 3817: PPPoE relay.
  avp(0, T.PppoeRelay, 'PPPoE Relay', 'pppoeRelay', 'RFC 3817', MAY, CLEAR, raw),
  avp(0, T.PppoeRelayResponseCapability, 'PPPoE Relay Response Capability', 'pppoeRelayResponseCapability', 'RFC 3817', MAY, CLEAR, raw),
  avp(0, T.PppoeRelayForwardCapability, 'PPPoE Relay Forward Capability', 'pppoeRelayForwardCapability', 'RFC 3817', MAY, CLEAR, raw),

  // RFC 3931 §5.4: L2TPv3. Its own AVPs start at 58.
  // Extended Vendor ID: a 4-octet SMI enterprise code (vendor-specific message types).
  avp(0, T.ExtendedVendorId, 'Extended Vendor ID', 'extendedVendorId', 'RFC 3931 §5.4', MAY, CLEAR, c.u32),
  // §5.4.1: Digest Type + HMAC; MUST NOT be hidden, M MUST be 1.
  avp(0, T.MessageDigest, 'Message Digest', 'messageDigest', 'RFC 3931 §5.4.1', MUST, CLEAR, c.messageDigest),
  // §5.4.3: a 4-octet router ID; MAY be hidden, M MUST be 1.
  avp(0, T.RouterId, 'Router ID', 'routerId', 'RFC 3931 §5.4.3', MUST, H, c.u32),
  // §5.4.3: a 4-octet non-zero ID; MAY be hidden, M MUST be 1.
  avp(0, T.AssignedControlConnectionId, 'Assigned Control Connection ID', 'assignedControlConnectionId', 'RFC 3931 §5.4.3', MUST, H, c.nonZeroU32),
  // §5.4.3: a list of 2-octet Pseudowire Types; MAY be hidden, M MUST be 1.
  avp(0, T.PseudowireCapabilitiesList, 'Pseudowire Capabilities List', 'pseudowireCapabilitiesList', 'RFC 3931 §5.4.3', MUST, H, c.u16List()),
  // §5.4.4: 4-octet session IDs; MAY be hidden, M MUST be 1 (Remote Session ID may be 0).
  avp(0, T.LocalSessionId, 'Local Session ID', 'localSessionId', 'RFC 3931 §5.4.4', MUST, H, c.nonZeroU32),
  avp(0, T.RemoteSessionId, 'Remote Session ID', 'remoteSessionId', 'RFC 3931 §5.4.4', MUST, H, c.u32),
  // §5.4.4: a 4- or 8-octet cookie; MAY be hidden, M MUST be 1.
  avp(0, T.AssignedCookie, 'Assigned Cookie', 'assignedCookie', 'RFC 3931 §5.4.4', MUST, H, c.bytes(4, 8, [4, 8])),
  // §5.4.4: an opaque identifier; MAY be hidden, M MUST be 1.
  avp(0, T.RemoteEndId, 'Remote End ID', 'remoteEndId', 'RFC 3931 §5.4.4', MUST, H, raw),
  avp(0, T.ApplicationCode, 'Application Code', 'applicationCode', 'RFC 3931 (IANA)', MAY, CLEAR, raw),
  // §5.4.4: 2-octet values; MAY be hidden, M MUST be 1.
  avp(0, T.PseudowireType, 'Pseudowire Type', 'pseudowireType', 'RFC 3931 §5.4.4', MUST, H, c.u16),
  avp(0, T.L2SpecificSublayer, 'L2-Specific Sublayer', 'l2SpecificSublayer', 'RFC 3931 §5.4.4', MUST, H, c.u16),
  avp(0, T.DataSequencing, 'Data Sequencing', 'dataSequencing', 'RFC 3931 §5.4.4', MUST, H, c.u16),
  // §5.4.5: a 16-bit field, `...|N|A|`; MAY be hidden, M MUST be 1.
  avp(0, T.CircuitStatus, 'Circuit Status', 'circuitStatus', 'RFC 3931 §5.4.5', MUST, H, c.bits16),
  // §5.4.3: a language tag string; MAY be hidden, M MUST be 0.
  avp(0, T.PreferredLanguage, 'Preferred Language', 'preferredLanguage', 'RFC 3931 §5.4.3', NOT, H, str),
  // §5.4.1: a random nonce; MUST NOT be hidden, M MUST be 1.
  avp(0, T.ControlMessageAuthenticationNonce, 'Control Message Authentication Nonce', 'controlMessageAuthenticationNonce', 'RFC 3931 §5.4.1', MUST, CLEAR, raw1),
  // §5.4.4: 64-bit BPS; MAY be hidden, M MUST be 0.
  avp(0, T.TxConnectSpeedV3, 'Tx Connect Speed', 'txConnectSpeedV3', 'RFC 3931 §5.4.4', NOT, H, c.u64),
  avp(0, T.RxConnectSpeedV3, 'Rx Connect Speed', 'rxConnectSpeedV3', 'RFC 3931 §5.4.4', NOT, H, c.u64),

  // RFC 4951: failover (structured values, kept raw).
  avp(0, T.FailoverCapability, 'Failover Capability', 'failoverCapability', 'RFC 4951', MAY, CLEAR, raw),
  avp(0, T.TunnelRecovery, 'Tunnel Recovery', 'tunnelRecovery', 'RFC 4951', MAY, CLEAR, raw),
  avp(0, T.SuggestedControlSequence, 'Suggested Control Sequence', 'suggestedControlSequence', 'RFC 4951', MAY, CLEAR, raw),
  avp(0, T.FailoverSessionState, 'Failover Session State', 'failoverSessionState', 'RFC 4951', MAY, CLEAR, raw),
  // RFC 4045: multicast.
  avp(0, T.MulticastCapability, 'Multicast Capability', 'multicastCapability', 'RFC 4045', MAY, CLEAR, raw),
  avp(0, T.NewOutgoingSessions, 'New Outgoing Sessions', 'newOutgoingSessions', 'RFC 4045', MAY, CLEAR, raw),
  avp(0, T.NewOutgoingSessionsAcknowledgement, 'New Outgoing Sessions Acknowledgement', 'newOutgoingSessionsAcknowledgement', 'RFC 4045', MAY, CLEAR, raw),
  avp(0, T.WithdrawOutgoingSessions, 'Withdraw Outgoing Sessions', 'withdrawOutgoingSessions', 'RFC 4045', MAY, CLEAR, raw),
  // RFC 4045 §6.3: "The M-bit MUST be set to 0, and the AVP MAY be hidden".
  avp(0, T.MulticastPacketsPriority, 'Multicast Packets Priority', 'multicastPacketsPriority', 'RFC 4045 §6.3', NOT, H, raw),
  // Pseudowire RFCs.
  avp(0, T.FrameRelayHeaderLength, 'Frame-Relay Header Length', 'frameRelayHeaderLength', 'RFC 4591', MAY, CLEAR, c.u16),
  avp(0, T.AtmMaximumConcatenatedCells, 'ATM Maximum Concatenated Cells', 'atmMaximumConcatenatedCells', 'RFC 4454', MAY, CLEAR, c.u16),
  avp(0, T.OamEmulationRequired, 'OAM Emulation Required', 'oamEmulationRequired', 'RFC 4454', MAY, CLEAR, c.empty),
  avp(0, T.AtmAlarmStatus, 'ATM Alarm Status', 'atmAlarmStatus', 'RFC 4454', MAY, CLEAR, raw),
  avp(0, T.AttachmentGroupIdentifier, 'Attachment Group Identifier', 'attachmentGroupIdentifier', 'RFC 4667', MAY, CLEAR, raw),
  avp(0, T.LocalEndIdentifier, 'Local End Identifier', 'localEndIdentifier', 'RFC 4667', MAY, CLEAR, raw),
  avp(0, T.InterfaceMaximumTransmissionUnit, 'Interface Maximum Transmission Unit', 'interfaceMaximumTransmissionUnit', 'RFC 4667', MAY, CLEAR, c.u16),
  avp(0, T.FcsRetention, 'FCS Retention', 'fcsRetention', 'RFC 4720', MAY, CLEAR, raw),
  avp(0, T.TunnelSwitchingAggregatorId, 'Tunnel Switching Aggregator ID', 'tunnelSwitchingAggregatorId', 'draft-ietf-l2tpext-tunnel-switching', MAY, CLEAR, raw),
  avp(0, T.MaximumReceiveUnit, 'Maximum Receive Unit (MRU)', 'maximumReceiveUnit', 'RFC 4623', MAY, CLEAR, c.u16),
  avp(0, T.MaximumReassembledReceiveUnit, 'Maximum Reassembled Receive Unit (MRRU)', 'maximumReassembledReceiveUnit', 'RFC 4623', MAY, CLEAR, c.u16),
  avp(0, T.VccvCapability, 'VCCV Capability', 'vccvCapability', 'RFC 5085', MAY, CLEAR, raw),
  avp(0, T.ConnectSpeedUpdate, 'Connect Speed Update', 'connectSpeedUpdate', 'RFC 5515', MAY, CLEAR, raw),
  avp(0, T.ConnectSpeedUpdateEnable, 'Connect Speed Update Enable', 'connectSpeedUpdateEnable', 'RFC 5515', MAY, CLEAR, raw),
  avp(0, T.TdmPseudowire, 'TDM Pseudowire', 'tdmPseudowire', 'RFC 5611', MAY, CLEAR, raw),
  avp(0, T.Rtp, 'RTP', 'rtp', 'RFC 5611', MAY, CLEAR, raw),
  avp(0, T.PwSwitchingPoint, 'PW Switching Point', 'pwSwitchingPoint', 'RFC 6073', MAY, CLEAR, raw),
  avp(0, T.SBfdTargetDiscriminatorId, 'S-BFD Target Discriminator ID', 'sBfdTargetDiscriminatorId', 'RFC 7886', MAY, CLEAR, raw),
  avp(0, T.EcnCapability, 'ECN Capability', 'ecnCapability', 'RFC 9601', MAY, CLEAR, raw),
] as const;

const CISCO = 'Cisco pre-standard L2TPv3 (Wireshark packet-l2tp.c)';
const BBF = 'Broadband Forum TR-101 (Wireshark packet-l2tp.c)';
const V = VendorId;

const VENDOR_AVPS = [
  // Cisco (9): the draft-era L2TPv3 AVPs, same value shapes as their RFC 3931 successors.
  avp(V.Cisco, 1, 'Assigned Connection ID', 'ciscoAssignedConnectionId', CISCO, MAY, CLEAR, c.u32),
  avp(V.Cisco, 2, 'Pseudowire Capabilities List', 'ciscoPseudowireCapabilitiesList', CISCO, MAY, CLEAR, c.u16List()),
  avp(V.Cisco, 3, 'Local Session ID', 'ciscoLocalSessionId', CISCO, MAY, CLEAR, c.u32),
  avp(V.Cisco, 4, 'Remote Session ID', 'ciscoRemoteSessionId', CISCO, MAY, CLEAR, c.u32),
  avp(V.Cisco, 5, 'Assigned Cookie', 'ciscoAssignedCookie', CISCO, MAY, CLEAR, raw),
  avp(V.Cisco, 6, 'Remote End ID', 'ciscoRemoteEndId', CISCO, MAY, CLEAR, raw),
  avp(V.Cisco, 7, 'Pseudowire Type', 'ciscoPseudowireType', CISCO, MAY, CLEAR, c.u16),
  avp(V.Cisco, 8, 'Circuit Status', 'ciscoCircuitStatus', CISCO, MAY, CLEAR, c.bits16),
  avp(V.Cisco, 9, 'Session Tie Breaker', 'ciscoSessionTieBreaker', CISCO, MAY, CLEAR, c.bytes(8, 8)),
  avp(V.Cisco, 10, 'Draft AVP Version', 'ciscoDraftAvpVersion', CISCO, MAY, CLEAR, c.u16),
  avp(V.Cisco, 12, 'Message Digest', 'ciscoMessageDigest', CISCO, MAY, CLEAR, raw),
  avp(V.Cisco, 13, 'Control Message Authentication Nonce', 'ciscoControlMessageAuthenticationNonce', CISCO, MAY, CLEAR, raw),
  avp(V.Cisco, 14, 'Interface MTU', 'ciscoInterfaceMtu', CISCO, MAY, CLEAR, c.u16),
  // Broadband Forum (3561): access-line identification and DSL line rates. Rates are 64-bit
  // bits/s and delays 32-bit, as Wireshark decodes them.
  avp(V.BroadbandForum, 1, 'Agent-Circuit-Id', 'agentCircuitId', BBF, MAY, CLEAR, str),
  avp(V.BroadbandForum, 2, 'Agent-Remote-Id', 'agentRemoteId', BBF, MAY, CLEAR, str),
  avp(V.BroadbandForum, 129, 'Actual-Data-Rate-Upstream', 'actualDataRateUpstream', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 130, 'Actual-Data-Rate-Downstream', 'actualDataRateDownstream', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 131, 'Minimum-Data-Rate-Upstream', 'minimumDataRateUpstream', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 132, 'Minimum-Data-Rate-Downstream', 'minimumDataRateDownstream', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 133, 'Attainable-Data-Rate-Upstream', 'attainableDataRateUpstream', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 134, 'Attainable-Data-Rate-Downstream', 'attainableDataRateDownstream', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 135, 'Maximum-Data-Rate-Upstream', 'maximumDataRateUpstream', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 136, 'Maximum-Data-Rate-Downstream', 'maximumDataRateDownstream', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 137, 'Minimum-Data-Rate-Upstream-Low-Power', 'minimumDataRateUpstreamLowPower', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 138, 'Minimum-Data-Rate-Downstream-Low-Power', 'minimumDataRateDownstreamLowPower', BBF, MAY, CLEAR, c.u64),
  avp(V.BroadbandForum, 139, 'Maximum-Interleaving-Delay-Upstream', 'maximumInterleavingDelayUpstream', BBF, MAY, CLEAR, c.u32),
  avp(V.BroadbandForum, 140, 'Actual-Interleaving-Delay-Upstream', 'actualInterleavingDelayUpstream', BBF, MAY, CLEAR, c.u32),
  avp(V.BroadbandForum, 141, 'Maximum-Interleaving-Delay-Downstream', 'maximumInterleavingDelayDownstream', BBF, MAY, CLEAR, c.u32),
  avp(V.BroadbandForum, 142, 'Actual-Interleaving-Delay-Downstream', 'actualInterleavingDelayDownstream', BBF, MAY, CLEAR, c.u32),
  avp(V.BroadbandForum, 144, 'Access-Loop-Encapsulation', 'accessLoopEncapsulation', BBF, MAY, CLEAR, raw),
  avp(V.BroadbandForum, 145, 'ANCP Access Line Type', 'ancpAccessLineType', BBF, MAY, CLEAR, raw),
  avp(V.BroadbandForum, 254, 'IWF-Session', 'iwfSession', BBF, MAY, CLEAR, raw),
] as const;


type Entry = (typeof IETF_AVPS)[number] | (typeof VENDOR_AVPS)[number];

/**
 * The typed AVP fields a parsed control message can carry: one optional field per catalogue row,
 * named by its `key` and typed by its codec. Derived from the table itself, so it cannot drift.
 *
 * @example
 * ```ts
 * const msg = parseControl(bytes);
 * msg.hostName;    // string | undefined
 * msg.resultCode;  // ResultCodeValue | undefined
 * ```
 */
export type AvpFields = {
  -readonly [E in Entry as E['key']]?: E['codec'] extends ValueCodec<infer V> ? V : never;
};

/** The key of a catalogue row: the name of a typed field on a parsed message. */
export type AvpKey = keyof AvpFields;

/**
 * Every AVP this library knows, IETF first (by type), then vendor AVPs.
 * @example
 * ```ts
 * const hideable = AVP_CATALOG.filter((d) => d.hideable).map((d) => d.name);
 * ```
 */
export const AVP_CATALOG: readonly AvpDef[] = [...IETF_AVPS, ...VENDOR_AVPS];

const IETF_BY_TYPE: (AvpDef | undefined)[] = [];
for (let i = 0; i <= AvpType.EcnCapability; i++) IETF_BY_TYPE.push(undefined);
const VENDOR_BY_ID = new Map<number, AvpDef>();
const BY_KEY = new Map<string, AvpDef>();
for (const d of AVP_CATALOG) {
  if (d.vendorId === 0) IETF_BY_TYPE[d.type] = d;
  else VENDOR_BY_ID.set(d.vendorId * 0x10000 + d.type, d);
  BY_KEY.set(d.key, d);
}

/**
 * The catalogue row for (`vendorId`, `type`), or `undefined` for an AVP this library does not know.
 * O(1): an array index for IETF AVPs, one `Map` lookup for vendor AVPs.
 * @example
 * ```ts
 * const d = avpDef(a.vendorId, a.type);
 * console.log(d ? `${d.name} (${d.rfc})` : `unknown AVP ${a.vendorId}:${a.type}`);
 * ```
 */
export function avpDef(vendorId: number, type: number): AvpDef | undefined {
  if (vendorId === 0) return type < IETF_BY_TYPE.length ? IETF_BY_TYPE[type] : undefined;
  return VENDOR_BY_ID.get(vendorId * 0x10000 + type);
}

/**
 * The catalogue row whose typed field is `key` (e.g. `'hostName'`), or `undefined`.
 * @example
 * ```ts
 * avpDefByKey('hostName')?.type; // 7 (AvpType.HostName)
 * ```
 */
export function avpDefByKey(key: string): AvpDef | undefined {
  return BY_KEY.get(key);
}
