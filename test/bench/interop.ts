/// <reference types="node" />
/**
 * Our LNS against xl2tpd's, like with like (issue 16): `npm run bench:interop [-- --json FILE --svg FILE]`.
 *
 * - Both servers are driven by the same raw LAC (test/bench/raw-lac.ts): pre-built messages, no
 *   Sequencer, so the client costs the same whichever server it talks to.
 * - xl2tpd runs without any `debug` option (its defaults: quiet); our LNS runs in a child Node
 *   process built by esbuild from src (the same code as the package, unminified).
 * - CPU per tunnel is the server process's own CPU time, every thread summed
 *   (`/proc/PID/task/* /schedstat`, nanoseconds), over the measured tunnels. Memory is RSS
 *   against RSS (`/proc/PID/status`), plus our V8 heap after GC for the record.
 * - For each level of live (idle) tunnels held open (BENCH_LEVELS, default 1,1000,10000), each
 *   concurrency (BENCH_CONCURRENCY, default 16,64) runs BENCH_N tunnels (default 2000) of
 *   setup + teardown (SCCRQ, SCCRP, SCCCN, its ack, StopCCN, its ack), and BENCH_SESSIONS
 *   sessions (default 1000, ICRQ to the ack of ICCN, over 16 tunnels). Rounds
 *   (BENCH_ROUNDS, default 3) alternate which server goes first, each after BENCH_WARMUP (default 1000) uncounted tunnels; each figure is the median of the
 *   rounds with its min–max.
 *
 * Caveat the table cannot show: xl2tpd forks pppd for every session (it fails here: no /dev/ppp,
 * and xl2tpd hangs the call up with a CDN), so its session figure includes a fork + exec.
 */
import { fork } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLns } from '../../src/server/index.js';
import { startXl2tpd, stopAll, xl2tpdInstalled } from '../interop/xl2tpd.js';
import { RawLac, type RawTunnel } from './raw-lac.js';
import { chart } from './chart.js';

const env = (k: string, d: string) => process.env[k] ?? d;
const LEVELS = env('BENCH_LEVELS', '1,1000,10000').split(',').map(Number);
const CONCURRENCY = env('BENCH_CONCURRENCY', '16,64').split(',').map(Number);
const N = Number(env('BENCH_N', '2000'));
const SESSIONS = Number(env('BENCH_SESSIONS', '1000'));
const ROUNDS = Number(env('BENCH_ROUNDS', '3'));
/** Tunnels opened and closed before measuring, not counted: V8 optimizes our hot paths only after some thousands of calls. */
const WARMUP = Number(env('BENCH_WARMUP', '1000'));
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

// ---------------------------------------------------------------------------------------------
// The server processes.

interface Server {
  name: string;
  pid: number;
  port: number;
  /** V8 heap after GC (ours only). */
  heap(): Promise<number | undefined>;
  stop(): Promise<void>;
}

async function lnsChild(): Promise<void> {
  const lns = await createLns({
    hostName: 'l2tp-wire-bench',
    host: '127.0.0.1',
    port: 0,
    limits: { maxTunnels: 60_000, maxHalfOpen: 4096 },
    closeTimeout: 1000,
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'heap') {
      for (let i = 0; i < 3; i++) gc?.();
      process.send!({ heap: process.memoryUsage().heapUsed });
    }
    if (m.cmd === 'close') void lns.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ port: lns.address().port });
}

async function startOurs(): Promise<Server> {
  const child = fork(fileURLToPath(import.meta.url), ['lns-child'], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () =>
    new Promise<Record<string, number>>((res, rej) => {
      child.once('message', (m) => res(m as Record<string, number>));
      child.once('exit', (c) => rej(new Error(`LNS child exited (${c})`)));
    });
  const { port } = await next();
  return {
    name: 'l2tp-wire',
    pid: child.pid!,
    port: port!,
    heap: async () => {
      const p = next();
      child.send({ cmd: 'heap' });
      return (await p).heap;
    },
    stop: () =>
      new Promise<void>((res) => {
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => (clearTimeout(t), res()));
        child.send({ cmd: 'close' });
      }),
  };
}

