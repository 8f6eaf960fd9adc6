/**
 * The "Mutation testing" section of docs/compliance.md (issue 13): the mutation score of the
 * protocol core per folder, from docs/compliance/mutation.json (written by
 * test/scripts/mutation-summary.ts after `npm run mutate`), and every surviving mutant with the
 * reason it is accepted, from docs/compliance/survivors.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SURVIVOR_REASONS, type SurvivorReason } from '../../docs/compliance/survivors.js';

/** Where the committed record lives, relative to the repository root. */
export const MUTATION_RECORD = 'docs/compliance/mutation.json';
/** The folders the score is over (issue 13). */
export const MUTATED_FOLDERS = ['src/wire', 'src/reliable', 'src/fsm'] as const;

/** Mutant counts of one file, and the commit they were measured at. */
export interface FileRecord {
  commit: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Static (ignored), compile and runtime errors: outside the score, as Stryker counts it. */
  other: number;
}
/** One mutant no test killed. */
export interface Survivor {
  file: string;
  line: number;
  column: number;
  mutator: string;
  status: 'Survived' | 'NoCoverage' | string;
  original: string;
  replacement: string;
}
/** docs/compliance/mutation.json. */
export interface MutationRecord {
  runs: { date: string; commit: string; files: number; seconds: number | null; tests?: string; retested?: number }[];
  files: Record<string, FileRecord>;
  survivors: Survivor[];
}

/** The committed record (an empty one before the first run). */
export function readRecord(root: string): MutationRecord {
  const p = join(root, MUTATION_RECORD);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as MutationRecord) : { runs: [], files: {}, survivors: [] };
}

/** The reason accepted for a survivor, if one of the rules in docs/compliance/survivors.ts matches it. */
export function reasonFor(s: Survivor, rules: readonly SurvivorReason[] = SURVIVOR_REASONS): SurvivorReason | undefined {
  return rules.find(
    (r) =>
      r.file === s.file &&
      (r.lines === undefined || r.lines.includes(s.line)) &&
      (r.mutators === undefined || r.mutators.includes(s.mutator)) &&
      (r.original === undefined || r.original.test(s.original)),
  );
}

/** Stryker's score: detected (killed + timed out) over valid mutants (detected + survived + no coverage). */
export function score(files: readonly FileRecord[]): { detected: number; valid: number; percent: number } {
  let detected = 0;
  let valid = 0;
  for (const f of files) {
    detected += f.killed + f.timeout;
    valid += f.killed + f.timeout + f.survived + f.noCoverage;
  }
  return { detected, valid, percent: valid === 0 ? 0 : (100 * detected) / valid };
}

