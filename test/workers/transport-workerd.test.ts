/**
 * `workersTransport` inside the real runtime: `workerd test` runs every exported `test()` of
 * fixtures/transport.worker.js (bundled against the BUILT package) and prints PASS/FAIL per case.
 * The Node side provides the peers on loopback: our LNS over TCP, xl2tpd behind `createRelay`,
 * a scripted TCP server (split/merged messages, lost framing, a stream cut mid-message), an echo
 * server, and a closed port. Known answers: xl2tpd's own captured bytes (test/vectors/plain.hex)
 * and the RFC 2661 §3.1 header layout.
 */
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLns } from '../../src/server/index.js';
import { createRelay } from '../../src/server/relay.js';
import { titled, xl2tpdProblem, startXl2tpd, stopAll } from '../interop/xl2tpd.js';
import { buildPackage, bundleWorker, freeTcpPort, requireWorkerd, ROOT, runWorkerdTest, tempDir } from './workerd.js';

const enabled = requireWorkerd();
/** Set only with L2TP_WIRE_NO_WORKERD=1 and no workerd: the blocks below are then reported skipped, with this reason. */
const noWorkerd = enabled ? undefined : 'L2TP_WIRE_NO_WORKERD=1 and workerd is not installed';
/** Set only with L2TP_WIRE_NO_XL2TPD=1 and no xl2tpd. */
const noXl2tpd = xl2tpdProblem();
const withXl2tpd = noXl2tpd === undefined;

const hex = (s: string) => Buffer.from(s, 'hex');
/** plain.hex #1 SCCRQ, #3 SCCCN (xl2tpd 1.3.18) and #2 SCCRP. */
const SCCRQ = hex(
  'c802006a000000000000000080080000000000018008000000020100800a0000000300000003800a00000004000000000008000000060690800f000000076c61632d706c61696e00130000000878656c6572616e63652e636f6d800800000009b57480080000000a0004',
);
const SCCRP = hex(
  'c802006ab57400000000000180080000000000028008000000020100800a0000000300000003800a00000004000000000008000000060690800f000000076c6e732d706c61696e00130000000878656c6572616e63652e636f6d800800000009c33d80080000000a0004',
);
const SCCCN = hex('c8020014c33d0000000100018008000000000003');
/** RFC 2661 §3.1: an L2TPv2 data message without L, and with the Length field (13) inserted. */
const DATA_NO_L = '000212345678ff03c02101';
const DATA_WITH_L = '4002000d12345678ff03c02101';
/** Ethernet frames (RFC 4719 §3.1: no preamble, no FCS) for the v3 pseudowire case: a broadcast ARP request, and a minimal 14-byte header-only frame. */
const V3_FRAMES = ['ffffffffffff02000000000a08060001080006040001' + '00'.repeat(38), '02000000000b02000000000a88b5'];

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await stopAll();
});

async function listen(onConnection: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  cleanups.push(() => new Promise<void>((res) => (sockets.forEach((s) => s.destroy()), server.close(() => res()))));
  return (server.address() as net.AddressInfo).port;
}

/** Reads the script name (payload of the first framed message), then plays it. */
function scriptServer(socket: net.Socket): void {
  let head = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    if (head.length < 4 || head.length < head.readUInt16BE(2)) return;
    socket.removeAllListeners('data');
    const script = head.subarray(8, head.readUInt16BE(2)).toString();
    void play(socket, script);
  });
}

async function play(socket: net.Socket, script: string): Promise<void> {
  const pause = () => new Promise((r) => setTimeout(r, 5));
  if (script === 'split') {
    // SCCRP one byte per write (Nagle off, with pauses: separate TCP segments), then SCCRQ+SCCCN in one write.
    socket.setNoDelay(true);
    for (const b of SCCRP) {
      socket.write(Buffer.from([b]));
      if (b % 16 === 0) await pause();
    }
    await pause();
    socket.write(Buffer.concat([SCCRQ, SCCCN]));
    socket.end();
  } else if (script === 'l2f') {
    socket.write(hex('0001000c0000000000000000')); // version 1: L2F, not L2TP
  } else if (script === 'truncated') {
    socket.end(SCCRP.subarray(0, 50));
  }
}

/** The cases that talk to xl2tpd: without it (L2TP_WIRE_NO_XL2TPD=1) the Worker returns early, so they prove nothing. */
const XL2TPD_CASES = ['probeXl2tpdThroughRelay', 'sessionAndHelloWithXl2tpdThroughRelay'];

