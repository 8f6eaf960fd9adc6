/// <reference types="node" />
/**
 * What the conformance observer costs inside the LNS (issue 15 §2): our LNS in a child process,
 * once with `conformance: 'report'` (the default) and once with `'lenient'` (no observer), driven
 * by the raw LAC (./raw-lac.ts) through BENCH_N tunnel setups + teardowns (SCCRQ, SCCRP, SCCCN,
 * ZLB, StopCCN, ZLB), BENCH_C at once, alternating the two for BENCH_ROUNDS rounds. Reports the
 * LNS's CPU per tunnel (its threads' schedstat) and tunnels/s.
 *
 *   npx esbuild test/bench/lns-conformance.ts --bundle --platform=node --format=esm --outfile=/tmp/bench-conf.mjs && node /tmp/bench-conf.mjs
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLns } from '../../src/server/index.js';
import type { ConformancePolicy } from '../../src/conformance/index.js';
import { RawLac } from './raw-lac.js';

const N = Number(process.env.BENCH_N ?? 2000);
const C = Number(process.env.BENCH_C ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function child(policy: ConformancePolicy): Promise<void> {
  const lns = await createLns({ hostName: 'bench', port: 0, conformance: policy, limits: { maxTunnels: 60_000, maxHalfOpen: 4096 }, sequencer: { closeLinger: 500 } });
  process.on('message', () => void lns.close().then(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
  process.send!({ port: lns.address().port });
}

function cpuNs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread gone between listing and reading
    }
  }
  return ns;
}

async function run(policy: ConformancePolicy): Promise<{ cpuUs: number; perSec: number; failed: number }> {
  const c = fork(fileURLToPath(import.meta.url), ['child', policy], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise<{ port: number }>((res) => c.once('message', (m) => res(m as { port: number })));
  const lac = await RawLac.open(port);
  // Warm-up: the JIT, then measure.
  const go = async (n: number) => {
    let next = 0;
    let failed = 0;
    await Promise.all(Array.from({ length: C }, async () => {
      while (next < n) {
        next++;
        try {
          await lac.closeTunnel(await lac.openTunnel());
        } catch {
          failed++;
        }
      }
    }));
    return failed;
  };
  await go(300);
  const cpu0 = cpuNs(c.pid!);
  const t0 = performance.now();
  const failed = await go(N);
  const ms = performance.now() - t0;
  const cpu = cpuNs(c.pid!) - cpu0;
  await lac.close();
  c.send('close');
  await new Promise((r) => c.once('exit', r));
  return { cpuUs: cpu / 1000 / N, perSec: (N / ms) * 1000, failed };
}

async function main(): Promise<void> {
  const rows: Record<string, { cpuUs: number[]; perSec: number[]; failed: number }> = { report: { cpuUs: [], perSec: [], failed: 0 }, lenient: { cpuUs: [], perSec: [], failed: 0 } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const p of ['lenient', 'report'] as const) {
      const x = await run(p);
      rows[p]!.cpuUs.push(x.cpuUs);
      rows[p]!.perSec.push(x.perSec);
      rows[p]!.failed += x.failed;
    }
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  for (const [p, v] of Object.entries(rows)) {
    console.log(`${p.padEnd(8)} LNS CPU/tunnel median ${med(v.cpuUs).toFixed(1)} µs (${v.cpuUs.map((x) => x.toFixed(1)).join(', ')}); tunnels/s median ${med(v.perSec).toFixed(0)}; failed ${v.failed}`);
  }
  const extra = med(rows.report!.cpuUs) / med(rows.lenient!.cpuUs) - 1;
  console.log(`'report' costs ${(extra * 100).toFixed(1)} % more LNS CPU per tunnel setup+teardown than 'lenient' (N=${N}, c=${C}, ${ROUNDS} rounds)`);
}

if (process.argv[2] === 'child') void child(process.argv[3] as ConformancePolicy);
else void main();
