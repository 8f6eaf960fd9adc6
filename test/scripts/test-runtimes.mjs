#!/usr/bin/env node
/**
 * The runtimes matrix (issue 6): the core test suite under Deno and Bun, a codec smoke test in
 * headless Chromium against dist/, and the packed-tarball checks (install + ESM/CJS imports,
 * publint, attw). Node runs the whole suite already (`vitest run`).
 *
 *   node test/scripts/test-runtimes.mjs [deno] [bun] [chromium] [package]    (default: all four)
 *
 * Needs `npm run build` first (chromium, package). Each step runs in its own process group with a
 * time limit, and must report more than zero tests, no failures, and (deno, bun) at least one
 * passing test from every core file: a runner that silently skipped a file fails the step.
 * Ends with one line `runtimes: N passed, N failed` and exits non-zero on any failure.
 *
 * Environment: L2TP_WIRE_CHROMIUM=/path overrides /usr/bin/chromium; a missing browser fails the
 * Chromium step.
 * See docs/runtimes.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');

/** The core suite: codec, Sequencer, FSMs, crypto, PPP (not its tshark check), the in-memory transport and stream framing, the pure pcap reader (l2tp-wire/pcap). */
const CORE_DIRS = ['test/wire', 'test/reliable', 'test/fsm', 'test/crypto'];
const CORE_FILES = [
  'test/ppp/automaton.test.ts',
  'test/ppp/frame.test.ts',
  'test/ppp/lcp.test.ts',
  'test/ppp/link.test.ts',
  'test/ppp/mschapv2.test.ts',
  'test/ppp/robustness.test.ts',
  'test/transports/memory.test.ts',
  'test/transports/stream-framer.test.ts',
  'test/transports/stream-framer-v3.test.ts',
  'test/runtimes/runtime.test.ts',
  'test/pcap/read.test.ts',
];

/** Core files a runtime cannot run, and why (printed with every run). */
const EXCLUDED = {
  deno: {},
  bun: {
    'test/reliable/memory.test.ts':
      "V8-only: turns on --expose-gc with node:v8 setFlagsFromString and calls V8's gc(); Bun runs JavaScriptCore",
    'test/fsm/memory.test.ts':
      "V8-only: turns on --expose-gc with node:v8 setFlagsFromString and calls V8's gc(); Bun runs JavaScriptCore",
    'test/conformance/memory.test.ts':
      "V8-only: turns on --expose-gc with node:v8 setFlagsFromString and calls V8's gc(); Bun runs JavaScriptCore",
  },
};

const STEPS = {
  // Bounds for the whole core suite on a 2-core machine (it grew with L2TPv3: ~1,300 tests).
  deno: { limit: 480_000, run: runDeno },
  bun: { limit: 300_000, run: runBun },
  chromium: { limit: 150_000, run: () => runNodeTest('test/runtimes/chromium.test.mjs', 150_000) },
  package: { limit: 240_000, run: () => runNodeTest('test/package/install.test.mjs', 240_000) },
};

function coreFiles() {
  const files = [];
  for (const dir of CORE_DIRS) {
    for (const f of readdirSync(join(ROOT, dir), { recursive: true })) {
      if (String(f).endsWith('.test.ts')) files.push(`${dir}/${f}`);
    }
  }
  return [...files, ...CORE_FILES].sort();
}

/**
 * Run a command in its own process group, echoing its output, killing the group at `limit` ms.
 * Resolves with the exit status (null when killed) and the captured stdout.
 */
function run(cmd, args, { limit, env = {} }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let timedOut = false;
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    const timer = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`\n${cmd}: no result after ${limit / 1000} s, killing it\n`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, limit);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status: timedOut ? null : status, out, timedOut });
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ status: null, out, error: e });
    });
  });
}

