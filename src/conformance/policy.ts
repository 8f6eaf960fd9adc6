/**
 * What an LNS does about a deviation, per conformance policy. Pure: it returns the decision, the
 * caller (the LNS) acts on it.
 */
import { MessageType, messageDef } from '../wire/message-catalog.js';
import { ResultCode } from '../wire/result-codes.js';
import { ruleById } from './rules.js';
import type { Deviation } from './types.js';

/**
 * - `'strict'`: refuse what xl2tpd refuses: a MUST deviation in a message tears the tunnel down
 *   (StopCCN) or, for a session message, the call (CDN), with Result Code 2 and a General Error.
 * - `'report'` (the default): serve as usual, report every deviation.
 * - `'lenient'`: serve as usual, report nothing.
 */
export type ConformancePolicy = 'strict' | 'report' | 'lenient';

/**
 * The decision for one deviation.
 * - `ignore`: say nothing (lenient).
 * - `report`: emit it as an event / count it; keep serving.
 * - `stopccn` / `cdn`: also send this message and clear the tunnel / session (strict).
 */
export type ConformanceDecision =
  | { readonly action: 'ignore' }
  | { readonly action: 'report' }
  | {
      readonly action: 'stopccn' | 'cdn';
      /** Result Code AVP value: result 2 (General error, RFC 2661 §4.4.2), its Error Code and message. */
      readonly resultCode: { readonly result: number; readonly error: number; readonly message: string };
      /**
       * For `cdn`: our Session ID of the call (the header Session ID of the peer's message; 0
       * when the peer opened the call with it, an ICRQ/OCRQ, and we assigned none yet).
       */
      readonly sessionId?: number;
      /** For `cdn`: the peer's Session ID of the call, the header Session ID of the CDN to send. */
      readonly peerSessionId?: number;
    };

const CONFORMANCE_POLICIES: readonly ConformancePolicy[] = ['strict', 'report', 'lenient'];

/**
 * Decide what to do about `deviation` under `policy` (RFC 2661 §4.4.2 for the codes: Result Code 2
 * "General error, Error Code indicates the problem"; Error 8 for an AVP the recipient cannot
 * accept with M=1, 2 for a wrong length, 3 for a value out of range or reserved bits set, 5 for
 * a wrong Session ID). Under `strict`, only MUST deviations found in a message are refused:
 * timing, windows and missing acks are reported (the reliable layer already acts on them), and a
 * SHOULD never ends anything.
 * @throws `RangeError` for a policy other than the three.
 * @example
 * ```ts
 * const d = conformanceDecision(deviation, 'strict');
 * if (d.action === 'cdn') sendCdn(d.sessionId, d.resultCode);          // the LNS acts on it
 * else if (d.action === 'stopccn') sendStopCcn(d.resultCode);
 * ```
 */
export function conformanceDecision(deviation: Deviation, policy: ConformancePolicy): ConformanceDecision {
  if (!CONFORMANCE_POLICIES.includes(policy)) {
    throw new RangeError(`conformance policy must be 'strict', 'report' or 'lenient', got ${String(policy)}`);
  }
  if (policy === 'lenient') return { action: 'ignore' };
  const rule = ruleById(deviation.rule);
  if (policy === 'report' || rule === undefined || rule.strict !== 'refuse' || deviation.severity !== 'MUST') return { action: 'report' };
  const what = deviation.avp !== undefined && !deviation.detail.includes(deviation.avp) ? `${deviation.avp}: ` : '';
  // Keep the Error Message short enough for any AVP (1017 bytes) and readable in a peer's log.
  const message = `${what}${deviation.detail} (${deviation.section}: ${rule.text})`.slice(0, 500);
  const resultCode = { result: ResultCode.StopCcn.GeneralError, error: rule.errorCode, message };
  const type = typeNumber(deviation.messageType);
  const known = (deviation.sessionId ?? 0) !== 0 || deviation.peerSessionId !== undefined;
  // Only a fault in the message's content (rule ids `avp.*`, `msg.*`) belongs to its session;
  // header and sequence faults are the control connection's.
  const content = rule.id.startsWith('avp.') || rule.id.startsWith('msg.');
  const session = content && type !== undefined && messageDef(type)?.scope === 'session' && known;
  // RFC 2661 §4.1: a fault in a message of a session ends that session (CDN); anything else ends
  // the tunnel (StopCCN). A CDN's own fault needs no CDN (the call is going), nor does a message
  // for a session that is not ours.
  if (session && type !== MessageType.CDN) {
    const d: { -readonly [K in 'action' | 'resultCode' | 'sessionId' | 'peerSessionId']?: unknown } = {
      action: 'cdn',
      resultCode: { ...resultCode, result: ResultCode.Cdn.GeneralError },
      sessionId: deviation.sessionId ?? 0,
    };
    if (deviation.peerSessionId !== undefined) d.peerSessionId = deviation.peerSessionId;
    return d as ConformanceDecision;
  }
  return { action: 'stopccn', resultCode };
}

function typeNumber(name: string | undefined): number | undefined {
  if (name === undefined) return undefined;
  const v = (MessageType as Record<string, number>)[name];
  return v;
}
