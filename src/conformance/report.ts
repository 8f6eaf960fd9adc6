/**
 * The report card: each rule kept, broken or not exercised, with RFC sections and counts; and
 * its readable form.
 */
import { RULES } from './rules.js';
import type { ConformanceReport, Deviation, RuleOutcome } from './types.js';

/** What the observer hands over to build a report. @internal */
export interface ReportInput {
  /** Per rule, by its index in RULES. */
  readonly checked: readonly number[];
  readonly broken: readonly number[];
  readonly deviations: readonly Deviation[];
  readonly dropped: number;
  readonly received: number;
  readonly sent: number;
  readonly peerMessages: Readonly<Record<string, number>>;
  readonly peerHostName: string | undefined;
  readonly peerVendorName: string | undefined;
}

/** Assemble the report card (a plain, JSON-ready object). @internal */
export function buildReport(i: ReportInput): ConformanceReport {
  const rules: RuleOutcome[] = RULES.map((r, k) => {
    const checked = i.checked[k] ?? 0;
    const broken = i.broken[k] ?? 0;
    const status = broken > 0 ? 'broken' : checked > 0 ? 'kept' : 'not-exercised';
    return { rule: r.id, section: r.section, text: r.text, severity: r.severity, checked, broken, status };
  });
  let must = 0;
  let should = 0;
  for (const r of rules) {
    if (r.severity === 'MUST') must += r.broken;
    else should += r.broken;
  }
  const count = (s: RuleOutcome['status']) => rules.filter((r) => r.status === s).length;
  const report: { -readonly [K in keyof ConformanceReport]: ConformanceReport[K] } = {
    verdict: must > 0 ? 'fail' : should > 0 ? 'warn' : 'pass',
    received: i.received,
    sent: i.sent,
    peerMessages: { ...i.peerMessages },
    rules,
    counts: { kept: count('kept'), broken: count('broken'), notExercised: count('not-exercised'), must, should },
    deviations: [...i.deviations],
    droppedDeviations: i.dropped,
  };
  if (i.peerHostName !== undefined) report.peerHostName = i.peerHostName;
  if (i.peerVendorName !== undefined) report.peerVendorName = i.peerVendorName;
  return report;
}

/**
 * The report card as readable lines: a header with the verdict, then every rule broken (with its
 * deviations), kept, and not exercised.
 * @example
 * ```ts
 * console.log(formatReport(observer.report()).join('\n'));
 * // conformance of peer "lac-1" (xelerance.com): PASS — 0 MUST, 0 SHOULD deviations …
 * ```
 */
export function formatReport(report: ConformanceReport): string[] {
  const who = report.peerHostName !== undefined ? `peer "${report.peerHostName}"${report.peerVendorName ? ` (${report.peerVendorName})` : ''}` : 'peer';
  const msgs = Object.entries(report.peerMessages).map(([k, v]) => `${k}×${v}`).join(' ');
  const c = report.counts;
  const lines = [
    `conformance of ${who}: ${report.verdict.toUpperCase()} — ${c.must} MUST, ${c.should} SHOULD deviation(s)`,
    `  ${report.received} datagram(s) from the peer (${msgs || 'none'}), ${report.sent} from us`,
    `  rules: ${c.broken} broken, ${c.kept} kept, ${c.notExercised} not exercised`,
  ];
  const byRule = new Map<string, Deviation[]>();
  for (const d of report.deviations) byRule.set(d.rule, [...(byRule.get(d.rule) ?? []), d]);
  for (const r of report.rules.filter((x) => x.status === 'broken')) {
    lines.push(`  BROKEN ${r.severity.padEnd(6)} ${r.rule} (${r.section}) ×${r.broken}: ${r.text}`);
    for (const d of byRule.get(r.rule) ?? []) {
      const where = [d.messageType, d.ns !== undefined ? `Ns ${d.ns}` : undefined, d.sessionId ? `session ${d.sessionId}` : undefined].filter(Boolean).join(' ');
      lines.push(`         - ${where ? `${where}: ` : ''}${d.detail}${d.section !== r.section ? ` [${d.section}]` : ''}`);
    }
  }
  for (const r of report.rules.filter((x) => x.status === 'kept')) {
    lines.push(`  kept   ${r.severity.padEnd(6)} ${r.rule} (${r.section}) ×${r.checked}: ${r.text}`);
  }
  const idle = report.rules.filter((x) => x.status === 'not-exercised').map((r) => r.rule);
  if (idle.length > 0) lines.push(`  not exercised: ${idle.join(', ')}`);
  if (report.droppedDeviations > 0) lines.push(`  (${report.droppedDeviations} more deviation(s) not listed)`);
  return lines;
}
