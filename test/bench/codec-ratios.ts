/**
 * The codec as used, against naive hand-written references doing the same work (issue 16 item 4):
 *
 * - parse + read: `parseControl(SCCRP)` then every typed field an SCCRP carries and, per AVP,
 *   its type and value size, against `naiveParse` (DataView + TextDecoder, a record and a value
 *   view per AVP, as one writes it by hand) and the same reads. Goal ≥ 3×.
 * - build: `sccrq(opts)` against `naiveSccrq(opts)` writing the same bytes. Goal ≥ 4×.
 * - walk: `AvpReader` over the AVPs against the naive full parse. Goal ≥ 25×.
 *
 * Each round times both sides of every case back to back (order alternating per round), each in a
 * batch of about the same duration (calls per batch calibrated per side after warm-up), so a
 * preemption by another process is as likely to land in either side; the ratio is naive time /
 * our time per call in that round, reported as the median of the rounds with the interquartile
 * range and min–max (a loaded machine shows up as spread, not as a biased median). Each side runs in a timing loop of its own (compiled per side with
 * `new Function`, as benchmark.js and mitata do): a loop shared by all six functions would make
 * its call site megamorphic and add the same few nanoseconds of indirect call to both sides,
 * which is no part of either side's work and would understate every ratio.
 *
 *   npm run bench:codec            (esbuild bundles src; Node runs it; --json for a JSON line)
 *   ROUNDS=61 BATCH_MS=2 CLOCK=cpu npm run bench:codec   (the defaults; CLOCK=wall for wall time)
 */
import { AvpReader, parseControl, sccrq } from '../../src/index.js';
import { naiveParse, naiveSccrq } from './naive.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));
}

// xl2tpd 1.3.18's SCCRP (test/vectors plain capture): 9 AVPs, host and vendor name.
const SCCRP = hex(
  'c802006ab57400000000000180080000000000028008000000020100800a0000000300000003800a00000004000000000008000000060690800f000000076c6e732d706c61696e00130000000878656c6572616e63652e636f6d800800000009c33d80080000000a0004',
);
const OPTS = { hostName: 'lac.example', assignedTunnelId: 42, vendorName: 'l2tp-wire' };
const reader = new AvpReader();

interface Case {
  name: string;
  goal: number;
  ours: () => number;
  naive: () => number;
}

const CASES: Case[] = [
  {
    name: 'parse + read every typed field and the AVP list (SCCRP)',
    goal: 3,
    ours: () => {
      const m = parseControl(SCCRP);
      let s = m.type ^ m.tunnelId ^ m.assignedTunnelId! ^ m.receiveWindowSize! ^ m.hostName!.length ^ m.vendorName!.length;
      s ^= m.protocolVersion!.version ^ m.framingCapabilities! ^ m.bearerCapabilities! ^ m.firmwareRevision!;
      for (const a of m.avps) s ^= a.type ^ a.valueLength; // the value's size, no view made
      return s;
    },
    naive: () => {
      const m = naiveParse(SCCRP);
      let s = m.type ^ m.tunnelId ^ m.assignedTunnelId! ^ m.receiveWindowSize! ^ m.hostName!.length ^ m.vendorName!.length;
      s ^= m.protocolVersion!.version ^ m.framingCapabilities! ^ m.bearerCapabilities! ^ m.firmwareRevision!;
      for (const a of m.avps) s ^= a.type ^ a.value.length;
      return s;
    },
  },
  {
    name: 'sccrq() vs a naive builder (same bytes)',
    goal: 4,
    ours: () => sccrq(OPTS).length,
    naive: () => naiveSccrq(OPTS).length,
  },
  {
    name: 'AvpReader walk vs the naive full parse (SCCRP)',
    goal: 25,
    ours: () => {
      let s = 0;
      reader.reset(SCCRP, 12, SCCRP.length);
      while (reader.next()) s ^= reader.type;
      return s;
    },
    naive: () => {
      let s = 0;
      for (const a of naiveParse(SCCRP).avps) s ^= a.type;
      return s;
    },
  },
];

// Honesty: both sides agree before anything is timed.
{
  const a = sccrq(OPTS);
  const b = naiveSccrq(OPTS);
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) throw new Error('naiveSccrq writes different bytes from sccrq()');
  for (const c of CASES) if (c.ours() !== c.naive()) throw new Error(`${c.name}: the two sides read different values`);
}

