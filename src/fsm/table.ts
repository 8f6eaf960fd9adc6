/**
 * The state machines as data: every transition the tunnel and session FSMs make, after the
 * tables of RFC 2661 §7.2.1 (control connection), §7.4 (incoming calls) and §7.5 (outgoing
 * calls), which RFC 3931 §7 keeps for L2TPv3. The FSMs look their next state up here, so the
 * tables are the truth, and the documentation can draw the state diagrams from them. One table
 * serves both versions: a row with a `versions` column applies to those versions only (e.g. a
 * bad Message Digest exists only in v3), a row without one to both.
 *
 * Departures from the RFC's tables, on purpose: sending StopCCN leads to `closing` (reliable
 * delivery keeps running for a full retransmission cycle, §5.8) instead of straight to `idle`;
 * the end state is `closed` (the object may be freed) instead of `idle`.
 */
import type { L2tpVersion } from './message-rules.js';
import type { SessionState, TunnelState } from './types.js';

/** One row of a transition table. */
export interface Transition<S extends string, E extends string> {
  /** States the row applies in. */
  readonly from: readonly S[];
  readonly event: E;
  readonly next: S;
  /** What the FSM does, in the RFC's words where it has some. */
  readonly action: string;
  /** Where the rule comes from. */
  readonly rfc: string;
  /** The versions the row applies to; absent: both (RFC 3931 §7 keeps RFC 2661's tables). */
  readonly versions?: readonly L2tpVersion[];
}

/** Events of the control-connection table (abstract: the FSM classifies what it received). */
export type TunnelTableEvent =
  | 'open'
  | 'close'
  | 'recv-SCCRQ-acceptable'
  | 'recv-SCCRQ-not-acceptable'
  | 'recv-SCCRP-acceptable'
  | 'recv-SCCRP-not-acceptable'
  | 'recv-SCCCN-acceptable'
  | 'recv-SCCCN-not-acceptable'
  | 'recv-SCCRQ-lose-tie'
  | 'recv-SCCRQ-win-tie'
  | 'recv-SCCRQ-equal-tie'
  | 'recv-out-of-state'
  | 'recv-broken'
  | 'recv-bad-digest'
  | 'recv-StopCCN'
  | 'hello-due'
  | 'retries-exhausted'
  | 'handshake-timeout'
  | 'linger-over';

const LIVE: readonly TunnelState[] = ['wait-ctl-reply', 'wait-ctl-conn', 'established'];

/**
 * The control-connection transitions (RFC 2661 §7.2.1, both roles).
 * @example
 * ```ts
 * for (const t of TUNNEL_TRANSITIONS) console.log(`${t.from.join('|')} --${t.event}--> ${t.next}: ${t.action}`);
 * ```
 */
