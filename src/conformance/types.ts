/**
 * The shapes the conformance observer reports: deviations, rule rows and the report card.
 * Everything here is plain data and survives `JSON.stringify`.
 */

/** How strongly the RFC words a rule: "MUST" (interoperability breaks) or "SHOULD"/"recommended". */
export type Severity = 'MUST' | 'SHOULD';

/**
 * One thing the peer did against the RFC, with enough context to find it in a capture.
 * @example
 * ```ts
 * // { rule: 'avp.not-allowed', section: 'RFC 2661 §6.6', severity: 'MUST', messageType: 'ICRQ', … }
 * observer.deviations.forEach((d) => console.log(d.rule, d.detail));
 * ```
 */
export interface Deviation {
  /** Stable rule id, e.g. `'avp.not-allowed'` (a row of {@link CONFORMANCE_RULES}). */
  readonly rule: string;
  /** Where the RFC says it, e.g. `'RFC 2661 §6.6'` (the section of the case, not only the rule's). */
  readonly section: string;
  /** The rule's words, in short. */
  readonly text: string;
  readonly severity: Severity;
  /** When it was seen (the `now` the observer was fed). */
  readonly at: number;
  /** Header Tunnel ID (v2) / Control Connection ID (v3) of the peer's message: ours. */
  readonly tunnelId?: number;
  /** Header Session ID (v2) of the peer's message. */
  readonly sessionId?: number;
  /**
   * For a session message carrying the peer's Assigned Session ID (ICRQ, OCRQ, CDN…): that ID,
   * the Session ID a CDN answering it goes to.
   */
  readonly peerSessionId?: number;
  /** `'ICRQ'`, `'ZLB'`, `'DATA'`, `'Unknown(99)'`… of the message concerned. */
  readonly messageType?: string;
  /** Ns of the message concerned (ours for a missing ack, the peer's otherwise). */
  readonly ns?: number;
  /** The AVP concerned, by name (`'Minimum BPS'`) or `vendor:type` when unknown. */
  readonly avp?: string;
  /** What exactly was seen, in a sentence. */
  readonly detail: string;
}

/** Which way a datagram went, seen from our side. */
export type Direction = 'received' | 'sent';

/** How one rule fared over the connection (a line of the report card). */
export interface RuleOutcome {
  readonly rule: string;
  readonly section: string;
  readonly text: string;
  readonly severity: Severity;
  /** How many times the rule applied (messages, retransmissions… it was checked against). */
  readonly checked: number;
  /** How many of those broke it. */
  readonly broken: number;
  /** `'broken'` if any, `'kept'` if checked and never broken, `'not-exercised'` otherwise. */
  readonly status: 'kept' | 'broken' | 'not-exercised';
}

/**
 * The report card of one control connection: what the peer did, rule by rule.
 * @example
 * ```ts
 * const r = observer.report();
 * if (r.verdict === 'fail') console.log(formatReport(r).join('\n'));
 * ```
 */
export interface ConformanceReport {
  /** `'pass'`: no deviation; `'warn'`: SHOULD-level only; `'fail'`: at least one MUST broken. */
  readonly verdict: 'pass' | 'warn' | 'fail';
  /** Datagrams fed: from the peer, by us. */
  readonly received: number;
  readonly sent: number;
  /** Peer's control messages by type name (`{ SCCRQ: 1, ZLB: 3 }`). */
  readonly peerMessages: Readonly<Record<string, number>>;
  /** Host Name the peer announced, if seen. */
  readonly peerHostName?: string;
  /** Vendor Name the peer announced, if seen. */
  readonly peerVendorName?: string;
  /** One entry per rule of the table, in table order. */
  readonly rules: readonly RuleOutcome[];
  /** Rules kept / broken / not exercised, and deviations by severity. */
  readonly counts: {
    readonly kept: number;
    readonly broken: number;
    readonly notExercised: number;
    readonly must: number;
    readonly should: number;
  };
  /** Every deviation, in order (capped: see `ObserverOptions.maxDeviations`). */
  readonly deviations: readonly Deviation[];
  /** Deviations not kept in `deviations` because of the cap (still counted in `rules`). */
  readonly droppedDeviations: number;
}