let sink = 0;
type Loop = (f: () => number, n: number) => number;
// One compiled loop per side of every case (see the header): each call site sees one function.
const newLoop = (): Loop => new Function('f', 'n', 'let s = 0; for (let i = 0; i < n; i++) s ^= f(); return s;') as Loop;
// The clock: this process's CPU time (user + system, all threads: a side's GC helpers count
// against it) by default, so time spent descheduled on a loaded machine counts for neither side;
// CLOCK=wall for wall time.
const WALL = process.env.CLOCK === 'wall';
function now(): number {
  if (WALL) return Number(process.hrtime.bigint());
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}
function time(loop: Loop, f: () => number, n: number): number {
  const t = now();
  sink ^= loop(f, n);
  return (now() - t) / n;
}

const ROUNDS = Number(process.env.ROUNDS ?? 61);
const BATCH_MS = Number(process.env.BATCH_MS ?? 2);
const rows = CASES.map((c) => ({
  c,
  oursLoop: newLoop(),
  naiveLoop: newLoop(),
  oursN: 0,
  naiveN: 0,
  ratios: [] as number[],
  oursNs: [] as number[],
  naiveNs: [] as number[],
}));
// Warm-up (both sides optimised), then calls per batch so each side runs about BATCH_MS (the
// fastest of 5 timings: calibration must not be skewed by a preemption).
const perCall = (loop: Loop, f: () => number) => Math.min(...[0, 1, 2, 3, 4].map(() => time(loop, f, 20_000)));
for (const r of rows) {
  for (let i = 0; i < 5; i++) time(r.oursLoop, r.c.ours, 20_000), time(r.naiveLoop, r.c.naive, 20_000);
  r.oursN = Math.max(100, Math.round((BATCH_MS * 1e6) / perCall(r.oursLoop, r.c.ours)));
  r.naiveN = Math.max(100, Math.round((BATCH_MS * 1e6) / perCall(r.naiveLoop, r.c.naive)));
}
for (let round = 0; round < ROUNDS; round++) {
  for (const r of rows) {
    let ours: number;
    let naive: number;
    if (round & 1) {
      naive = time(r.naiveLoop, r.c.naive, r.naiveN);
      ours = time(r.oursLoop, r.c.ours, r.oursN);
    } else {
      ours = time(r.oursLoop, r.c.ours, r.oursN);
      naive = time(r.naiveLoop, r.c.naive, r.naiveN);
    }
    r.oursNs.push(ours);
    r.naiveNs.push(naive);
    r.ratios.push(naive / ours);
  }
}
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
const q = (a: number[], p: number) => sorted(a)[Math.min(a.length - 1, Math.floor(p * a.length))]!;
const summary = rows.map((r) => ({
  case: r.c.name,
  goal: r.c.goal,
  ratio: +q(r.ratios, 0.5).toFixed(2),
  q1: +q(r.ratios, 0.25).toFixed(2),
  q3: +q(r.ratios, 0.75).toFixed(2),
  min: +Math.min(...r.ratios).toFixed(2),
  max: +Math.max(...r.ratios).toFixed(2),
  oursNs: +q(r.oursNs, 0.5).toFixed(1),
  naiveNs: +q(r.naiveNs, 0.5).toFixed(1),
  callsPerBatch: { ours: r.oursN, naive: r.naiveN },
  met: q(r.ratios, 0.5) >= r.c.goal,
}));
if (process.argv.includes('--json')) console.log(JSON.stringify({ rounds: ROUNDS, batchMs: BATCH_MS, clock: WALL ? 'wall' : 'cpu', node: process.version, summary }));
else {
  console.log(`${ROUNDS} interleaved rounds, ~${BATCH_MS} ms batches, ${WALL ? 'wall' : 'CPU'} time, Node ${process.version}; ratio = naive / ours per round: median [IQR] (min–max)`);
  for (const s of summary) {
    console.log(`${s.met ? 'ok  ' : 'MISS'} ${s.case}: ${s.ratio}× [${s.q1}–${s.q3}] (${s.min}–${s.max}), goal ≥ ${s.goal}×; ours ${s.oursNs} ns, naive ${s.naiveNs} ns`);
  }
}
if (sink === 0.5) console.log(sink);