/** The first line of a failure message, for the one-line summary (the full text is printed above it). */
function firstLine(message) {
  const line = String(message ?? '').split('\n').find((l) => l.trim() !== '') ?? '(no message)';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function unescapeXml(s) {
  return s
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Check that every expected file reported at least one passing test. */
function perFileProblems(expected, passedByFile) {
  return expected.filter((f) => !(passedByFile.get(f) > 0)).map((f) => `${f}: no passing test reported`);
}

async function runDeno() {
  const files = coreFiles().filter((f) => !(f in EXCLUDED.deno));
  const dir = mkdtempSync(join(tmpdir(), 'l2tp-wire-deno-'));
  const report = join(dir, 'report.json');
  try {
    // vitest itself runs on Deno: its CLI and its worker processes (Deno's child_process starts
    // Deno again); test/runtimes/runtime.test.ts checks that the tests ran in Deno.
    const r = await run(
      join(BIN, 'deno'),
      ['run', '-A', 'node_modules/vitest/vitest.mjs', 'run', '--config', 'test/vitest.config.ts', '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`, ...files],
      { limit: STEPS.deno.limit, env: { L2TP_WIRE_EXPECT_RUNTIME: 'deno', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' } },
    );
    if (!existsSync(report)) return { ...r, passed: 0, failed: 0, skipped: 0, problems: ['vitest wrote no JSON report'] };
    const json = JSON.parse(readFileSync(report, 'utf8'));
    const passedByFile = new Map();
    const problems = [];
    for (const t of json.testResults) {
      const f = relative(ROOT, t.name);
      passedByFile.set(f, t.assertionResults.filter((a) => a.status === 'passed').length);
      if (t.status === 'failed' && t.assertionResults.every((a) => a.status !== 'failed')) problems.push(`${f}: ${t.message || 'failed to load'}`);
      // Name each failing test in the summary too: CI often keeps only the end of the output.
      for (const a of t.assertionResults.filter((x) => x.status === 'failed')) problems.push(`${f} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    }
    problems.push(...perFileProblems(files, passedByFile));
    return {
      ...r,
      files: files.length,
      passed: json.numPassedTests,
      failed: json.numFailedTests,
      skipped: json.numPendingTests + json.numTodoTests,
      problems,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runBun() {
  const files = coreFiles().filter((f) => !(f in EXCLUDED.bun));
  const dir = mkdtempSync(join(tmpdir(), 'l2tp-wire-bun-'));
  const report = join(dir, 'junit.xml');
  try {
    // bun test runs the same files with its own runner: it maps `from 'vitest'` onto bun:test
    // (describe/it/expect/expectTypeOf). test/vitest.config.ts's 60 s test timeout, not bun's 5 s.
    const r = await run(
      join(BIN, 'bun'),
      ['test', '--timeout=60000', '--only-failures', '--reporter=junit', `--reporter-outfile=${report}`, ...files.map((f) => `./${f}`)],
      { limit: STEPS.bun.limit, env: { L2TP_WIRE_EXPECT_RUNTIME: 'bun', DO_NOT_TRACK: '1' } },
    );
    if (!existsSync(report)) return { ...r, passed: 0, failed: 0, skipped: 0, problems: ['bun wrote no JUnit report'] };
    const xml = readFileSync(report, 'utf8');
    const passedByFile = new Map();
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failures = [];
    // <testcase ... file="test/x.test.ts" ... /> or <testcase ...>…<failure/>…</testcase>
    for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
      const file = /\bfile="([^"]*)"/.exec(m[1])?.[1] ?? '?';
      const body = m[3] ?? '';
      if (/<(failure|error)\b/.test(body)) {
        failed++;
        const name = /\bname="([^"]*)"/.exec(m[1])?.[1] ?? '?';
        const message = /<(?:failure|error)\b[^>]*?\bmessage="([^"]*)"/.exec(body)?.[1];
        failures.push(`${file} > ${unescapeXml(name)}: ${firstLine(unescapeXml(message ?? ''))}`);
      }
      else if (/<skipped\b/.test(body)) skipped++;
      else {
        passed++;
        passedByFile.set(file, (passedByFile.get(file) ?? 0) + 1);
      }
    }
    const problems = [...failures, ...perFileProblems(files, passedByFile)];
    // Errors outside any test (a file that throws while loading) fail the run without a testcase.
    if (r.status !== 0 && failed === 0) problems.push(`bun test exited ${r.status} with no failing test: an error outside the tests (see above)`);
    return { ...r, files: files.length, passed, failed, skipped, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runNodeTest(file, limit) {
  const r = await run(process.execPath, ['--test', '--test-reporter=spec', file], { limit });
  const count = (k) => Number(new RegExp(`^ℹ ${k} (\\d+)`, 'm').exec(r.out)?.[1] ?? 0);
  return { ...r, files: 1, passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo'), problems: [] };
}

async function main() {
  const asked = process.argv.slice(2);
  for (const a of asked) {
    if (!(a in STEPS)) {
      console.error(`unknown step '${a}': choose from ${Object.keys(STEPS).join(', ')}`);
      process.exit(2);
    }
  }
  const names = asked.length > 0 ? asked : Object.keys(STEPS);
  if ((names.includes('chromium') || names.includes('package')) && !existsSync(join(ROOT, 'dist', 'index.js'))) {
    console.error('dist/index.js is missing: run `npm run build` first');
    process.exit(1);
  }
  const rows = [];
  for (const name of names) {
    console.log(`\n=== ${name} ===`);
    for (const [f, why] of Object.entries(EXCLUDED[name] ?? {})) console.log(`(excluded under ${name}: ${f} — ${why})`);
    const t0 = performance.now();
    const r = await STEPS[name].run();
    const seconds = (performance.now() - t0) / 1000;
    const problems = [...r.problems];
    if (r.timedOut) problems.push(`timed out after ${STEPS[name].limit / 1000} s`);
    else if (r.error) problems.push(`could not start: ${r.error.message}`);
    else if (r.status !== 0) problems.push(`exited with status ${r.status}`);
    if (r.passed === 0 && r.skipped === 0) problems.push('ran no test');
    rows.push({ name, ...r, seconds, problems });
  }
  console.log('\nruntime    files  passed  failed  skipped  seconds');
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(10)} ${String(r.files ?? '-').padStart(5)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}  ${r.seconds.toFixed(1).padStart(7)}`,
    );
  }
  const bad = rows.filter((r) => r.problems.length > 0);
  for (const r of bad) for (const p of r.problems) console.log(`FAIL ${r.name}: ${p}`);
  const passed = rows.reduce((n, r) => n + r.passed, 0);
  // A step that failed without a failing test (timeout, load error, nothing run) counts as one.
  const failed = rows.reduce((n, r) => n + (r.failed > 0 ? r.failed : r.problems.length > 0 ? 1 : 0), 0);
  const skipped = rows.reduce((n, r) => n + r.skipped, 0);
  console.log(`runtimes: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  process.exit(bad.length > 0 ? 1 : 0);
}

await main();