export const TUNNEL_TRANSITIONS: readonly Transition<TunnelState, TunnelTableEvent>[] = [
  { from: ['idle'], event: 'open', next: 'wait-ctl-reply', action: 'send SCCRQ', rfc: 'RFC 2661 §7.2.1' },
  { from: ['idle'], event: 'recv-SCCRQ-acceptable', next: 'wait-ctl-conn', action: 'send SCCRP', rfc: 'RFC 2661 §7.2.1' },
  { from: ['idle'], event: 'recv-SCCRQ-not-acceptable', next: 'closing', action: 'send StopCCN', rfc: 'RFC 2661 §7.2.1' },
  { from: ['idle'], event: 'close', next: 'closed', action: 'clean up', rfc: 'RFC 2661 §7.2.1' },
  { from: ['wait-ctl-reply'], event: 'recv-SCCRP-acceptable', next: 'established', action: 'send SCCCN; report established', rfc: 'RFC 2661 §7.2.1' },
  { from: ['wait-ctl-reply'], event: 'recv-SCCRP-not-acceptable', next: 'closing', action: 'send StopCCN', rfc: 'RFC 2661 §7.2.1, §5.1.1' },
  // Crossing SCCRQs with Tie Breakers (tie-breaker.ts). The loser is the same in both versions;
  // the winner and a tie of equal values differ (RFC 3931 §5.4.3 adds the StopCCN and the restart).
  { from: ['wait-ctl-reply'], event: 'recv-SCCRQ-lose-tie', next: 'idle', action: 'discard our connection (send nothing for it); take the SCCRQ in idle', rfc: 'RFC 2661 §4.4.3, §7.2.1; RFC 3931 §5.4.3, §7.2' },
  { from: ['wait-ctl-reply'], event: 'recv-SCCRQ-win-tie', next: 'wait-ctl-reply', action: 'ignore the SCCRQ', rfc: 'RFC 2661 §4.4.3', versions: [2] },
  { from: ['wait-ctl-reply'], event: 'recv-SCCRQ-win-tie', next: 'wait-ctl-reply', action: 'send StopCCN (result 3) for the losing connection, once', rfc: 'RFC 3931 §5.4.3, §7.2', versions: [3] },
  { from: ['wait-ctl-reply'], event: 'recv-SCCRQ-equal-tie', next: 'closed', action: 'discard our tunnel silently', rfc: 'RFC 2661 §4.4.3', versions: [2] },
  { from: ['wait-ctl-reply'], event: 'recv-SCCRQ-equal-tie', next: 'wait-ctl-reply', action: 'discard our connection; send a new SCCRQ with a new random Tie Breaker', rfc: 'RFC 3931 §5.4.3', versions: [3] },
  // The RFC table has no "close" row for wait-ctl-reply; before the SCCRP we know no peer Tunnel ID to address a StopCCN to.
  { from: ['wait-ctl-reply'], event: 'close', next: 'closed', action: 'clean up', rfc: 'RFC 2661 §7.2.1' },
  { from: ['wait-ctl-conn'], event: 'recv-SCCCN-acceptable', next: 'established', action: 'report established', rfc: 'RFC 2661 §7.2.1' },
  { from: ['wait-ctl-conn'], event: 'recv-SCCCN-not-acceptable', next: 'closing', action: 'send StopCCN', rfc: 'RFC 2661 §7.2.1, §5.1.1' },
  { from: ['wait-ctl-conn', 'established'], event: 'close', next: 'closing', action: 'send StopCCN', rfc: 'RFC 2661 §7.2.1, §5.7' },
  { from: LIVE, event: 'recv-out-of-state', next: 'closing', action: 'send StopCCN (result 7, FSM error)', rfc: 'RFC 2661 §7.2.1' },
  { from: LIVE, event: 'recv-broken', next: 'closing', action: 'send StopCCN (result 2)', rfc: 'RFC 2661 §4.1, §4.4.2' },
  // v3 with authentication on: a message whose Message Digest is wrong or missing "MUST be
  // dropped" (§5.4.1), and that is all: not acked, nothing in it used, no StopCCN, so a forged
  // message cannot tear a connection down (§4.3: the mechanism guards against spoofing).
  { from: ['idle'], event: 'recv-bad-digest', next: 'closed', action: 'drop the SCCRQ; free the unused state machine', rfc: 'RFC 3931 §5.4.1', versions: [3] },
  ...(['wait-ctl-reply', 'wait-ctl-conn', 'established', 'closing'] as const).map((st) => (
    { from: [st], event: 'recv-bad-digest' as const, next: st, action: 'drop the message (not acked, nothing in it used)', rfc: 'RFC 3931 §4.3, §5.4.1', versions: [3] as const })),
  { from: ['idle'], event: 'recv-StopCCN', next: 'closed', action: 'clean up', rfc: 'RFC 2661 §7.2.1' },
  // §5.7: the recipient of a StopCCN acks it and keeps enough state to ack its retransmissions
  // for a full retransmission cycle, in case the ZLB is lost.
  { from: LIVE, event: 'recv-StopCCN', next: 'closing', action: 'ack (ZLB); clear sessions; keep acking retransmissions', rfc: 'RFC 2661 §7.2.1, §5.7' },
  { from: ['established'], event: 'hello-due', next: 'established', action: 'send HELLO', rfc: 'RFC 2661 §6.5' },
  { from: LIVE, event: 'retries-exhausted', next: 'closed', action: 'clean up (sessions cleared)', rfc: 'RFC 2661 §5.8' },
  // Not in the RFC's table: without it a peer that acks our SCCRQ/SCCRP and never answers
  // holds the tunnel forever. One retransmission cycle by default, so a slow peer still gets in.
  { from: ['wait-ctl-reply', 'wait-ctl-conn'], event: 'handshake-timeout', next: 'closed', action: 'free silently (no SCCRP/SCCCN within handshakeTimeout)', rfc: 'RFC 2661 §5.8 (one retransmission cycle)' },
  { from: ['closing'], event: 'recv-StopCCN', next: 'closing', action: 'ack', rfc: 'RFC 2661 §5.8' },
  { from: ['closing'], event: 'close', next: 'closing', action: 'none', rfc: 'RFC 2661 §5.8' },
  { from: ['closing'], event: 'retries-exhausted', next: 'closed', action: 'clean up', rfc: 'RFC 2661 §5.8' },
  { from: ['closing'], event: 'linger-over', next: 'closed', action: 'clean up', rfc: 'RFC 2661 §5.8' },
  { from: ['closed'], event: 'close', next: 'closed', action: 'none', rfc: '' },
];

