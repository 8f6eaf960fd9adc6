/// <reference types="node" />
/**
 * Measurement (issue 12, item 3): 4,096 TCP connections that send `c8 02 00` and then nothing,
 * from 64 source addresses (127.0.0.2–65, 64 each), against an embedded LNS; a legitimate TCP
 * probe from 127.0.0.1 while they are held; how long until every one is closed, and why.
 * Two runs: the default limits (1,024 connections at most: the rest evict the oldest silent
 * ones), and caps raised above 4,096 so that all are held at once and only the handshake
 * timeout (default 10 s) frees them. The connections come from a child process, so the RSS is
 * the LNS's. Needs `ulimit -n` ≥ 5,200 for the second run (the script says so otherwise).
 *
 *   esbuild test/scripts/lns-tcp-lockout.ts --bundle --platform=node --format=esm --log-level=warning | node --expose-gc --input-type=module
 *
 * Loopback only; bounded: 4,096 connections per run, 30 s per run.
 */
import { spawn } from 'node:child_process';
import { probe } from '../../src/index.js';
import { createLns, tcpTransport, type LnsLimits } from '../../src/node.js';

const N = 4096;
const SOURCES = 64;
const LIMIT_S = 30;

const HOLDER = `
const net = require('node:net');
const [port, n, sources] = process.argv.slice(1).map(Number);
let connected = 0, closed = 0, failed = 0;
const t0 = Date.now();
let last = 0;
function report() { process.stdout.write(JSON.stringify({ connected, closed, failed, lastCloseS: last }) + '\\n'); }
for (let i = 0; i < n; i++) {
  const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.' + (2 + (i % sources)) });
  s.on('connect', () => { connected++; s.write(Buffer.from([0xc8, 0x02, 0x00])); if (connected === n) report(); });
  s.on('error', () => { failed++; });
  s.on('close', () => { closed++; last = (Date.now() - t0) / 1000; if (closed === n) { report(); process.exit(0); } });
}
setInterval(report, 1000);
`;

const mb = (b: number) => (b / 1048576).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc;
const rss = () => {
  gc?.();
  return process.memoryUsage().rss;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(name: string, limits: LnsLimits): Promise<unknown> {
  const lns = await createLns({ hostName: 'lns.tcp', port: 0, tcp: true, limits });
  const port = lns.address().tcp!.port;
  const legit = async () => {
    const s = performance.now();
    try {
      const r = await probe(await tcpTransport({ host: '127.0.0.1', port, timeout: 5000 }), { hostName: 'legit', timeout: 5000 });
      return { success: r.success, ms: Math.round(performance.now() - s) };
    } catch (e) {
      return { success: false, error: (e as Error).message };
    }
  };
  await legit(); // warm-up
  const before = rss();
  let peak = before;
  let peakConnections = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    peakConnections = Math.max(peakConnections, lns.stats.connections);
  }, 50);
  const child = spawn(process.execPath, ['-e', HOLDER, String(port), String(N), String(SOURCES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let lastLine = '';
  child.stdout.on('data', (d: Buffer) => {
    const lines = d.toString().trim().split('\n');
    lastLine = lines[lines.length - 1]!;
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const t0 = performance.now();
  // Probe while the strangers are connected and silent.
  while (peakConnections < Math.min(N, limits.maxConnections ?? 1024) && performance.now() - t0 < 10_000) await sleep(50);
  const heldAtProbe = lns.stats.connections;
  const probeResult = await legit();
  const allClosed = await Promise.race([exited.then(() => true), sleep(LIMIT_S * 1000).then(() => false)]);
  if (!allClosed) child.kill();
  clearInterval(sampler);
  const s = lns.stats;
  const after = rss();
  await lns.close();
  return {
    run: name,
    limits,
    holder: JSON.parse(lastLine || '{}'),
    allClosedWithin30s: allClosed,
    legitimateProbeWhileHeld: { ...probeResult, connectionsHeldAtProbe: heldAtProbe },
    peakConnections,
    closedBy: { handshakeTimeout: s.tcpHandshakeTimeouts, evicted: s.tcpEvicted, overSourceCap: s.tcpOverSourceCap, overTotalCap: s.tcpOverTotalCap, bufferLimit: s.tcpBufferLimit, idle: s.tcpIdleTimeouts },
    rssMB: { before: mb(before), peak: mb(peak), after: mb(after) },
  };
}

console.log(JSON.stringify(await run('defaults', {}), null, 1));
console.log(JSON.stringify(await run('all held (caps raised)', { maxConnections: 8192, maxConnectionsPerSource: 8192 }), null, 1));