describe.skipIf(!enabled)(titled('workersTransport in workerd (workerd test)', noWorkerd), () => {
  let run: { passed: string[]; failed: string[]; output: string; code: number | null } | undefined;
  let tunnelsOpened = 0;

  it('every case in fixtures/transport.worker.js passes', async () => {
    const tmp = tempDir('l2tp-wire-workerd-test-');
    cleanups.push(tmp.remove);
    const nodeModules = await buildPackage(tmp.dir);
    await bundleWorker(join(ROOT, 'test/workers/fixtures/transport.worker.js'), nodeModules, join(tmp.dir, 'worker.js'));

    const lns = await createLns({ host: '127.0.0.1', port: 0, hostName: 'l2tp-wire-lns', tcp: true });
    cleanups.push(() => lns.close());
    // An L2TPv3 LNS that echoes every Ethernet frame back (its own cookie: 8 bytes).
    const v3Lns = await createLns({ host: '127.0.0.1', port: 0, hostName: 'l2tp-wire-lns-v3', tcp: true, versions: [3], cookieLength: 8 });
    cleanups.push(() => v3Lns.close());
    const v3Received: string[] = [];
    v3Lns.on('session-up', (s) => {
      void (async () => {
        for await (const f of s.frames()) {
          v3Received.push(Buffer.from(f).toString('hex'));
          await s.send(f);
        }
      })().catch(() => undefined); // the session ends with the tunnel
    });
    let relayPort = '';
    if (withXl2tpd) {
      const x = await startXl2tpd({ role: 'lns', hostName: 'xl2tpd-behind-relay' });
      cleanups.push(() => x.stop('SIGTERM'));
      const relay = await createRelay({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: x.port } });
      cleanups.push(() => relay.close());
      relayPort = String(relay.address().port);
    }
    const scriptPort = await listen(scriptServer);
    const echoPort = await listen((s) => s.pipe(s));
    const closedPort = await freeTcpPort();

    const r = await runWorkerdTest({
      dir: tmp.dir,
      workerFile: 'worker.js',
      bindings: {
        LNS_PORT: String(lns.address().tcp!.port),
        V3_LNS_PORT: String(v3Lns.address().tcp!.port),
        V3_FRAMES: V3_FRAMES.join(','),
        RELAY_PORT: relayPort,
        SCRIPT_PORT: String(scriptPort),
        ECHO_PORT: String(echoPort),
        CLOSED_PORT: String(closedPort),
        SPLIT_MESSAGES: Buffer.concat([SCCRP, SCCRQ, SCCCN]).toString('hex'),
        DATA_NO_L,
        DATA_WITH_L,
      },
    });
    const cases = [
      'probeOurLnsOverTcp',
      'sessionOnOurLnsOverTcp',
      'v3PseudowireOnOurLnsOverTcp',
      'probeXl2tpdThroughRelay',
      'sessionAndHelloWithXl2tpdThroughRelay',
      'refusedConnectionIsTransportError',
      'abortedBeforeConnect',
      'badOptionsAreLocalErrors',
      'reframesSplitAndMergedMessages',
      'lostFramingClosesWithError',
      'truncatedStreamIsReported',
      'insertsLengthOnSend',
    ];
    expect(r.failed, r.output).toEqual([]);
    expect([...r.passed].sort(), r.output).toEqual([...cases].sort());
    expect(r.code, r.output).toBe(0);
    run = r;
    tunnelsOpened = lns.stats.tunnelsOpened;
    // The v3 LNS got every frame the Worker sent, in order, over its TCP listener, and sent each back.
    expect(v3Received).toEqual(V3_FRAMES);
    expect([v3Lns.stats.framesIn, v3Lns.stats.framesOut, v3Lns.stats.malformed]).toEqual([V3_FRAMES.length, V3_FRAMES.length, 0]);
  });

  it.skipIf(!withXl2tpd)(titled('the xl2tpd cases ran against xl2tpd through the relay, and our LNS saw only its own two tunnels', noXl2tpd), () => {
    expect(run, 'the workerd run above failed').toBeDefined();
    for (const c of XL2TPD_CASES) expect(run!.passed).toContain(c);
    expect(tunnelsOpened).toBe(2);
  });
});
