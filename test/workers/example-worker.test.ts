/**
 * The example prober Worker (docs/examples/worker/src/index.ts) in the real runtime: bundled against the
 * BUILT package (`l2tp-wire`, `l2tp-wire/workers` resolved through package.json `exports`), served
 * by `workerd serve` on loopback, called over HTTP. Its peers: (a) our embedded LNS on loopback
 * TCP, (b) a real xl2tpd 1.3.18 on loopback UDP behind `createRelay`. Known answers about xl2tpd
 * come from its captures (../shared/peers/README.md: Vendor Name "xelerance.com", Firmware Revision
 * 0x0690, Host Name = its `hostname =` setting) and from its own log, never from our encoder.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLns } from '../../src/server/index.js';
import type { Lns } from '../../src/server/lns-types.js';
import { createRelay, type Relay } from '../../src/server/relay.js';
import { requireXl2tpd, startXl2tpd, stopAll, type Xl2tpd } from '../interop/xl2tpd.js';
import { buildPackage, bundleWorker, freeTcpPort, requireWorkerd, ROOT, startWorkerd, tempDir, type Workerd } from './workerd.js';

const enabled = requireWorkerd();
const withXl2tpd = requireXl2tpd();

let tmp: ReturnType<typeof tempDir> | undefined;
let workerd: Workerd | undefined;
let lns: Lns | undefined;
let xl2tpd: Xl2tpd | undefined;
let relay: Relay | undefined;
/** TCP ports the Worker connects to. */
let lnsPort = 0;
let relayPort = 0;

type Json = Record<string, unknown>;
async function post(path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${workerd!.url}/api/l2tp/${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

beforeAll(async () => {
  if (!enabled) return;
  tmp = tempDir('l2tp-wire-worker-');
  const nodeModules = await buildPackage(tmp.dir);
  await bundleWorker(join(ROOT, 'docs/examples/worker/src/index.ts'), nodeModules, join(tmp.dir, 'worker.js'));
  lns = await createLns({ host: '127.0.0.1', port: 0, hostName: 'l2tp-wire-lns', tcp: true });
  lnsPort = lns.address().tcp!.port;
  if (withXl2tpd) {
    xl2tpd = await startXl2tpd({ role: 'lns', hostName: 'xl2tpd-behind-relay' });
    relay = await createRelay({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: xl2tpd.port } });
    relayPort = relay.address().port;
  }
  workerd = await startWorkerd({ dir: tmp.dir, workerFile: 'worker.js', durableObjects: { TUNNELS: 'L2tpTunnel' } });
}, 60_000);

afterAll(async () => {
  await workerd?.stop();
  await relay?.close();
  await lns?.close();
  await xl2tpd?.stop('SIGTERM');
  await stopAll();
  tmp?.remove();
});

describe.runIf(enabled)('example Worker → our LNS over loopback TCP', () => {
  const target = () => ({ host: '127.0.0.1', port: lnsPort, timeout: 5000, hostname: 'worker-lac' });

  it('POST /api/l2tp/connect probes: the LNS host name, vendor and protocol version', async () => {
    const before = lns!.stats.tunnelsOpened;
    const { status, body } = await post('connect', target());
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, peerHostname: 'l2tp-wire-lns', vendorName: 'l2tp-wire', protocolVersion: '1.0', challenged: false });
    expect(body.tunnelId).toBeGreaterThan(0);
    expect(body.assignedTunnelId).toBeGreaterThan(0);
    expect(body.rtt).toBeGreaterThanOrEqual(0);
    expect(lns!.stats.tunnelsOpened).toBe(before + 1);
    // The probe's StopCCN was acknowledged: nothing is left on the LNS.
    await expect.poll(() => lns!.stats.established).toBe(0);
  });

  it('POST /api/l2tp/session opens a tunnel and a session, then tears them down', async () => {
    const before = lns!.stats.sessionsOpened;
    const { status, body } = await post('session', target());
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, peerHostname: 'l2tp-wire-lns' });
    for (const k of ['localTunnelId', 'peerTunnelId', 'localSessionId', 'peerSessionId']) expect(body[k], k).toBeGreaterThan(0);
    expect(body.latencyMs).toBeGreaterThanOrEqual(0);
    expect(lns!.stats.sessionsOpened).toBe(before + 1);
    await expect.poll(() => lns!.stats.established).toBe(0);
  });

  it('/start-control keeps the tunnel; /hello runs on that same tunnel, twice; /stop-control ends it', async () => {
    const start = await post('start-control', target());
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ success: true, peerHostname: 'l2tp-wire-lns', protocolVersion: '1.0' });
    const handle = start.body.handle as string;
    expect(handle).toMatch(/^[0-9a-f]{64}$/);
    // The LNS holds exactly this tunnel: our Tunnel ID is its peer's Assigned Tunnel ID.
    const held = () => lns!.tunnels().filter((t) => t.state === 'established');
    expect(held().map((t) => t.id)).toEqual([start.body.assignedTunnelId]);

    for (let i = 0; i < 2; i++) {
      const hello = await post('hello', { handle, timeout: 5000 });
      expect(hello.status).toBe(200);
      expect(hello.body).toMatchObject({ success: true, handle, tunnelId: start.body.tunnelId, assignedTunnelId: start.body.assignedTunnelId });
      expect(hello.body.rtt).toBeGreaterThanOrEqual(0);
      expect(held()).toHaveLength(1); // no new tunnel: the HELLO went on the kept one
    }
    const stop = await post('stop-control', { handle });
    expect(stop.body).toMatchObject({ success: true, tunnelId: start.body.tunnelId });
    await expect.poll(() => held().length).toBe(0);
    const after = await post('hello', { handle });
    expect(after.status).toBe(404);
    expect(after.body).toMatchObject({ success: false, error: 'no tunnel for this handle' });
  });

  it('answers 502 with code TRANSPORT when nothing listens on the TCP port', async () => {
    const closedPort = await freeTcpPort();
    const { status, body } = await post('connect', { host: '127.0.0.1', port: closedPort, timeout: 3000 });
    expect(status).toBe(502);
    expect(body).toMatchObject({ success: false, code: 'TRANSPORT' });
    expect(body.error).toMatch(/127\.0\.0\.1:\d+/);
  });
});

