/// <reference types="node" />
/**
 * Regenerates test/vectors/pcap/: one real exchange between two xl2tpd (LAC → LNS, both with
 * `challenge = yes` and `hidden bit = yes`, secret TEST_SECRET, the LNS on a port other than 1701),
 * captured at the same time by three tools into three container/link-layer combinations:
 *
 * - `xl2tpd-tshark.pcapng`   tshark -i lo (pcapng, Ethernet link type on Linux loopback)
 * - `xl2tpd-tcpdump-sll.pcap`  tcpdump -i any -y LINUX_SLL (pcap, microseconds, cooked v1)
 * - `xl2tpd-tcpdump-sll2-ns.pcap` tcpdump -i any -y LINUX_SLL2 --time-stamp-precision nano (pcap, ns magic, cooked v2)
 *
 * The tunnel comes up (SCCRQ/SCCRP/SCCCN with challenge/response), the LAC places a call
 * (ICRQ/ICRP/ICCN); both xl2tpd run test/interop/fake-pppd.py as pppd, so the session carries DATA
 * (an LCP Configure-Request each way); then SIGINT makes the LAC send a StopCCN. Then l2tp-wire opens a second tunnel and session with *hidden* AVPs (RFC 2661 §4.3; xl2tpd
 * never hides, but unhides ours) and closes it. `meta.json` records the LNS port and what was run.
 *
 *   npm run vectors:pcap      (needs root for the captures, xl2tpd, tshark, tcpdump)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { establishSession } from '../../src/index.js';
import { udpTransport } from '../../src/node.js';
import { fakePppdWorks, startXl2tpd, stopAll, TEST_SECRET } from '../interop/xl2tpd.js';

const OUT = join(process.cwd(), 'test/vectors/pcap');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function capture(cmd: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${err}`)), 15_000);
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      if (ready.test(err)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${err}`)));
  });
}

function stopCapture(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    c.removeAllListeners('exit');
    c.once('exit', () => resolve());
    c.kill('SIGINT');
  });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // The fake pppd (test/interop/fake-pppd.py) keeps xl2tpd's session up so it carries real DATA.
  if (!fakePppdWorks()) throw new Error('the captures need the fake pppd: root, unshare -m, /usr/bin/python3');
  const lns = await startXl2tpd({ role: 'lns', hostName: 'lns-pcap', challenge: true, hidden: true, fakePppd: true });
  const filter = `udp port ${lns.port}`;
  const caps = [
    await capture('tshark', ['-i', 'lo', '-f', filter, '-w', join(OUT, 'xl2tpd-tshark.pcapng')], /Capturing on/),
    await capture('tcpdump', ['-i', 'any', '-y', 'LINUX_SLL', '-U', '-w', join(OUT, 'xl2tpd-tcpdump-sll.pcap'), filter], /listening on/),
    await capture('tcpdump', ['-i', 'any', '-y', 'LINUX_SLL2', '--time-stamp-precision', 'nano', '-U', '-w', join(OUT, 'xl2tpd-tcpdump-sll2-ns.pcap'), filter], /listening on/),
  ];
  await sleep(500);
  const lac = await startXl2tpd({ role: 'lac', hostName: 'lac-pcap', lnsPort: lns.port, challenge: true, hidden: true, fakePppd: true });
  // The call comes up; each fake pppd sends one LCP Configure-Request as an L2TP DATA message.
  await lac.waitForLog(/Call established/i, 10_000);
  await sleep(2000);
  await lac.stop('SIGINT');
  await sleep(1500);
  // Second tunnel: l2tp-wire itself with hidden AVPs (xl2tpd never hides any; it unhides ours).
  const t = await udpTransport({ host: '127.0.0.1', port: lns.port });
  const s = await establishSession(t, { hostName: 'l2tp-wire-pcap', secret: TEST_SECRET, hideAvps: true, timeout: 10_000 });
  if (!s.success) throw new Error(`our session to xl2tpd failed: ${String(s.error)}`);
  await sleep(300);
  await s.tunnel!.close();
  await t.close();
  await sleep(1000);
  for (const c of caps) await stopCapture(c);
  await stopAll();
  writeFileSync(
    join(OUT, 'meta.json'),
    `${JSON.stringify({ lnsPort: lns.port, lacPort: lac.port, secret: TEST_SECRET, made: 'test/scripts/pcap-vectors.ts', xl2tpd: 'challenge = yes, hidden bit = yes, both ends; fake pppd' }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${OUT} (LNS port ${lns.port})\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    void stopAll().finally(() => process.exit(1));
  },
);
