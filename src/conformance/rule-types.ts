/**
 * The shape of a row of the conformance rule table, and what a check gets to look at.
 */
import type { PeerCopy } from './peer-copies.js';
import type { ConnectionState } from './state.js';
import type { ScannedMessage } from './scan.js';
import type { Deviation, Severity } from './types.js';
import type { ObserverOptions } from './observer.js';

/** Options the checks read, with defaults filled in (from {@link ObserverOptions}). */
export interface CheckOptions {
  /** Shortest first retransmission interval accepted without a SHOULD deviation (ms). */
  readonly minRetransmitInterval: number;
  /** The RFC's floor on the backoff cap, minus timer slack (ms). */
  readonly capFloor: number;
  /** How long a message of ours may stay unacknowledged before it counts as never acked (ms). */
  readonly ackTimeout: number;
}

/** What a message rule looks at: one datagram from the peer, and the state before it. */
export interface MessageContext {
  readonly m: ScannedMessage;
  readonly s: Readonly<ConnectionState>;
  readonly now: number;
  /** Value of each AVP of `m.avps`: clear, or unhidden with the secret; undefined if it cannot be. */
  readonly values: readonly (Uint8Array | undefined)[];
  /** The earlier copy when this is a duplicate (same Ns) of a message the peer already sent. */
  readonly duplicate: PeerCopy | undefined;
  readonly options: CheckOptions;
}

/** What a time rule looks at: the state at `now`. */
export interface TimeContext {
  readonly s: ConnectionState;
  readonly now: number;
  readonly options: CheckOptions;
}

/** One breach a check found (the observer turns it into a {@link Deviation}). */
export interface Finding {
  readonly detail: string;
  /** The AVP concerned, by name. */
  readonly avp?: string;
  /** A more precise section than the rule's (e.g. the message's own §6.x). */
  readonly section?: string;
  /** Override of the message Ns (time rules report our message's Ns). */
  readonly ns?: number;
  readonly messageType?: string;
  readonly tunnelId?: number;
  readonly sessionId?: number;
}

/**
 * A check's answer: `undefined` when the rule does not apply here (not counted), otherwise the
 * breaches found (an empty list counts as the rule kept once).
 */
export type CheckResult = readonly Finding[] | undefined;

/**
 * The answer "checked, kept": one shared empty list, so a check that passes allocates nothing
 * (the observer runs every rule on every message).
 * @example
 * ```ts
 * const check = (c: MessageContext): CheckResult => (c.m.isControl ? KEPT : undefined);
 * ```
 */
export const KEPT: readonly Finding[] = Object.freeze([]);

/**
 * What the `strict` policy does about a MUST deviation of this rule: `'refuse'` the message
 * (StopCCN, or CDN for a session message) or only `'report'` it (the reliable layer or the FSM
 * already acts: retransmission timeouts, duplicates).
 */
export type StrictAction = 'refuse' | 'report';

/** One row of the rule table. */
export interface ConformanceRule {
  /** Stable id, `area.what` (`'avp.not-allowed'`). */
  readonly id: string;
  /** RFC section the rule comes from. */
  readonly section: string;
  /** The rule's words, in short. */
  readonly text: string;
  readonly severity: Severity;
  /** What `strict` does (see {@link StrictAction}). */
  readonly strict: StrictAction;
  /** General Error Code (RFC 2661 §4.4.2) a `strict` refusal carries. */
  readonly errorCode: number;
  /** Checked on each datagram from the peer. */
  readonly onMessage?: (c: MessageContext) => CheckResult;
  /** Checked whenever time passes (every datagram either way, `tick`, `report`). */
  readonly onTime?: (c: TimeContext) => CheckResult;
}
