/// <reference types="node" />
/**
 * Two LNS processes against one (issue 16 item 6): `npm run bench:lns-scale`.
 *
 * Node 20's dgram has no `reusePort` (it came in Node 22.12 / 23.1), so two processes mean two
 * UDP ports (docs/performance.md, "Scaling past one core"). The clients are the same in both
 * setups, so only the servers differ: two raw-LAC processes (test/bench/raw-lac.ts), each running
 * SCALE_N tunnel setups + teardowns at concurrency SCALE_C. With one LNS both LACs talk to it;
 * with two, each LAC has its own LNS. Figures: tunnels/s over both LACs (all tunnels / the wall
 * time until the last LAC finished) and the LNS processes' CPU per tunnel (`/proc/PID/task/*`
 * schedstat, every thread). Rounds (SCALE_ROUNDS) alternate which setup goes first; medians
 * with min–max. Loopback only; every step behind the raw LAC's 5 s timeout.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createLns } from '../../src/server/index.js';
import { RawLac } from './raw-lac.js';

const env = (k: string, d: string) => Number(process.env[k] ?? d);
const N = env('SCALE_N', '2000');
const C = env('SCALE_C', '16');
const ROUNDS = env('SCALE_ROUNDS', '3');
const self = fileURLToPath(import.meta.url);

function cpuNs(pid: number): number {
  let ns = 0;
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return ns;
}

const next = <T>(p: ChildProcess) =>
  new Promise<T>((res, rej) => {
    p.once('message', (m) => res(m as T));
    p.once('exit', (c) => rej(new Error(`child exited (${c})`)));
  });

async function lnsChild(): Promise<void> {
  const lns = await createLns({ hostName: 'scale', host: '127.0.0.1', port: 0, limits: { maxTunnels: 0xffff, maxHalfOpen: 4096 }, closeTimeout: 0 });
  process.on('message', () => void lns.close().then(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
  process.send!({ port: lns.address().port });
}

async function pool(n: number, c: number, task: () => Promise<void>): Promise<number> {
  let i = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (i++ < n) await task().catch(() => failed++);
    }),
  );
  return failed;
}

async function lacChild(port: number): Promise<void> {
  const lac = await RawLac.open(port);
  await pool(200, C, async () => lac.closeTunnel(await lac.openTunnel())); // warm-up
  process.send!({ ready: true });
  await new Promise((r) => process.once('message', r));
  const t0 = performance.now();
  const failed = await pool(N, C, async () => lac.closeTunnel(await lac.openTunnel()));
  const ms = performance.now() - t0;
  await lac.close();
  process.send!({ ms, failed });
  process.exit(0);
}

async function round(servers: 1 | 2): Promise<{ perSec: number; cpuUs: number; failed: number }> {
  const lns = Array.from({ length: servers }, () => fork(self, ['lns'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    const ports = await Promise.all(lns.map((p) => next<{ port: number }>(p).then((m) => m.port)));
    const lacs = [0, 1].map((i) => fork(self, ['lac', String(ports[i % servers])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(lacs.map((p) => next(p)));
    const cpu0 = lns.map((p) => cpuNs(p.pid!));
    const done = lacs.map((p) => next<{ ms: number; failed: number }>(p));
    for (const p of lacs) p.send('go');
    const res = await Promise.all(done);
    const cpu = lns.reduce((s, p, i) => s + cpuNs(p.pid!) - cpu0[i]!, 0);
    return { perSec: (2 * N) / (Math.max(...res.map((r) => r.ms)) / 1000), cpuUs: cpu / 1000 / (2 * N), failed: res.reduce((s, r) => s + r.failed, 0) };
  } finally {
    for (const p of lns) p.kill('SIGKILL');
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;

async function main(): Promise<void> {
  console.log(`Two LNS processes (two ports) vs one: 2 raw-LAC processes × ${N} tunnels, concurrency ${C} each, ${ROUNDS} interleaved rounds; node ${process.version}, ${cpus().length} cores`);
  const got: Record<1 | 2, { perSec: number[]; cpuUs: number[] }> = { 1: { perSec: [], cpuUs: [] }, 2: { perSec: [], cpuUs: [] } };
  for (let r = 1; r <= ROUNDS; r++) {
    for (const servers of r % 2 ? ([1, 2] as const) : ([2, 1] as const)) {
      const x = await round(servers);
      got[servers].perSec.push(x.perSec);
      got[servers].cpuUs.push(x.cpuUs);
      console.log(`  round ${r}, ${servers} LNS: ${x.perSec.toFixed(0)} tunnels/s, LNS CPU ${x.cpuUs.toFixed(0)} µs/tunnel${x.failed ? `, ${x.failed} failed` : ''}`);
    }
  }
  console.log('\n| LNS processes | tunnels/s (median, min–max) | LNS CPU µs/tunnel |\n|---|---|---|');
  for (const s of [1, 2] as const) console.log(`| ${s} | ${fmt(got[s].perSec)} | ${fmt(got[s].cpuUs)} |`);
}

if (process.argv[2] === 'lns') void lnsChild();
else if (process.argv[2] === 'lac') void lacChild(Number(process.argv[3]));
else
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