async function startTheirs(): Promise<Server> {
  const x = await startXl2tpd({ role: 'lns', hostName: 'xl2tpd-bench', debug: false, extra: ['lac = 127.0.0.1-127.0.0.255'] });
  return { name: 'xl2tpd', pid: x.pid, port: x.port, heap: async () => undefined, stop: async () => void (await x.stop('SIGTERM')) };
}

/** CPU time of every thread of `pid`, in nanoseconds (first field of schedstat). */
function cpuNs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return ns;
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

// ---------------------------------------------------------------------------------------------
// The work.

/** Run `task(i)` for i < n, `c` at once. */
async function pool(n: number, c: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await task(i).catch(() => failed++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(c, n) }, worker));
  return failed;
}

interface Sample {
  server: string;
  round: number;
  live: number;
  /** Tunnel setup + teardown per second, by concurrency. */
  tunnelsPerSec: Record<number, number>;
  /** Server CPU per tunnel setup + teardown (µs), by concurrency. */
  cpuPerTunnelUs: Record<number, number>;
  sessionsPerSec: number;
  cpuPerSessionUs: number;
  failures: number;
  /** RSS growth per live tunnel (bytes), from the server's RSS with 1 live tunnel. */
  rssPerLive?: number;
  heapPerLive?: number;
}

