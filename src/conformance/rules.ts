/**
 * The conformance rule table: one row per rule the observer checks, in report-card order.
 */
import type { ConformanceRule } from './rule-types.js';
import { AVP_RULES, HEADER_RULES } from './rules-message.js';
import { SEQUENCE_RULES } from './rules-sequence.js';

/**
 * Every rule the conformance observer checks: id, RFC section, the rule in short, severity,
 * what `strict` does about it, and its check. The report card lists them in this order.
 * @example
 * ```ts
 * import { CONFORMANCE_RULES } from 'l2tp-wire'; // exported under that name (RULES is the fuzzing kit's)
 * for (const r of CONFORMANCE_RULES) console.log(r.id, r.section, r.severity, r.text);
 * ```
 */
export const RULES: readonly ConformanceRule[] = Object.freeze([...HEADER_RULES, ...AVP_RULES, ...SEQUENCE_RULES]);

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/**
 * The row of {@link CONFORMANCE_RULES} with this id, or `undefined`.
 * @example
 * ```ts
 * ruleById('avp.not-allowed')?.section; // 'RFC 2661 §6'
 * ```
 */
export function ruleById(id: string): ConformanceRule | undefined {
  return BY_ID.get(id);
}
