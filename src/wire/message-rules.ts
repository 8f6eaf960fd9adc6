/**
 * The message rules of both protocol versions as one table: which control messages a state
 * machine acts on, whether each belongs to the control connection or to a session, and which
 * AVPs each MUST carry — RFC 2661 §6 in the `v2` column, RFC 3931 §6 in the `v3` column. A
 * message with no entry in a version's column is unknown to that version (§4.4.1 / RFC 3931
 * §5.4.1: M=1 tears down, M=0 is ignored).
 *
 * L2TPv3 renames some RFC 2661 AVPs while keeping their numbers: "Serial Number" is Call Serial
 * Number (15), "Circuit Errors" is Call Errors (34), "Control Connection Tie Breaker" and
 * "Session Tie Breaker" are Tie Breaker (5).
 */
import { AvpType as A } from './avp-catalog.js';
import { MessageType as M } from './message-catalog.js';

/** The L2TP versions the state machines speak: 2 (RFC 2661) and 3 (RFC 3931, over UDP). */
export type L2tpVersion = 2 | 3;

/** One version's rule for a message type. */
export interface VersionRule {
  /** AVPs (vendor 0) the message MUST carry, Message Type excluded. */
  readonly required: readonly number[];
  readonly rfc: string;
}

/** One row of {@link MESSAGE_RULES}. */
export interface MessageRule {
  readonly type: number;
  readonly name: string;
  /** `tunnel`: handled by the control connection; `session`: routed to a session. */
  readonly scope: 'tunnel' | 'session';
  readonly v2?: VersionRule;
  readonly v3?: VersionRule;
}

const v2 = (section: string, required: readonly number[] = []): VersionRule => ({ required, rfc: `RFC 2661 §${section}` });
const v3 = (section: string, required: readonly number[] = []): VersionRule => ({ required, rfc: `RFC 3931 §${section}` });
/** Every v3 session message names both ends' Session IDs (RFC 3931 §5.4.4). */
const IDS = [A.LocalSessionId, A.RemoteSessionId] as const;

/**
 * The control messages the state machines act on, by version (RFC 2661 §6, RFC 3931 §6).
 * @example
 * ```ts
 * const rule = MESSAGE_RULES.find((r) => r.type === MessageType.ICRQ)!;
 * rule.v3?.required; // [63, 64, 15, 68, 66, 71]: Local/Remote Session ID, Serial Number, Pseudowire Type, Remote End ID, Circuit Status
 * ```
 */