async function measure(server: Server, round: number, out: Sample[]): Promise<void> {
  const lac = await RawLac.open(server.port);
  const live: RawTunnel[] = [];
  let rss1 = 0;
  let heap1: number | undefined;
  try {
    // Warm-up, not counted: JIT on our side, page faults on theirs.
    await pool(WARMUP, 16, async () => lac.closeTunnel(await lac.openTunnel()));
    for (const level of LEVELS) {
      let failures = await pool(level - live.length, 64, async () => void live.push(await lac.openTunnel('idle')));
      await new Promise((r) => setTimeout(r, 300));
      const heap = await server.heap();
      const r = rss(server.pid);
      if (level === LEVELS[0]) {
        rss1 = r;
        heap1 = heap;
      }
      const s: Sample = { server: server.name, round, live: live.length, tunnelsPerSec: {}, cpuPerTunnelUs: {}, sessionsPerSec: 0, cpuPerSessionUs: 0, failures: 0 };
      if (live.length > LEVELS[0]!) {
        s.rssPerLive = (r - rss1) / (live.length - LEVELS[0]!);
        if (heap !== undefined && heap1 !== undefined) s.heapPerLive = (heap - heap1) / (live.length - LEVELS[0]!);
      }
      for (const c of CONCURRENCY) {
        const cpu0 = cpuNs(server.pid);
        const t0 = performance.now();
        failures += await pool(N, c, async () => lac.closeTunnel(await lac.openTunnel()));
        const ms = performance.now() - t0;
        s.tunnelsPerSec[c] = (N / ms) * 1000;
        s.cpuPerTunnelUs[c] = (cpuNs(server.pid) - cpu0) / 1000 / N;
      }
      // Sessions: 16 tunnels, SESSIONS calls spread over them, one at a time per tunnel.
      const carriers = await Promise.all(Array.from({ length: 16 }, () => lac.openTunnel('carrier')));
      const cpu0 = cpuNs(server.pid);
      const t0 = performance.now();
      let sid = 1;
      await Promise.all(
        carriers.map(async (t) => {
          for (let k = 0; k < SESSIONS / carriers.length; k++) await lac.openSession(t, sid++).catch(() => failures++);
        }),
      );
      const ms = performance.now() - t0;
      s.sessionsPerSec = (SESSIONS / ms) * 1000;
      s.cpuPerSessionUs = (cpuNs(server.pid) - cpu0) / 1000 / SESSIONS;
      await Promise.all(carriers.map((t) => lac.closeTunnel(t).catch(() => failures++)));
      s.failures = failures;
      out.push(s);
      console.log(
        `  round ${round} ${server.name.padEnd(9)} live ${String(s.live).padStart(5)}: ${CONCURRENCY.map((c) => `c=${c} ${s.tunnelsPerSec[c]!.toFixed(0)}/s ${s.cpuPerTunnelUs[c]!.toFixed(0)} µs`).join(', ')}; ` +
          `sessions ${s.sessionsPerSec.toFixed(0)}/s ${s.cpuPerSessionUs.toFixed(0)} µs` +
          (s.rssPerLive !== undefined ? `; RSS ${(s.rssPerLive / 1024).toFixed(2)} KiB/live tunnel` : '') +
          (s.heapPerLive !== undefined ? `, heap ${(s.heapPerLive / 1024).toFixed(2)} KiB` : '') +
          (failures ? `; ${failures} failed` : ''),
      );
    }
  } finally {
    await lac.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The table.

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

export interface Row {
  live: number;
  metric: string;
  ours: number;
  theirs?: number;
  oursSpread: string;
  theirsSpread?: string;
  /** ours / theirs, oriented so that > 1 means we are better. */
  advantage?: number;
}

function table(samples: Sample[]): Row[] {
  const rows: Row[] = [];
  const pick = (server: string, live: number, f: (s: Sample) => number | undefined) =>
    samples.filter((s) => s.server === server && s.live === live).map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
  const lives = [...new Set(samples.map((s) => s.live))];
  const metrics: [string, (s: Sample) => number | undefined, boolean][] = [
    ...CONCURRENCY.map((c): [string, (s: Sample) => number | undefined, boolean] => [`tunnels/s c=${c}`, (s) => s.tunnelsPerSec[c], true]),
    ...CONCURRENCY.map((c): [string, (s: Sample) => number | undefined, boolean] => [`CPU µs/tunnel c=${c}`, (s) => s.cpuPerTunnelUs[c], false]),
    ['sessions/s', (s) => s.sessionsPerSec, true],
    ['CPU µs/session', (s) => s.cpuPerSessionUs, false],
    ['RSS B/live tunnel', (s) => s.rssPerLive, false],
    ['heap B/live tunnel', (s) => s.heapPerLive, false],
  ];
  for (const live of lives) {
    for (const [metric, f, higherIsBetter] of metrics) {
      const a = pick('l2tp-wire', live, f);
      const b = pick('xl2tpd', live, f);
      if (a.length === 0) continue;
      const row: Row = { live, metric, ours: median(a), oursSpread: spread(a) };
      if (b.length) {
        row.theirs = median(b);
        row.theirsSpread = spread(b);
        row.advantage = higherIsBetter ? row.ours / row.theirs : row.theirs / row.ours;
      }
      rows.push(row);
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const haveX = xl2tpdInstalled();
  console.log(
    `LNS benchmark: raw LAC on loopback UDP, ${N} tunnels per point, concurrency ${CONCURRENCY.join('/')}, live tunnels ${LEVELS.join('/')}, ` +
      `${SESSIONS} sessions, ${WARMUP} warm-up tunnels, ${ROUNDS} interleaved rounds (median, min–max); node ${process.version}, ${(await import('node:os')).cpus().length} cores`,
  );
  if (!haveX) console.log('xl2tpd is not installed: only our column (apt-get install -y xl2tpd)');
  const samples: Sample[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? ['ours', 'theirs'] : ['theirs', 'ours'];
    for (const who of order) {
      if (who === 'theirs' && !haveX) continue;
      const server = who === 'ours' ? await startOurs() : await startTheirs();
      try {
        await measure(server, round, samples);
      } finally {
        await server.stop();
      }
    }
  }
  const rows = table(samples);
  console.log('\n| live | metric | l2tp-wire (median, min–max) | xl2tpd (median, min–max) | advantage |\n|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.live} | ${r.metric} | ${r.ours.toFixed(0)} (${r.oursSpread}) | ${r.theirs === undefined ? '—' : `${r.theirs.toFixed(0)} (${r.theirsSpread})`} | ${r.advantage === undefined ? '—' : `${r.advantage.toFixed(2)}×`} |`,
    );
  }
  const json = arg('--json');
  if (json) writeFileSync(json, JSON.stringify({ when: new Date().toISOString(), node: process.version, N, SESSIONS, ROUNDS, samples, rows }, null, 2));
  const svg = arg('--svg');
  if (svg) writeFileSync(svg, chart(rows, CONCURRENCY[0]!));
  await stopAll();
}

if (process.argv[2] === 'lns-child') void lnsChild();
else
  main().catch(async (e) => {
    console.error(e);
    await stopAll();
    process.exitCode = 1;
  });