/** Events of the session table. */
export type SessionTableEvent =
  | 'open-incoming'
  | 'open-outgoing'
  | 'recv-ICRQ'
  | 'recv-ICRQ-lose-tie'
  | 'recv-ICRQ-win-tie'
  | 'recv-ICRQ-equal-tie'
  | 'recv-OCRQ'
  | 'refuse'
  | 'recv-ICRP'
  | 'recv-OCRP'
  | 'recv-ICCN'
  | 'recv-OCCN'
  | 'recv-WEN'
  | 'recv-SLI'
  | 'recv-CDN'
  | 'recv-out-of-state'
  | 'recv-broken'
  | 'close'
  | 'timeout'
  | 'tunnel-down';

const SLIVE: readonly SessionState[] = ['wait-reply', 'wait-connect', 'established'];

/**
 * The session transitions (RFC 2661 §7.4.1, §7.4.2, §7.5.1, §7.5.2), both roles.
 * @example
 * ```ts
 * const incoming = SESSION_TRANSITIONS.filter((t) => t.rfc.includes('§7.4'));
 * ```
 */
export const SESSION_TRANSITIONS: readonly Transition<SessionState, SessionTableEvent>[] = [
  { from: ['idle'], event: 'open-incoming', next: 'wait-reply', action: 'send ICRQ (we are the LAC)', rfc: 'RFC 2661 §7.4.1' },
  { from: ['idle'], event: 'open-outgoing', next: 'wait-reply', action: 'send OCRQ (we are the LNS)', rfc: 'RFC 2661 §7.5.2' },
  { from: ['idle'], event: 'recv-ICRQ', next: 'wait-connect', action: 'send ICRP (we are the LNS)', rfc: 'RFC 2661 §7.4.2' },
  // No bearer to dial: the LAC side answers at once, so OCRP and OCCN go out together.
  { from: ['idle'], event: 'recv-OCRQ', next: 'established', action: 'send OCRP, OCCN; report up (we are the LAC)', rfc: 'RFC 2661 §7.5.1' },
  { from: ['idle'], event: 'refuse', next: 'closed', action: 'send CDN', rfc: 'RFC 2661 §7.4.2, §7.5.1' },
  // v3 (RFC 3931 §5.4.4 Session Tie Breaker, §7.3.1): both LCCEs sent an ICRQ for the same
  // circuit (Remote End ID). Settled as control connections are (RFC 3931 §5.4.3, RFC 2661
  // §4.4.3): the lower Tie Breaker wins, a lone one wins, equal ones both lose. The loser drops
  // its own call and answers the winner's ICRQ, the winner refuses the loser's with CDN result
  // 13; on equal values each side drops its own call and refuses the other's.
  { from: ['wait-reply'], event: 'recv-ICRQ-lose-tie', next: 'closed', action: "clean up our call; take the peer's ICRQ in idle", rfc: 'RFC 3931 §5.4.4, §7.3.1', versions: [3] },
  { from: ['wait-reply'], event: 'recv-ICRQ-win-tie', next: 'wait-reply', action: "send CDN (result 13) for the peer's losing call", rfc: 'RFC 3931 §5.4.4, §7.3.1', versions: [3] },
  { from: ['wait-reply'], event: 'recv-ICRQ-equal-tie', next: 'closed', action: "clean up our call; send CDN (result 13) for the peer's", rfc: 'RFC 3931 §5.4.3, §5.4.4', versions: [3] },
  { from: ['wait-reply'], event: 'recv-ICRP', next: 'established', action: 'send ICCN; report up', rfc: 'RFC 2661 §7.4.1' },
  { from: ['wait-reply'], event: 'recv-OCRP', next: 'wait-connect', action: 'none', rfc: 'RFC 2661 §7.5.2' },
  { from: ['wait-connect'], event: 'recv-ICCN', next: 'established', action: 'report up', rfc: 'RFC 2661 §7.4.2' },
  { from: ['wait-connect'], event: 'recv-OCCN', next: 'established', action: 'report up', rfc: 'RFC 2661 §7.5.2' },
  { from: ['established'], event: 'recv-WEN', next: 'established', action: 'report WEN', rfc: 'RFC 2661 §6.13' },
  // An SLI right after ICCN is normal (it may overtake nothing, but peers send it at once).
  { from: ['wait-connect', 'established'], event: 'recv-SLI', next: 'established', action: 'report SLI', rfc: 'RFC 2661 §6.14' },
  { from: SLIVE, event: 'recv-CDN', next: 'closed', action: 'clean up; report down', rfc: 'RFC 2661 §7.4, §7.5' },
  { from: SLIVE, event: 'close', next: 'closed', action: 'send CDN; report down', rfc: 'RFC 2661 §7.4, §7.5' },
  { from: SLIVE, event: 'recv-out-of-state', next: 'closed', action: 'send CDN; report down', rfc: 'RFC 2661 §7.4, §7.5' },
  { from: SLIVE, event: 'recv-broken', next: 'closed', action: 'send CDN (result 2); report down', rfc: 'RFC 2661 §4.1' },
  { from: SLIVE, event: 'tunnel-down', next: 'closed', action: 'clean up; report down', rfc: 'RFC 2661 §5.7' },
  // Not in the RFC's tables: a call waiting for ICRP/ICCN/OCRP/OCCN is given up after handshakeTimeout.
  { from: ['wait-reply', 'wait-connect'], event: 'timeout', next: 'closed', action: 'send CDN (result 2); report down', rfc: 'RFC 2661 §7.4, §7.5 (local timer)' },
];

/**
 * The row for (`state`, `event`) in `version` (default 2), or `undefined` when the table has
 * none (the FSM then treats the event as out of state).
 * @example
 * ```ts
 * findTransition(TUNNEL_TRANSITIONS, 'wait-ctl-reply', 'recv-SCCRP-acceptable')?.next; // 'established'
 * ```
 */
export function findTransition<S extends string, E extends string>(
  table: readonly Transition<S, E>[],
  state: S,
  event: E,
  version: L2tpVersion = 2,
): Transition<S, E> | undefined {
  for (let i = 0; i < table.length; i++) {
    const t = table[i]!;
    if (t.event === event && t.from.includes(state) && (t.versions === undefined || t.versions.includes(version))) return t;
  }
  return undefined;
}
