/**
 * Small pure rules the tunnel FSM applies to received messages and to the IDs it picks.
 */
import type { ParsedAvp } from '../wire/avp.js';
import { avpDef } from '../wire/avp-catalog.js';
import type { ControlMessage } from '../wire/control.js';
import { avpRecognised, isSessionMessage, messageRule, type L2tpVersion } from './message-rules.js';
import type { RandomBytes } from './options.js';

/**
 * Whether an L2TPv2 state machine recognises an AVP (RFC 2661 §4.1): the IETF AVPs of RFC 2661
 * itself (types 0–39; 20 is reserved) with no reserved bits set. An AVP from a later RFC or a
 * vendor is "unrecognized" even when the codec can decode it: with M=1 the peer requires us to
 * act on it, and we cannot. (L2TPv3 also recognises RFC 3931's own AVPs: `avpRecognised`.)
 * @example
 * ```ts
 * const fatal = m.avps.find((a) => a.mandatory && !recognisedAvp(a)); // StopCCN, error 8 (§4.1)
 * ```
 */
export function recognisedAvp(avp: Pick<ParsedAvp, 'vendorId' | 'type' | 'reserved'>): boolean {
  return avpRecognised(2, avp);
}

/** Why a received message cannot be accepted, as a StopCCN/CDN would say it (RFC 2661 §4.4.2). */
export interface Rejection {
  readonly error: number;
  readonly message: string;
}

/**
 * The first AVP that obliges us to tear down (RFC 2661 §4.1): an unrecognised AVP with M=1
 * (general error 8), or a hidden mandatory AVP we have no secret to unhide (error 6).
 */
export function mandatoryProblem(m: ControlMessage, haveSecret: boolean): Rejection | undefined {
  const avps = m.avps;
  for (let i = 1; i < avps.length; i++) {
    const a = avps[i]!;
    if (!a.mandatory) continue;
    if (!avpRecognised(m.version, a)) {
      return { error: 8, message: `unknown mandatory AVP ${a.vendorId === 0 ? '' : `${a.vendorId}:`}${a.type}` };
    }
    if (a.hidden && !haveSecret) return { error: 6, message: `hidden mandatory AVP ${a.type} but no tunnel secret` };
  }
  return undefined;
}

/**
 * The first AVP that RFC 2661 §6 (v2) or RFC 3931 §6 (v3) requires in `m` and `m` lacks, as a StopCCN/CDN would report
 * it (§7.1: a protocol error; General Error 6 with a message naming the AVP, as xl2tpd
 * answers, e.g. "Specify framing capability"). `undefined` when nothing is missing.
 * @example
 * ```ts
 * missingAvp(parseControl(stopccnWithoutResultCode, { requireAvps: false }), false)?.message;
 * // 'StopCCN without the Result Code AVP that RFC 2661 §6.4 requires'
 * ```
 */
export function missingAvp(m: ControlMessage, haveSecret: boolean): Rejection | undefined {
  const rule = messageRule(m.version, m.type);
  if (rule === undefined) return undefined;
  const req = rule.required;
  const avps = m.avps;
  for (let i = 0; i < req.length; i++) {
    const t = req[i]!;
    let seen = false;
    for (let j = 1; j < avps.length && !seen; j++) seen = usable(m, avps[j]!, t, haveSecret);
    if (!seen) return { error: 6, message: `${m.typeName} without the ${avpDef(0, t)?.name ?? `AVP ${t}`} AVP that ${rule.rfc} requires` };
  }
  return undefined;
}

/**
 * Whether `a` is IETF AVP `type` with a value we can read: one we cannot (hidden, and no secret to
 * unhide it; v2 reserved bits set) is unrecognised, and with M=0 ignored (RFC 2661 §4.1, §4.3), so
 * it does not stand in for a required AVP.
 */
function usable(m: ControlMessage, a: ParsedAvp, type: number, haveSecret: boolean): boolean {
  return a.type === type && avpRecognised(m.version, a) && (haveSecret || !a.hidden);
}

/** The message types a version's FSM acts on (RFC 2661 §3.2, RFC 3931 §3.1): rows of `MESSAGE_RULES`. */
export function knownMessageType(type: number, version: L2tpVersion = 2): boolean {
  return messageRule(version, type) !== undefined;
}

/** Message types that name a session (header Session ID in v2, Remote Session ID AVP in v3). */
export function sessionMessageType(type: number): boolean {
  return isSessionMessage(type);
}

/**
 * Compare two Tie Breaker values as unsigned 64-bit numbers (RFC 2661 §4.4.3: "the lower value
 * wins"): negative when `a` is lower.
 * @example
 * ```ts
 * if (compareTieBreakers(ours, theirSccrq.tieBreaker!) < 0) console.log('we win: ignore their SCCRQ');
 * ```
 */
export function compareTieBreakers(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * A random 16-bit ID that is neither 0 (reserved, RFC 2661 §3.1) nor taken. Tries 16 random draws,
 * then scans upward from the last draw (each ID once), so it ends even when nearly every ID is taken.
 * @throws `RangeError` when all 65535 IDs are taken.
 */
export function randomId16(random: RandomBytes, taken: (id: number) => boolean): number {
  let id = 0;
  for (let i = 0; i < 16; i++) {
    const b = random(2);
    id = ((b[0]! << 8) | b[1]!) & 0xffff;
    if (id !== 0 && !taken(id)) return id;
  }
  for (let i = 0; i < 0xffff; i++) {
    id = (id % 0xffff) + 1;
    if (!taken(id)) return id;
  }
  throw new RangeError('no free 16-bit ID left');
}

/**
 * A random 32-bit ID that is neither 0 (RFC 3931 §5.4.3, §5.4.4: Control Connection and Session
 * IDs are non-zero) nor taken. With 2^32 IDs a free one is found at the first draws; the scan
 * after 16 draws only bounds the loop.
 * @throws `RangeError` when no ID near the draws is free (never in practice).
 */
export function randomId32(random: RandomBytes, taken: (id: number) => boolean): number {
  let id = 0;
  for (let i = 0; i < 16; i++) {
    const b = random(4);
    id = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (id !== 0 && !taken(id)) return id;
  }
  for (let i = 0; i < 0x10000; i++) {
    id = (id % 0xffffffff) + 1;
    if (!taken(id)) return id;
  }
  throw new RangeError('no free 32-bit ID found');
}
