/**
 * The codec as used, against naive hand-written references doing the same work (issue 16 item 4):
 *
 * - parse + read: `parseControl(SCCRP)` then every typed field an SCCRP carries and, per AVP,
 *   its type and value size, against `naiveParse` (DataView + TextDecoder, a record and a value
 *   view per AVP, as one writes it by hand) and the same reads. Goal ≥ 3×.
 * - build: `sccrq(opts)` against `naiveSccrq(opts)` writing the same bytes. Goal ≥ 4×.
 * - walk: `AvpReader` over the AVPs against the naive full parse. Goal ≥ 25×.
 *
 * Each round times both sides of every case back to back (order alternating per round); the
 * ratio is naive time / our time per round; reported as the median of the rounds with min–max.
 *
 *   npm run bench:codec            (esbuild bundles src; Node runs it; --json for a JSON line)
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
function time(f: () => number, n: number): number {
  let s = 0;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) s ^= f();
  const ns = Number(process.hrtime.bigint() - t);
  sink ^= s;
  return ns / n;
}

const ROUNDS = Number(process.env.ROUNDS ?? 11);
const N = Number(process.env.N ?? 200_000);
for (const c of CASES) time(c.ours, N), time(c.naive, N); // warm-up
const rows = CASES.map((c) => ({ name: c.name, goal: c.goal, ratios: [] as number[], oursNs: [] as number[], naiveNs: [] as number[] }));
for (let r = 0; r < ROUNDS; r++) {
  CASES.forEach((c, i) => {
    const row = rows[i]!;
    let ours: number;
    let naive: number;
    if (r & 1) {
      naive = time(c.naive, N);
      ours = time(c.ours, N);
    } else {
      ours = time(c.ours, N);
      naive = time(c.naive, N);
    }
    row.oursNs.push(ours);
    row.naiveNs.push(naive);
    row.ratios.push(naive / ours);
  });
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const summary = rows.map((r) => ({
  case: r.name,
  goal: r.goal,
  ratio: +median(r.ratios).toFixed(2),
  min: +Math.min(...r.ratios).toFixed(2),
  max: +Math.max(...r.ratios).toFixed(2),
  oursNs: +median(r.oursNs).toFixed(1),
  naiveNs: +median(r.naiveNs).toFixed(1),
  met: median(r.ratios) >= r.goal,
}));
if (process.argv.includes('--json')) console.log(JSON.stringify({ rounds: ROUNDS, n: N, node: process.version, summary }));
else {
  console.log(`${ROUNDS} interleaved rounds × ${N} calls per side, Node ${process.version}; ratio = naive / ours (median, min–max)`);
  for (const s of summary) console.log(`${s.met ? 'ok  ' : 'MISS'} ${s.case}: ${s.ratio}× (${s.min}–${s.max}), goal ≥ ${s.goal}×; ours ${s.oursNs} ns, naive ${s.naiveNs} ns`);
}
if (sink === 0.5) console.log(sink);
