/**
 * Conformance: a passive observer that reports each deviation of an L2TP peer from RFC 2661
 * (and RFC 3931 where it applies), a report card, and the `strict | report | lenient` policy.
 * Pure: imports only `wire/` and `reliable/`.
 */
export { ConformanceObserver, SharedObserverOptions, type ObserverOptions } from './observer.js';
export { RULES as CONFORMANCE_RULES, ruleById } from './rules.js';
export { formatReport } from './report.js';
export { conformanceDecision, type ConformanceDecision, type ConformancePolicy } from './policy.js';
export type { ConformanceRule, StrictAction, CheckResult, Finding, MessageContext, TimeContext, CheckOptions } from './rule-types.js';
export type { ConformanceReport, Deviation, Direction, RuleOutcome, Severity } from './types.js';
