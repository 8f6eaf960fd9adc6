/**
 * Folds a Stryker report (test/.stryker/mutation.json, written by `npm run mutate`) into
 * docs/compliance/mutation.json, the committed record docs/compliance.md renders its
 * "Mutation testing" section from. Files in the new report replace their earlier entries; files
 * it does not cover keep theirs, so a folder measured in one run and another folder in a later
 * run add up (each file says which commit it was measured at).
 *
 * Run: `npm run mutate:summary -- --seconds 2710` (the run time Stryker printed: "Done in …"); add
 * `--tests wire,compliance` when the run set L2TP_MUTATE_TESTS; `--retest` for a run limited to
 * survivors' lines after tests were added (it updates those survivors, not whole files); `--empty
 * <files>` for files the run was given that have no mutants (types and constants only).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type FileRecord, type MutationRecord, type Survivor, MUTATION_RECORD } from './mutation-section.js';

interface StrykerMutant {
  mutatorName: string;
  replacement: string;
  status: string;
  location: { start: { line: number; column: number } };
}
interface StrykerReport {
  files: Record<string, { source: string; mutants: StrykerMutant[] }>;
}

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const reportPath = flag('report') ?? 'test/.stryker/mutation.json';
const seconds = Number(flag('seconds') ?? NaN);
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as StrykerReport;
const record: MutationRecord = existsSync(MUTATION_RECORD) ? JSON.parse(readFileSync(MUTATION_RECORD, 'utf8')) : { runs: [], files: {}, survivors: [] };
// The commit the run measured (default: HEAD, right after the run).
const commit = flag('commit') ?? execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const date = new Date().toISOString().slice(0, 10);

const files = Object.keys(report.files).sort();
const detected = (status: string) => status === 'Killed' || status === 'Timeout';
let survivors: Survivor[];
let retested = 0;
if (args.includes('--retest')) {
  // A run limited to the survivors' lines (mutation ranges) after tests were added: each recorded
  // survivor it tested again, found by line, column, mutator and replacement, takes the new status;
  // the file's other counts stand as measured. Mutants the record has no survivor for are reported.
  survivors = [...record.survivors];
  const claimed = new Set<Survivor>();
  let unmatched = 0;
  for (const file of files) {
    const c = record.files[file];
    if (c === undefined) throw new Error(`--retest: ${file} has no full measurement in ${MUTATION_RECORD} yet`);
    // Undetected mutants claim their recorded survivor first: two mutants can share line, column,
    // mutator and replacement (a condition and its prefix), and a detected one must not take the
    // entry of one that still survives.
    const mutants = [...report.files[file]!.mutants].sort((a, b) => Number(detected(a.status)) - Number(detected(b.status)));
    for (const m of mutants) {
      const { line, column } = m.location.start;
      const i = survivors.findIndex((s) => !claimed.has(s) && s.file === file && s.line === line && s.column === column && s.mutator === m.mutatorName && s.replacement === m.replacement.slice(0, 80));
      if (i < 0) {
        if (m.status !== 'Ignored') unmatched++;
        continue;
      }
      retested++;
      claimed.add(survivors[i]!);
      if (!detected(m.status)) continue;
      if (survivors[i]!.status === 'NoCoverage') c.noCoverage--;
      else c.survived--;
      if (m.status === 'Killed') c.killed++;
      else c.timeout++;
      c.commit = commit;
      survivors.splice(i, 1);
    }
  }
  if (unmatched > 0) console.log(`--retest: ${unmatched} mutants in the report match no recorded survivor (already detected, or new code): not counted`);
} else {
  survivors = record.survivors.filter((s) => !files.includes(s.file));
  for (const file of files) {
    const { source, mutants } = report.files[file]!;
    const lines = source.split('\n');
    const c: FileRecord = { commit, killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 };
    for (const m of mutants) {
      if (m.status === 'Killed') c.killed++;
      else if (m.status === 'Timeout') c.timeout++;
      else if (m.status === 'Survived') c.survived++;
      else if (m.status === 'NoCoverage') c.noCoverage++;
      else c.other++; // Ignored (static), CompileError, RuntimeError: not in the score
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const { line, column } = m.location.start;
        survivors.push({ file, line, column, mutator: m.mutatorName, status: m.status, original: lines[line - 1]!.trim().slice(0, 120), replacement: m.replacement.slice(0, 80) });
      }
    }
    record.files[file] = c;
  }
}
// `--empty a.ts,b.ts`: files the run was asked to mutate for which Stryker made no mutant (types and
// constants only): recorded as measured with zero mutants, so the section does not call them unmeasured.
for (const file of flag('empty')?.split(',') ?? []) {
  if (report.files[file] !== undefined && report.files[file]!.mutants.length > 0) throw new Error(`--empty: ${file} has mutants in ${reportPath}`);
  record.files[file] = { commit, killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 };
}
survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.mutator.localeCompare(b.mutator));
record.survivors = survivors;
const tests = flag('tests'); // the L2TP_MUTATE_TESTS the run used, if any
record.runs.push({ date, commit, files: files.length, seconds: Number.isFinite(seconds) ? seconds : null, ...(tests ? { tests: tests.split(',').join(', ') } : {}), ...(args.includes('--retest') ? { retested } : {}) });
writeFileSync(MUTATION_RECORD, `${JSON.stringify(record, null, 1)}\n`);
console.log(`${MUTATION_RECORD}: ${files.length} files from ${reportPath} at ${commit}; ${survivors.length} survivors recorded in all`);
