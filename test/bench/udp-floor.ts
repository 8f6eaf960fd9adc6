/// <reference types="node" />
/**
 * The floor under any Node UDP server (issue 16): a bare dgram echo server's CPU per datagram
 * at concurrency 1 (one datagram in flight: every datagram wakes the event loop), with and
 * without a send callback. An L2TP tunnel setup + teardown is 3 datagrams in and 3 out at the
 * LNS, so 3 × this is what no JavaScript LNS on this Node can go under.
 *
 *   esbuild test/bench/udp-floor.ts --bundle --platform=node --format=esm --outfile=/tmp/udp-floor.mjs
 *   node /tmp/udp-floor.mjs            # FLOOR_N datagrams (default 5000), loopback
 */
import dgram from 'node:dgram';
import { fork } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const N = Number(process.env['FLOOR_N'] ?? 5000);

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

function server(withCallback: boolean): void {
  const s = dgram.createSocket({ type: 'udp4', lookup: ((a: string, _f: unknown, cb: (e: null, a: string, f: number) => void) => cb(null, a, 4)) as never });
  const done = () => {};
  s.on('message', (m, r) => (withCallback ? s.send(m, r.port, r.address, done) : s.send(m, r.port, r.address)));
  s.bind(0, '127.0.0.1', () => process.send!(s.address().port));
}

async function measure(withCallback: boolean): Promise<number> {
  const p = fork(fileURLToPath(import.meta.url), ['server', withCallback ? 'cb' : ''], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((r) => p.once('message', (m) => r(m as number)));
  const c = dgram.createSocket('udp4');
  const buf = new Uint8Array(60);
  const warm = 500;
  let i = 0;
  let cpu0 = 0;
  const us = await new Promise<number>((resolve) => {
    c.on('message', () => {
      if (++i === warm) cpu0 = cpuNs(p.pid!);
      if (i < N + warm) c.send(buf, port, '127.0.0.1');
      else resolve((cpuNs(p.pid!) - cpu0) / 1000 / N);
    });
    c.send(buf, port, '127.0.0.1');
  });
  c.close();
  p.kill();
  return us;
}

if (process.argv[2] === 'server') server(process.argv[3] === 'cb');
else {
  const rows: string[] = [];
  for (const cb of [false, true, false, true]) rows.push(`${cb ? 'with' : 'without'} a send callback: ${(await measure(cb)).toFixed(1)} µs`);
  console.log(`bare dgram echo server, concurrency 1, ${N} datagrams, server CPU per datagram (node ${process.version}):\n  ${rows.join('\n  ')}`);
}
