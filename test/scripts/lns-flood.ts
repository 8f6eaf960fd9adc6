/// <reference types="node" />
/**
 * Measurement (issue 12, item 2): an SCCRQ flood from 16 source addresses (127.0.0.2–17) at
 * ≥ 3,000/s for 20 s against an embedded LNS with default limits, while 10 legitimate probes
 * from 127.0.0.1 run (one every 2 s); then RSS 40 s after the flood, and how long the flood's
 * half-open tunnels took to expire. The flood runs in a child process, so the RSS is the LNS's
 * (the probes run in the LNS's process, as a co-located client would).
 *
 *   esbuild test/scripts/lns-flood.ts --bundle --platform=node --format=esm --log-level=warning | node --expose-gc --input-type=module
 *
 * Loopback only; bounded: 20 s of flood, 40 s of cool-down.
 */
import { spawn } from 'node:child_process';
import { probe } from '../../src/index.js';
import { createLns, udpTransport } from '../../src/node.js';

const RATE = 3200; // SCCRQs per second, all sources together
const FLOOD_S = 20;
const COOL_S = 40;
/** xl2tpd 1.3.18's SCCRQ (vectors/plain.hex #1); the flooder rewrites its Assigned Tunnel ID. */
const SCCRQ_HEX =
  'c802006a000000000000000080080000000000018008000000020100800a0000000300000003800a00000004000000000008000000060690800f000000076c61632d706c61696e00130000000878656c6572616e63652e636f6d800800000009b57480080000000a0004';

const FLOODER = `
const dgram = require('node:dgram');
const [port, rate, seconds, hex] = process.argv.slice(1);
const base = Buffer.from(hex, 'hex');
const at = base.indexOf(Buffer.from('800800000009', 'hex')) + 6;
const socks = [];
let ready = 0;
for (let i = 0; i < 16; i++) {
  const s = dgram.createSocket({ type: 'udp4', sendBufferSize: 1 << 20 });
  s.on('message', () => {});
  s.on('error', () => {});
  s.bind(0, '127.0.0.' + (i + 2), () => { if (++ready === 16) go(); });
  socks.push(s);
}
function go() {
  const total = Number(rate) * Number(seconds);
  const perTick = Number(rate) / 100;
  const t0 = Date.now();
  let sent = 0;
  const tick = setInterval(() => {
    // Catch up to the schedule: sent should be rate × elapsed.
    const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * Number(rate)) + perTick);
    for (; sent < due; sent++) {
      const b = Buffer.from(base);
      const id = (sent % 65535) + 1;
      b[at] = id >> 8; b[at + 1] = id & 255;
      socks[sent % 16].send(b, Number(port), '127.0.0.1');
    }
    if (sent >= total) {
      clearInterval(tick);
      setTimeout(() => { process.stdout.write(JSON.stringify({ sent, seconds: (Date.now() - t0) / 1000 }) + '\\n'); for (const s of socks) s.close(); }, 200);
    }
  }, 10);
}
`;

const mb = (b: number) => (b / 1048576).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc;
/**
 * RSS once garbage is collected: with no allocation after the flood V8 runs no GC by itself,
 * so without one the flood's garbage still counts. Two full GCs (node --expose-gc), then a pause
 * for the pages to go back to the OS.
 */
async function settledRss(): Promise<number> {
  gc?.();
  gc?.();
  await new Promise((r) => setTimeout(r, 300));
  return process.memoryUsage().rss;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const lns = await createLns({ hostName: 'lns.flood', port: 0 });
const { port } = lns.address();
/** LACs whose tunnel the LNS saw come up (its SCCCN arrived): a probe counts only then. */
const upAtLns = new Set<string>();
lns.on('tunnel-up', (t) => upAtLns.add(t.peer!.hostName));
async function legit(i: number): Promise<boolean> {
  try {
    const r = await probe(await udpTransport({ host: '127.0.0.1', port, localAddress: '127.0.0.1' }), { hostName: `legit-${i}`, timeout: 5000 });
    return r.success && upAtLns.has(`legit-${i}`);
  } catch {
    return false;
  }
}
const mem = () => {
  const m = process.memoryUsage();
  return { heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
};
// Warm up as a server that has served some LACs (code paths compiled, pools allocated): 200
// probes, the same SCCRQ → SCCRP path a flood takes, then the baseline.
for (let i = 0; i < 200; i++) await legit(-1 - i);
// …and wait until their tunnels, lingering after the StopCCN (§5.7, 31 s), are gone.
while (lns.stats.tunnels > 0) await sleep(500);
await sleep(1000);
const rawBefore = process.memoryUsage().rss;
const before = await settledRss();
const memBefore = mem();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);

const child = spawn(process.execPath, ['-e', FLOODER, String(port), String(RATE), String(FLOOD_S), SCCRQ_HEX], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (d: Buffer) => (out += d.toString()));
const done = new Promise<void>((r) => child.on('exit', () => r()));
const t0 = performance.now();
await sleep(1000);
let ok = 0;
const results: string[] = [];
for (let i = 0; i < 10; i++) {
  const s = performance.now();
  const good = await legit(i);
  if (good) ok++;
  results.push(`${good ? 'ok' : 'FAIL'}@${((s - t0) / 1000).toFixed(1)}s in ${Math.round(performance.now() - s)} ms`);
  await sleep(Math.max(0, 1000 + 1900 * (i + 1) - (performance.now() - t0)));
}
const during = lns.stats;
await done;
const flood = JSON.parse(out || '{}') as { sent?: number; seconds?: number };
const floodEnd = performance.now();
let expiredAt = NaN;
while (performance.now() - floodEnd < COOL_S * 1000) {
  await sleep(250);
  if (Number.isNaN(expiredAt) && lns.stats.halfOpen === 0) expiredAt = (performance.now() - floodEnd) / 1000;
}
clearInterval(sampler);
const rawAfter = process.memoryUsage().rss;
const after = await settledRss();
const memAfter = mem();
const s = lns.stats;
console.log(
  JSON.stringify(
    {
      flood: { sent: flood.sent, seconds: flood.seconds, perSecond: flood.sent && flood.seconds ? Math.round(flood.sent / flood.seconds) : undefined, sources: 16 },
      legitimate: { succeeded: ok, of: 10, probes: results },
      rssMB: {
        withoutGc: { before: mb(rawBefore), after40s: mb(rawAfter), change: `${(((rawAfter - rawBefore) / rawBefore) * 100).toFixed(1)}%` },
        afterTwoGcs: { before: mb(before), after40s: mb(after), change: `${(((after - before) / before) * 100).toFixed(1)}%` },
        peak: mb(peak),
      },
      v8MB: { before: memBefore, after: memAfter },
      halfOpenAllExpiredSecondsAfterFlood: expiredAt,
      statsAtEndOfProbes: { halfOpen: during.halfOpen, halfOpenEvicted: during.halfOpenEvicted, sccrqOverSourceQuota: during.sccrqOverSourceQuota, messagesIn: during.messagesIn },
      statsAfter: { tunnels: s.tunnels, halfOpen: s.halfOpen, halfOpenEvicted: s.halfOpenEvicted, halfOpenExpired: s.halfOpenExpired, sccrqOverSourceQuota: s.sccrqOverSourceQuota, tunnelsOpened: s.tunnelsOpened - 200, messagesIn: s.messagesIn, sendErrors: s.sendErrors, timers: s.timers },
      recvBufferSize: 'default (1 MiB asked)',
    },
    null,
    1,
  ),
);
await lns.close();