describe.runIf(enabled)('example Worker: bad requests', () => {
  it.each([
    ['a body that is not JSON', 'connect', '{nope', /JSON object/],
    ['a JSON array', 'connect', '[1]', /JSON object/],
    ['no host', 'connect', { port: 1701 }, /"host"/],
    ['a host with a path in it', 'session', { host: 'x/y' }, /"host"/],
    ['port 0', 'connect', { host: '127.0.0.1', port: 0 }, /"port" must be an integer from 1 to 65535/],
    ['a port as text', 'start-control', { host: '127.0.0.1', port: '1701' }, /"port"/],
    ['a timeout too long', 'connect', { host: '127.0.0.1', timeout: 600_000 }, /"timeout"/],
    ['an empty hostname', 'connect', { host: '127.0.0.1', hostname: '' }, /"hostname"/],
    ['hello without a handle', 'hello', {}, /"handle"/],
    ['hello with a malformed handle', 'hello', { handle: 'abc' }, /"handle"/],
  ])('400 for %s', async (_, path, body, message) => {
    const { status, body: out } = await post(path, body);
    expect(status).toBe(400);
    expect(out.success).toBe(false);
    expect(out.error).toMatch(message);
  });

  it('404 for an unknown route, 405 for GET', async () => {
    const notFound = await fetch(`${workerd!.url}/api/l2tp/nope`, { method: 'POST', body: '{}' });
    expect(notFound.status).toBe(404);
    const get = await fetch(`${workerd!.url}/api/l2tp/connect`);
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ success: false, error: 'use POST with a JSON body' });
  });
});

describe.runIf(enabled && withXl2tpd)('example Worker → createRelay → xl2tpd (UDP)', () => {
  const target = () => ({ host: '127.0.0.1', port: relayPort, timeout: 5000, hostname: 'worker-lac' });

  it('POST /api/l2tp/connect: xl2tpd describes itself as in its captures', async () => {
    const mark = xl2tpd!.mark();
    const { status, body } = await post('connect', target());
    expect(status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      peerHostname: 'xl2tpd-behind-relay',
      vendorName: 'xelerance.com',
      protocolVersion: '1.0',
      firmwareRevision: 0x0690,
      challenged: false,
    });
    // xl2tpd's own log: it saw our SCCRQ (our Host Name) and our StopCCN.
    await xl2tpd!.waitForLog(/worker-lac/, 5000, mark);
    expect(relay!.stats.toTarget).toBeGreaterThanOrEqual(3); // SCCRQ, SCCCN, StopCCN
  });

  it('POST /api/l2tp/session: xl2tpd answers the call (ICRP), session IDs both ways', async () => {
    const mark = xl2tpd!.mark();
    const { status, body } = await post('session', target());
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, peerHostname: 'xl2tpd-behind-relay', vendorName: 'xelerance.com' });
    for (const k of ['localTunnelId', 'peerTunnelId', 'localSessionId', 'peerSessionId']) expect(body[k], k).toBeGreaterThan(0);
    // xl2tpd logs the call it accepted with our Session ID ("using peer's call N").
    await xl2tpd!.waitForLog(new RegExp(`call ${body.localSessionId as number}\\b`), 5000, mark);
  });

  it('/start-control + /hello on the same tunnel through the relay, then /stop-control', async () => {
    const start = await post('start-control', target());
    expect(start.body).toMatchObject({ success: true, vendorName: 'xelerance.com' });
    const handle = start.body.handle as string;
    const pairs = relay!.connections;
    const hello = await post('hello', { handle, timeout: 5000 });
    expect(hello.status).toBe(200);
    expect(hello.body).toMatchObject({ success: true, tunnelId: start.body.tunnelId, assignedTunnelId: start.body.assignedTunnelId });
    expect(hello.body.rtt).toBeGreaterThanOrEqual(0);
    expect(relay!.connections).toBe(pairs); // same TCP connection, same UDP socket
    expect((await post('stop-control', { handle })).body).toMatchObject({ success: true });
    await expect.poll(() => relay!.connections).toBeLessThan(pairs);
  });
});