function sourceFiles(root: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && e.name !== 'index.ts') out.push(p);
    }
  };
  walk(folder);
  return out.sort();
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/`/g, 'ˋ');
const pct = (x: number) => `${x.toFixed(1)} %`;

/** The section's Markdown lines. */
export function renderMutationSection(root: string): string[] {
  const rec = readRecord(root);
  const out = [
    '## Mutation testing',
    '',
    'A test that cannot fail proves nothing: `npm run mutate` (StrykerJS) changes the code of `src/wire`, `src/reliable`',
    'and `src/fsm` one mutant at a time and runs the unit tests that cover it (test/vitest.mutate.config.ts). A mutant no',
    'test notices *survives*. Property runs are divided by 10 during the run (test/runs.ts), so these scores are lower',
    'bounds for the full suite. `npm run mutate:summary` folds a run into docs/compliance/mutation.json; a folder can be',
    'measured on its own (`npm run mutate -- --mutate "src/reliable/**/*.ts"`) and each file says the commit it was',
    'measured at. A run can be limited to some test folders (`L2TP_MUTATE_TESTS=wire,compliance`): a folder\'s own',
    'tests then face its mutants alone, which is faster and again a lower bound; "(quick)" marks a run with',
    '`L2TP_MUTATE_QUICK=1`, which also leaves out the four slow property files (fuzzing kit, garbage fuzzers, memory',
    'bound), another lower bound. After tests are added, a run limited to',
    'the survivors\' lines (`--mutate "src/wire/header.ts:110-130"`) is folded with `--retest`: each recorded survivor',
    'that run tested again, at the same line, column and replacement, takes its new status. Runs on the 2-core development machine:',
    '',
    '| date | commit | files | tests run | run time |',
    '|---|---|---|---|---|',
    ...rec.runs.map((r) => `| ${r.date} | ${r.commit} | ${r.retested === undefined ? r.files : `${r.files} (re-test of ${r.retested} survivors)`} | ${r.tests ?? 'wire, reliable, fsm, compliance, arbitraries'} | ${r.seconds === null ? '—' : `${Math.round(r.seconds / 60)} min`} |`),
    '',
    '| folder | files measured | mutants (valid) | detected | survived | no coverage | score |',
    '|---|---|---|---|---|---|---|',
  ];
  const all: FileRecord[] = [];
  const unmeasured: string[] = [];
  for (const folder of MUTATED_FOLDERS) {
    const files = sourceFiles(root, folder);
    const measured = files.filter((f) => rec.files[f] !== undefined).map((f) => rec.files[f]!);
    unmeasured.push(...files.filter((f) => rec.files[f] === undefined));
    all.push(...measured);
    const s = score(measured);
    const surv = measured.reduce((n, f) => n + f.survived, 0);
    const noCov = measured.reduce((n, f) => n + f.noCoverage, 0);
    out.push(`| \`${folder}\` | ${measured.length} of ${files.length} | ${s.valid} | ${s.detected} | ${surv} | ${noCov} | ${measured.length === 0 ? 'not measured' : pct(s.percent)} |`);
  }
  const t = score(all);
  out.push(`| **all three** | ${all.length} | ${t.valid} | ${t.detected} | | | **${all.length === 0 ? 'not measured' : pct(t.percent)}** |`, '');
  if (unmeasured.length > 0) out.push(`Not measured yet: ${unmeasured.map((f) => `\`${f}\``).join(', ')}.`, '');
  const mutantCount = (c: FileRecord) => c.killed + c.timeout + c.survived + c.noCoverage + c.other;
  const empty = Object.keys(rec.files).filter((f) => mutantCount(rec.files[f]!) === 0).sort();
  if (empty.length > 0) out.push(`Measured with no mutants (types and constants only): ${empty.map((f) => `\`${f}\``).join(', ')}.`, '');
  const explained = rec.survivors.map((s) => ({ s, r: reasonFor(s) }));
  const unexplained = explained.filter((x) => x.r === undefined).length;
  const kinds = (k: SurvivorReason['kind']) => explained.filter((x) => x.r?.kind === k).length;
  out.push(
    `### Surviving mutants (${rec.survivors.length}: ${kinds('equivalent')} equivalent, ${kinds('accepted')} accepted, ${kinds('open')} open test gaps${unexplained > 0 ? `, ${unexplained} without a stated reason` : ''})`,
    '',
    'Each is **equivalent** (no behaviour can tell it from the original), **accepted** (observable only in a way not',
    'worth a test, said why) or an **open** test gap named until a test kills it (docs/compliance/survivors.ts).',
    '',
    '| where | mutator | original → mutant | why it survives |',
    '|---|---|---|---|',
  );
  for (const { s, r } of explained) {
    out.push(`| \`${s.file.replace(/^src\//, '')}:${s.line}:${s.column}\` | ${s.mutator}${s.status === 'NoCoverage' ? ' (no test runs it)' : ''} | \`${cell(s.original)}\` → \`${cell(s.replacement.replace(/\s+/g, ' '))}\` | ${r === undefined ? '**no reason stated**' : `**${r.kind}**: ${cell(r.reason)}`} |`);
  }
  out.push('');
  return out;
}