export const MESSAGE_RULES: readonly MessageRule[] = [
  { type: M.SCCRQ, name: 'SCCRQ', scope: 'tunnel',
    v2: v2('6.1', [A.ProtocolVersion, A.HostName, A.FramingCapabilities, A.AssignedTunnelId]),
    v3: v3('6.1', [A.HostName, A.RouterId, A.AssignedControlConnectionId, A.PseudowireCapabilitiesList]) },
  { type: M.SCCRP, name: 'SCCRP', scope: 'tunnel',
    v2: v2('6.2', [A.ProtocolVersion, A.FramingCapabilities, A.HostName, A.AssignedTunnelId]),
    v3: v3('6.2', [A.HostName, A.RouterId, A.AssignedControlConnectionId, A.PseudowireCapabilitiesList]) },
  { type: M.SCCCN, name: 'SCCCN', scope: 'tunnel', v2: v2('6.3'), v3: v3('6.3') },
  // v3: the Assigned Control Connection ID is optional in StopCCN (the header may already name us).
  { type: M.StopCCN, name: 'StopCCN', scope: 'tunnel', v2: v2('6.4', [A.AssignedTunnelId, A.ResultCode]), v3: v3('6.4', [A.ResultCode]) },
  { type: M.HELLO, name: 'HELLO', scope: 'tunnel', v2: v2('6.5'), v3: v3('6.5') },
  { type: M.OCRQ, name: 'OCRQ', scope: 'session',
    v2: v2('6.9', [A.AssignedSessionId, A.CallSerialNumber, A.MinimumBps, A.MaximumBps, A.BearerType, A.FramingType, A.CalledNumber]),
    v3: v3('6.9', [...IDS, A.CallSerialNumber, A.PseudowireType, A.RemoteEndId]) },
  { type: M.OCRP, name: 'OCRP', scope: 'session', v2: v2('6.10', [A.AssignedSessionId]), v3: v3('6.10', [...IDS, A.CircuitStatus]) },
  { type: M.OCCN, name: 'OCCN', scope: 'session', v2: v2('6.11', [A.TxConnectSpeed, A.FramingType]), v3: v3('6.11', IDS) },
  { type: M.ICRQ, name: 'ICRQ', scope: 'session',
    v2: v2('6.6', [A.AssignedSessionId, A.CallSerialNumber]),
    v3: v3('6.6', [...IDS, A.CallSerialNumber, A.PseudowireType, A.RemoteEndId, A.CircuitStatus]) },
  { type: M.ICRP, name: 'ICRP', scope: 'session', v2: v2('6.7', [A.AssignedSessionId]), v3: v3('6.7', [...IDS, A.CircuitStatus]) },
  { type: M.ICCN, name: 'ICCN', scope: 'session', v2: v2('6.8', [A.TxConnectSpeed, A.FramingType]), v3: v3('6.8', IDS) },
  { type: M.CDN, name: 'CDN', scope: 'session', v2: v2('6.12', [A.ResultCode, A.AssignedSessionId]), v3: v3('6.12', [A.ResultCode, ...IDS]) },
  { type: M.WEN, name: 'WEN', scope: 'session', v2: v2('6.13', [A.CallErrors]), v3: v3('6.13', [...IDS, A.CallErrors]) },
  { type: M.SLI, name: 'SLI', scope: 'session', v2: v2('6.14', [A.Accm]), v3: v3('6.14', IDS) },
  // RFC 3931 §6.15: acknowledges only, like a ZLB; never sequenced, never delivered to the FSM.
  { type: M.ACK, name: 'ACK', scope: 'tunnel', v3: v3('6.15') },
];

const BY_TYPE: (MessageRule | undefined)[] = [];
for (const r of MESSAGE_RULES) BY_TYPE[r.type] = r;

/**
 * A version's rule for message `type`, or `undefined` when that version does not know it.
 * @example
 * ```ts
 * messageRule(3, MessageType.ACK)?.rfc; // 'RFC 3931 §6.15'
 * messageRule(2, MessageType.ACK);      // undefined: L2TPv2 acks with a ZLB
 * ```
 */
export function messageRule(version: L2tpVersion, type: number): VersionRule | undefined {
  const r = type < BY_TYPE.length ? BY_TYPE[type] : undefined;
  return r === undefined ? undefined : version === 2 ? r.v2 : r.v3;
}

/** Whether `type` is a session message (RFC 2661 §6.6–§6.14, RFC 3931 §6.6–§6.14). */
export function isSessionMessage(type: number): boolean {
  return BY_TYPE[type]?.scope === 'session';
}

/**
 * Whether a version recognises an AVP (RFC 2661 §4.1, RFC 3931 §5.2): the IETF AVPs of RFC 2661
 * (0–39; 20 is reserved) with no reserved bits set, and in v3 also RFC 3931's own (58–75). An AVP
 * from a later RFC or a vendor is "unrecognized" even when the codec decodes it: with M=1 the
 * peer requires us to act on it, and we cannot.
 * @example
 * ```ts
 * avpRecognised(3, { vendorId: 0, type: 61, reserved: undefined }); // true: Assigned Control Connection ID
 * avpRecognised(2, { vendorId: 0, type: 61, reserved: undefined }); // false
 * ```
 */
export function avpRecognised(version: L2tpVersion, avp: { readonly vendorId: number; readonly type: number; readonly reserved?: number | undefined }): boolean {
  // RFC 2661 §4.1: reserved bits set make an AVP unrecognised; RFC 3931 §5.1 has them ignored on receipt.
  if (avp.vendorId !== 0 || (version === 2 && avp.reserved !== undefined)) return false;
  const t = avp.type;
  if (t <= 39) return t !== 20;
  return version === 3 && t >= 58 && t <= 75;
}
