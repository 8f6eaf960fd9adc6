/// <reference types="node" />
/**
 * Heap per idle tunnel of the embedded LNS (issue 16: ≤ 1 KiB per idle tunnel at 10k tunnels,
 * ≤ 1.5 KiB per tunnel + one session, linear to 50k): `npm run bench:lns-memory`.
 *
 * An LNS runs in a child Node process (`--expose-gc`); the raw LAC (test/bench/raw-lac.ts) opens
 * tunnels over loopback UDP and keeps them open. The child's V8 `heapUsed` after three GCs is read
 * with BASE tunnels up (JIT and tables warm), then at each level; per tunnel = growth / tunnels
 * added. Then one session is opened on each of the first SESSION tunnels. Bounded: at most the
 * largest level of tunnels (the 16-bit Tunnel ID space bounds one LNS at 65,535, RFC 2661 §3.1),
 * every step behind the raw LAC's 5 s timeout.
 *
 * Each level is read twice: `fresh`, right after the last tunnel (or session) came up, while the
 * conformance observer still remembers the peer's set-up messages (a retransmission of one
 * within a retransmission cycle is checked against it, RFC 2661 §5.8); and `idle`, LNS_MEM_SETTLE
 * ms later (default 33,000: the 31 s cycle and 2 s of slack), when every tunnel's last exchange
 * is long acked. The base is read idle. Heap snapshots are taken idle.
 *
 * Env: LNS_MEM_LEVELS (default 10000,50000), LNS_MEM_SESSIONS (default 10000), LNS_MEM_SETTLE (ms),
 * LNS_MEM_CONFORMANCE (default report,lenient: one child per policy), LNS_MEM_SNAPSHOT (a
 * directory: the child writes heap snapshots at the base and the first level, and the bench
 * prints the bytes per tunnel by constructor, test/bench/heap-breakdown.ts).
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { createLns } from '../../src/server/index.js';
import type { ConformancePolicy } from '../../src/conformance/index.js';
import { RawLac, type RawTunnel } from './raw-lac.js';
import { breakdown, perUnit } from './heap-breakdown.js';

const env = (k: string, d: string) => process.env[k] ?? d;
const BASE = 500;
const LEVELS = env('LNS_MEM_LEVELS', '10000,50000').split(',').map(Number);
const SESSIONS = Number(env('LNS_MEM_SESSIONS', '10000'));
const POLICIES = env('LNS_MEM_CONFORMANCE', 'report,lenient').split(',') as ConformancePolicy[];
const SNAPSHOT = process.env['LNS_MEM_SNAPSHOT'];
const SETTLE = Number(env('LNS_MEM_SETTLE', '33000'));
const settle = () => new Promise((res) => setTimeout(res, SETTLE));

async function child(policy: ConformancePolicy): Promise<void> {
  const lns = await createLns({
    hostName: 'l2tp-wire-mem',
    host: '127.0.0.1',
    port: 0,
    conformance: policy,
    limits: { maxTunnels: 0xffff, maxHalfOpen: 4096 },
    closeTimeout: 0,
    // No Hello during the run: 10k tunnels opened within seconds would send theirs in one burst a
    // minute later, in the middle of the session step (an idle tunnel's Hello round trip leaves
    // nothing behind: the observer rests again once our Hello is acked).
    helloInterval: 600_000,
  });
  const gc = (globalThis as { gc?: () => void }).gc!;
  process.on('message', (m: { cmd: string; file?: string }) => {
    if (m.cmd === 'heap') {
      for (let i = 0; i < 3; i++) gc();
      process.send!({ heap: process.memoryUsage().heapUsed, tunnels: lns.stats.tunnels, sessions: lns.stats.sessions });
    }
    if (m.cmd === 'snapshot') {
      for (let i = 0; i < 3; i++) gc();
      writeHeapSnapshot(m.file);
      process.send!({ tunnels: lns.stats.tunnels, sessions: lns.stats.sessions });
    }
    if (m.cmd === 'close') void lns.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ port: lns.address().port });
}

async function pool(n: number, c: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(c, n) }, worker));
}

async function run(policy: ConformancePolicy): Promise<void> {
  const proc = fork(fileURLToPath(import.meta.url), ['lns-child', policy], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () =>
    new Promise<Record<string, number>>((res, rej) => {
      proc.once('message', (m) => res(m as Record<string, number>));
      proc.once('exit', (c) => rej(new Error(`LNS child exited (${c})`)));
    });
  const heap = async () => {
    const p = next();
    proc.send({ cmd: 'heap' });
    return p;
  };
  const snapshot = async (name: string) => {
    const file = join(SNAPSHOT!, `lns-${policy}-${name}.heapsnapshot`);
    const p = next();
    proc.send({ cmd: 'snapshot', file });
    const r = await p;
    return { file, tunnels: r['tunnels']! };
  };
  const { port } = await next();
  const lac = await RawLac.open(port!);
  const live: RawTunnel[] = [];
  const upTo = (n: number) => pool(n - live.length, 64, async () => void live.push(await lac.openTunnel('idle')));
  try {
    await upTo(BASE);
    await settle();
    const s0 = SNAPSHOT === undefined ? undefined : await snapshot('base');
    // (a snapshot's own garbage is collected before the next heap reading)
    const h0 = await heap();
    const per: string[] = [];
    let last = h0;
    let breakdownText = '';
    for (const level of LEVELS) {
      await upTo(level);
      const fresh = await heap();
      await settle();
      if (s0 !== undefined && breakdownText === '') {
        const s1 = await snapshot(String(level));
        const units = s1.tunnels - s0.tunnels;
        breakdownText = `\nbytes per idle tunnel by constructor ('${policy}', ${units} tunnels added):\n${perUnit(breakdown(s0.file), breakdown(s1.file), units)}`;
      }
      last = await heap();
      const perTunnel = (h: Record<string, number>) => ((h['heap']! - h0['heap']!) / (h['tunnels']! - h0['tunnels']!)).toFixed(0);
      per.push(`${last['tunnels']} tunnels: ${perTunnel(last)} B/tunnel idle (${perTunnel(fresh)} fresh)`);
    }
    let sess = '';
    if (SESSIONS > 0) {
      const n = Math.min(SESSIONS, live.length);
      const before = SNAPSHOT === undefined ? undefined : await snapshot('sessions-before');
      await pool(n, 64, async (i) => void (await lac.openSession(live[i]!, 1)));
      const fresh = await heap();
      await settle();
      if (before !== undefined) {
        const after = await snapshot('sessions');
        breakdownText += `\nbytes per session by constructor ('${policy}', ${n} sessions added):\n${perUnit(breakdown(before.file), breakdown(after.file), n)}`;
      }
      const h = await heap();
      const perSession = (x: Record<string, number>) => ((x['heap']! - last['heap']!) / x['sessions']!).toFixed(0);
      sess = `; + one session on ${h['sessions']} tunnels: ${perSession(h)} B/session idle (${perSession(fresh)} fresh)`;
    }
    console.log(`conformance '${policy}': heap ${(h0['heap']! / 2 ** 20).toFixed(1)} MiB with ${h0['tunnels']} tunnels; ${per.join(', ')}${sess}${breakdownText}`);
  } finally {
    await lac.close();
    proc.kill('SIGKILL');
  }
}

if (process.argv[2] === 'lns-child') void child(process.argv[3] as ConformancePolicy);
else {
  console.log(`LNS heap per idle tunnel: base ${BASE} tunnels, levels ${LEVELS.join('/')}, settle ${SETTLE} ms, node ${process.version}`);
  (async () => {
    for (const p of POLICIES) await run(p);
  })().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
