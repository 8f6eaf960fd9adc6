/**
 * The example prober Worker (docs/examples/worker/src/) in the real runtime, as a drop-in for the
 * Worker prober it replaces: bundled against the BUILT package, served by `workerd serve` on
 * loopback, called over HTTP with the prober's clients' EXACT request bodies (port 1701
 * included), and every field of the prober's contract checked for name, type and meaning.
 *
 * Peers: (a) our embedded LNS on loopback TCP, (b) a real xl2tpd 1.3.18 on loopback UDP behind
 * `createRelay`. Each listens on TCP port 1701 of its own random 127.x.y.z address, so the bodies
 * need no port of ours. Known answers come from the peer's side, never from our encoder: the
 * LNS's events (its tunnel and session IDs, the Host Name it received, how the tunnel ended) and
 * xl2tpd's own log and captures (test/vectors/README.md: Vendor Name "xelerance.com",
 * Firmware Revision 0x0690, Host Name = its `hostname =` setting).
 *
 * No half-open tunnel: after every call the LNS must have seen our StopCCN (a `tunnel-down` by
 * the peer, result 1) and hold no tunnel at all (`stats.tunnels` 0); xl2tpd must log the StopCCN
 * and "Connection closed" for the tunnel.
 */
import type net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLns } from '../../src/server/index.js';
import type { DownReason, Lns, LnsSession, LnsTunnel } from '../../src/server/lns-types.js';
import { createRelay, type Relay } from '../../src/server/relay.js';
import { titled, xl2tpdProblem, startXl2tpd, stopAll, type Xl2tpd } from '../interop/xl2tpd.js';
import { bodies, expectContract, NOTE, onOwnLoopback, refusingPeer, sentHostname, wholeMs, type Endpoint, type Json } from './prober-contract.js';
import { buildPackage, bundleWorker, freeTcpPort, requireWorkerd, ROOT, startWorkerd, tempDir, type Workerd } from './workerd.js';

const enabled = requireWorkerd();
/** Set only with L2TP_WIRE_NO_WORKERD=1 and no workerd: the blocks below are then reported skipped, with this reason. */
const noWorkerd = enabled ? undefined : 'L2TP_WIRE_NO_WORKERD=1 and workerd is not installed';
/** Set only with L2TP_WIRE_NO_XL2TPD=1 and no xl2tpd. */
const noXl2tpd = xl2tpdProblem();
const withXl2tpd = noXl2tpd === undefined;

let tmp: ReturnType<typeof tempDir> | undefined;
let workerd: Workerd | undefined;
let lns: Lns | undefined;
let xl2tpd: Xl2tpd | undefined;
let relay: Relay | undefined;
let lnsHost = '';
let relayHost = '';

async function post(path: string, body: unknown, init: RequestInit = {}): Promise<{ status: number; body: Json; type: string | null }> {
  const res = await fetch(`${workerd!.url}/api/l2tp/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
    ...init,
  });
  const type = res.headers.get('content-type');
  expect(type).toMatch(/^application\/json/); // every answer, as the prober's
  return { status: res.status, type, body: (await res.json()) as Json };
}

/** What our LNS saw during one call. */
interface Seen {
  up: LnsTunnel[];
  down: [LnsTunnel, DownReason][];
  sessions: LnsSession[];
}

/** POST to the Worker while recording the LNS's events; then wait until the LNS holds no tunnel. */
async function postToLns(path: string, body: unknown): Promise<{ status: number; body: Json; seen: Seen }> {
  const seen: Seen = { up: [], down: [], sessions: [] };
  const off = [lns!.on('tunnel-up', (t) => seen.up.push(t)), lns!.on('tunnel-down', (t, why) => seen.down.push([t, why])), lns!.on('session-up', (s) => seen.sessions.push(s))];
  try {
    const { status, body: out } = await post(path, body);
    // The Worker has closed its connection; the LNS drops the (already stopped) tunnel with it.
    await expect.poll(() => lns!.stats.tunnels, { timeout: 5000 }).toBe(0);
    return { status, body: out, seen };
  } finally {
    for (const f of off) f();
  }
}

/** The call opened exactly one tunnel and ended it with OUR StopCCN (result 1), acknowledged: nothing is left. */
function expectTornDown(seen: Seen): LnsTunnel {
  expect(seen.up).toHaveLength(1);
  const [tunnel] = seen.up;
  expect(seen.down.map(([t, why]) => [t.id, why.by, why.result?.result])).toEqual([[tunnel!.id, 'peer', 1]]);
  expect(lns!.stats).toMatchObject({ tunnels: 0, halfOpen: 0, established: 0, lingering: 0, sessions: 0 });
  return tunnel!;
}

beforeAll(async () => {
  if (!enabled) return;
  tmp = tempDir('l2tp-wire-worker-');
  const nodeModules = await buildPackage(tmp.dir);
  await bundleWorker(join(ROOT, 'docs/examples/worker/src/index.ts'), nodeModules, join(tmp.dir, 'worker.js'));
  [lnsHost, lns] = await onOwnLoopback((host) => createLns({ host, port: 0, tcp: { port: 1701 }, hostName: 'l2tp-wire-lns' }));
  if (withXl2tpd) {
    xl2tpd = await startXl2tpd({ role: 'lns', hostName: 'xl2tpd-behind-relay' });
    [relayHost, relay] = await onOwnLoopback((host) => createRelay({ listen: { host, port: 1701 }, target: { host: '127.0.0.1', port: xl2tpd!.port } }));
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

describe.skipIf(!enabled)(titled('example Worker → our LNS over TCP, with the prober’s request bodies', noWorkerd), () => {
  it.each(bodies('connect'))('/connect %s: every contract field, and the probe is torn down', async (_, b) => {
    const { status, body, seen } = await postToLns('connect', { ...b, host: lnsHost });
    expect(status).toBe(200);
    expectContract('connect', body);
    const tunnel = expectTornDown(seen);
    expect(tunnel.peer!.hostName).toBe(sentHostname('connect', b)); // our SCCRQ carried the prober's Host Name
    expect(body).toMatchObject({
      success: true, // the reply was an SCCRP
      host: lnsHost,
      port: 1701, // echoed, or the default
      tunnelId: tunnel.peer!.assignedTunnelId, // OURS: the Assigned Tunnel ID of our SCCRQ
      assignedTunnelId: tunnel.id, // the LNS's
      peerHostname: 'l2tp-wire-lns',
      vendorName: 'l2tp-wire',
      protocolVersion: '1.0',
    });
    wholeMs(body.rtt);
    expect(body.teardown).toBe('StopCCN acknowledged');
  });

  it.each(bodies('start-control'))('/start-control %s: every contract field; tunnelId is the PEER’s', async (_, b) => {
    const { status, body, seen } = await postToLns('start-control', { ...b, host: lnsHost });
    expect(status).toBe(200);
    expectContract('start-control', body);
    const tunnel = expectTornDown(seen);
    expect(tunnel.peer!.hostName).toBe('cloudflare-worker');
    expect(body).toMatchObject({ success: true, messageType: 2, tunnelId: tunnel.id, protocolVersion: '1.0', hostName: 'l2tp-wire-lns' });
    expect(body.localTunnelId).toBe(tunnel.peer!.assignedTunnelId);
    expect(body).not.toHaveProperty('resultCode'); // the SCCRP has none: the key is absent
    wholeMs(body.latencyMs);
  });

  it.each(bodies('session'))('/session %s: every contract field; the tunnel and the call are torn down', async (_, b) => {
    const { status, body, seen } = await postToLns('session', { ...b, host: lnsHost });
    expect(status).toBe(200);
    expectContract('session', body);
    const tunnel = expectTornDown(seen);
    expect(tunnel.peer!.hostName).toBe(sentHostname('session', b));
    expect(seen.sessions).toHaveLength(1);
    const call = seen.sessions[0]!;
    expect(call.closed).toBe(true);
    expect(body).toEqual(
      expect.objectContaining({
        success: true,
        host: lnsHost,
        port: 1701,
        localTunnelId: tunnel.peer!.assignedTunnelId,
        peerTunnelId: tunnel.id,
        localSessionId: call.peerId,
        peerSessionId: call.id,
        peerHostname: 'l2tp-wire-lns',
        protocolVersion: '1.0',
        note: NOTE,
      }),
    );
    wholeMs(body.latencyMs);
  });

  it.each(bodies('hello'))('/hello %s: a tunnel, a HELLO and its ack, then a clean teardown, said in `message`', async (_, b) => {
    const { status, body, seen } = await postToLns('hello', { ...b, host: lnsHost });
    expect(status).toBe(200);
    expectContract('hello', body);
    const tunnel = expectTornDown(seen);
    expect(body.success).toBe(true);
    expect(body.message).toMatch(/^Hello ACK received: HELLO acknowledged in \d+ ms on a new tunnel/);
    expect(body.message).toContain(`the peer's ${tunnel.id}`);
    expect(body.message).toContain('closed with a StopCCN (acknowledged)');
    expect(body.message).toContain('tunnelId 1 was not used');
    expect(body).toMatchObject({ localTunnelId: tunnel.peer!.assignedTunnelId, assignedTunnelId: tunnel.id, requestedTunnelId: 1, teardown: 'StopCCN acknowledged' });
    wholeMs(body.rtt);
  });

  it('ours beside: /start-control { keep: true } holds the tunnel; /hello { handle } uses it, twice; /stop-control ends it', async () => {
    const tunnelsBefore = lns!.stats.tunnelsOpened;
    const start = await post('start-control', { host: lnsHost, keep: true });
    expect(start.status).toBe(200);
    expectContract('start-control', start.body);
    const handle = start.body.handle as string;
    expect(handle).toMatch(/^[0-9a-f]{64}$/);
    const held = () => lns!.tunnels().filter((t) => t.state === 'established');
    expect(held().map((t) => t.id)).toEqual([start.body.tunnelId]); // the contract's tunnelId: the LNS's own ID
    expect(start.body).toMatchObject({ success: true, messageType: 2, hostName: 'l2tp-wire-lns', assignedTunnelId: start.body.tunnelId });
    for (let i = 0; i < 2; i++) {
      const hello = await post('hello', { handle, timeout: 5000 });
      expect(hello.status).toBe(200);
    expectContract('hello', hello.body);
      expectContract('hello', hello.body);
      expect(hello.body).toMatchObject({ success: true, handle, tunnelId: start.body.localTunnelId, assignedTunnelId: start.body.tunnelId });
      expect(hello.body.message).toMatch(/^Hello ACK received: HELLO acknowledged in \d+ ms on the kept tunnel/);
      expect(held()).toHaveLength(1); // no new tunnel: the HELLO went on the kept one
    }
    expect(lns!.stats.tunnelsOpened).toBe(tunnelsBefore + 1);
    const stop = await post('stop-control', { handle });
    expect(stop.body).toMatchObject({ success: true, tunnelId: start.body.localTunnelId, teardown: 'StopCCN acknowledged' });
    await expect.poll(() => lns!.stats.tunnels, { timeout: 5000 }).toBe(0);
    const after = await post('hello', { handle });
    expect(after.status).toBe(404);
    expect(after.body).toMatchObject({ success: false, error: 'no tunnel for this handle' });
  });

  it('500 with the prober’s shape and code TRANSPORT when nothing listens on the port', async () => {
    const closedPort = await freeTcpPort();
    const { status, body } = await post('connect', { host: '127.0.0.1', port: closedPort, timeout: 3000 });
    expect(status).toBe(500);
    expect(body).toMatchObject({ success: false, host: '127.0.0.1', port: closedPort, code: 'TRANSPORT' });
    expect(body.error).toMatch(/127\.0\.0\.1:\d+/);
    for (const path of ['session', 'start-control']) expect(await post(path, { host: '127.0.0.1', port: closedPort, timeout: 3000 })).toMatchObject({ status: 500, body: { success: false, code: 'TRANSPORT' } });
    expect(await post('hello', { host: '127.0.0.1', port: closedPort, tunnelId: 1, timeout: 3000 })).toMatchObject({ status: 500, body: { success: false, code: 'TRANSPORT' } });
  });
});

describe.skipIf(!enabled)(titled('example Worker → an LNS that demands the tunnel secret (RFC 2661 §5.1.1)', noWorkerd), () => {
  let authLns: Lns | undefined;
  let authHost = '';
  const SECRET = 'worker-test-secret';
  beforeAll(async () => {
    [authHost, authLns] = await onOwnLoopback((host) => createLns({ host, port: 0, tcp: { port: 1701 }, hostName: 'l2tp-wire-lns-auth', secret: SECRET }));
  });
  afterAll(() => authLns?.close());
  const drained = () => expect.poll(() => authLns!.stats.tunnels, { timeout: 5000 }).toBe(0);

  it('/start-control without the secret: HTTP 200, success false, the reply still reported (an SCCRP with a Challenge)', async () => {
    const { status, body } = await post('start-control', { host: authHost, port: 1701, timeout: 10000 });
    expect(status).toBe(200);
    expectContract('start-control', body);
    expect(body).toMatchObject({ success: false, messageType: 2, protocolVersion: '1.0', hostName: 'l2tp-wire-lns-auth', challenged: true, code: 'AUTH_FAILED' });
    expect(body.tunnelId).toBeGreaterThan(0);
    expect(body).not.toHaveProperty('resultCode');
    await drained();
    expect(authLns!.stats.tunnelsOpened).toBe(0);
  });

  it('/connect without the secret: HTTP 200, success false, challenged; /session: HTTP 500 (the prober’s status for a failed setup)', async () => {
    const probe = await post('connect', { host: authHost });
    expect(probe).toMatchObject({ status: 200, body: { success: false, host: authHost, port: 1701, peerHostname: 'l2tp-wire-lns-auth', challenged: true, code: 'AUTH_FAILED' } });
    const session = await post('session', { host: authHost });
    expect(session).toMatchObject({ status: 500, body: { success: false, code: 'AUTH_FAILED' } });
    await drained();
  });

  it('with `secret` (ours), every endpoint gets through and tears down', async () => {
    for (const path of ['connect', 'start-control', 'session', 'hello']) {
      const { status, body } = await post(path, { host: authHost, tunnelId: 1, secret: SECRET });
      expect([path, status, body.success]).toEqual([path, 200, true]);
      expectContract(path as Endpoint, body);
      expect(body.teardown).toBe('StopCCN acknowledged');
      await drained();
    }
    expect(authLns!.stats.tunnelsOpened).toBe(4);
  });
});

describe.skipIf(!enabled)(titled('example Worker → a peer that answers the SCCRQ with a StopCCN', noWorkerd), () => {
  let peer: net.Server | undefined;
  let peerHost = '';
  beforeAll(async () => {
    [peerHost, peer] = await onOwnLoopback(refusingPeer);
  });
  afterAll(() => new Promise<void>((res) => (peer ? peer.close(() => res()) : res())));

  it('/start-control: HTTP 200, success false, messageType 4, the peer’s tunnelId, resultCode present, "" for what it did not send', async () => {
    const { status, body } = await post('start-control', { host: peerHost, port: 1701, timeout: 10000 });
    expect(status).toBe(200);
    expectContract('start-control', body);
    expect(body).toMatchObject({ success: false, messageType: 4, tunnelId: 0x1234, protocolVersion: '', hostName: '', resultCode: 2, errorCode: 6, code: 'PEER_STOPPED' });
    wholeMs(body.latencyMs);
  });

  it('/connect: HTTP 200, success false, the prober’s "Unexpected message type: 4 (expected SCCRP)"', async () => {
    const { status, body } = await post('connect', { host: peerHost });
    expect(status).toBe(200);
    expectContract('connect', body);
    expect(body).toMatchObject({ success: false, host: peerHost, port: 1701, assignedTunnelId: 0x1234, peerHostname: '', vendorName: '', protocolVersion: '', resultCode: 2 });
    expect(body.error).toMatch(/^Unexpected message type: 4 \(expected SCCRP\)/);
  });

  it('/session and /hello: HTTP 500 (the prober’s status), "Expected SCCRP (2), got msgType=4" for /session', async () => {
    const session = await post('session', { host: peerHost });
    expect(session).toMatchObject({ status: 500, body: { success: false, code: 'PEER_STOPPED', resultCode: 2 } });
    expect(session.body.error).toMatch(/^Expected SCCRP \(2\), got msgType=4/);
    expect(await post('hello', { host: peerHost, tunnelId: 1 })).toMatchObject({ status: 500, body: { success: false, code: 'PEER_STOPPED' } });
  });

  it('/start-control { keep: true }: the same refusal, HTTP 200, and no handle', async () => {
    const { status, body } = await post('start-control', { host: peerHost, keep: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: false, messageType: 4, tunnelId: 0x1234, resultCode: 2, code: 'PEER_STOPPED', teardown: 'stopped by the peer' });
    expect(body).not.toHaveProperty('handle');
  });
});

describe.skipIf(!enabled)(titled('example Worker: the prober’s refusals, exactly', noWorkerd), () => {
  it.each([
    // What the prober's test suite asserts (status, success false, error text).
    ['connect', 400, 'Host is required', 'without host', { port: 1701 }, { host: '', port: 1701 }],
    ['session', 400, 'Host is required', 'without host', { port: 1701 }, {}],
    ['start-control', 400, 'Host is required', 'without host', {}, {}],
    ['connect', 400, 'Port must be between 1 and 65535', 'port 70000', { host: 'example.com', port: 70000 }, { host: 'example.com', port: 70000 }],
    ['hello', 400, 'Host and tunnelId are required', 'without host', { port: 1701, tunnelId: 1 }, {}],
    ['hello', 400, 'Host and tunnelId are required', 'without tunnelId', { host: 'example.com', port: 1701 }, {}],
    // The rest of its contract.
    ['start-control', 400, 'Port must be between 1 and 65535', 'a port as text', { host: 'example.com', port: '1701' }, {}],
    ['session', 400, 'Port must be between 1 and 65535', 'port 0', { host: 'example.com', port: 0 }, {}],
    ['connect', 400, 'Host is required', 'an empty host', { host: '' }, { host: '', port: 1701 }],
    ['connect', 500, 'the request body is not JSON', 'a body that is not JSON', '{nope', { host: '', port: 1701 }],
    ['hello', 500, 'the request body is not JSON', 'a body that is not JSON', '{nope', {}],
  ])('/%s answers %i "%s" for %s', async (path, status, error, _, body, echo) => {
    const out = await post(path, body);
    expect(out.status).toBe(status);
    expect(out.type).toMatch(/^application\/json/);
    expect(out.body).toMatchObject({ success: false, error, ...echo });
    expect(out.body.code).toBe(status === 400 ? 'BAD_REQUEST' : 'NOT_JSON');
  });

  it.each([
    ['connect', '104.16.0.1'],
    ['session', '172.64.1.1'],
    ['start-control', '2606:4700::6810:84e5'],
    ['hello', '198.41.200.7'],
  ])('/%s refuses a Cloudflare address (%s) with 403 and isCloudflare, before connecting', async (path, host) => {
    const out = await post(path, { host, port: 1701, tunnelId: 1, timeout: 10000 });
    expect(out.status).toBe(403);
    expect(out.body).toMatchObject({ success: false, isCloudflare: true, code: 'CLOUDFLARE' });
    expect(out.body.error).toMatch(new RegExp(`^Cannot connect to ${host.replace(/\./g, '\\.')} \\(.*\\): This domain is protected by Cloudflare\\.`));
  });

  it('our own checks say which field to fix', async () => {
    expect((await post('connect', { host: 'example.com', timeout: -1 })).body).toMatchObject({ success: false, error: '"timeout" must be a number of milliseconds above 0' });
    expect((await post('connect', { host: 'example.com', hostname: '' })).body.error).toMatch(/"hostname"/);
    expect((await post('hello', { host: 'example.com', tunnelId: 'one' })).body.error).toMatch(/"tunnelId"/);
    expect((await post('hello', { handle: 'abc' })).body.error).toMatch(/"handle"/);
    expect((await post('start-control', { host: 'example.com', keep: 'yes' })).body.error).toMatch(/"keep"/);
  });

  it('routes by path only, as the prober: any method; 404 only for an unknown path', async () => {
    // A GET has no body: not JSON, the prober's 500.
    const get = await fetch(`${workerd!.url}/api/l2tp/connect`);
    expect(get.status).toBe(500);
    expect(await get.json()).toMatchObject({ success: false, host: '', port: 1701 });
    const put = await post('start-control', {}, { method: 'PUT' });
    expect(put).toMatchObject({ status: 400, body: { error: 'Host is required' } });
    expect((await post('nope', {})).status).toBe(404);
  });
});

describe.skipIf(!enabled || !withXl2tpd)(titled('example Worker → createRelay → xl2tpd (UDP), with the prober’s request bodies', noWorkerd ?? noXl2tpd), () => {
  /** xl2tpd's log lines for one tunnel: established, our StopCCN received, closed. */
  async function expectXl2tpdTornDown(mark: number, xl2tpdId: number, ourId: number): Promise<void> {
    const ids = `Local: ${xl2tpdId}, Remote: ${ourId}`;
    await xl2tpd!.waitForLog(new RegExp(`Connection established to 127\\.0\\.0\\.1, \\d+\\.  ${ids}`), 5000, mark);
    await xl2tpd!.waitForLog(/result_code_avp: peer closing for reason 1\b/, 5000, mark);
    await xl2tpd!.waitForLog(new RegExp(`Connection closed to 127\\.0\\.0\\.1, port \\d+ \\([^)]*\\), ${ids}`), 5000, mark);
  }

  it.each(bodies('connect'))('/connect %s: xl2tpd as in its captures, then closed by our StopCCN', async (_, b) => {
    const mark = xl2tpd!.mark();
    const { status, body } = await post('connect', { ...b, host: relayHost });
    expect(status).toBe(200);
    expectContract('connect', body);
    expect(body).toMatchObject({ success: true, host: relayHost, port: 1701, peerHostname: 'xl2tpd-behind-relay', vendorName: 'xelerance.com', protocolVersion: '1.0', firmwareRevision: 0x0690 });
    wholeMs(body.rtt);
    await xl2tpd!.waitForLog(new RegExp(`hostname_avp: peer reports hostname '${sentHostname('connect', b)}'`), 5000, mark);
    await expectXl2tpdTornDown(mark, body.assignedTunnelId as number, body.tunnelId as number);
  });

  it.each(bodies('start-control'))('/start-control %s: messageType 2, xl2tpd’s own tunnel ID', async (_, b) => {
    const mark = xl2tpd!.mark();
    const { status, body } = await post('start-control', { ...b, host: relayHost });
    expect(status).toBe(200);
    expectContract('start-control', body);
    expect(body).toMatchObject({ success: true, messageType: 2, protocolVersion: '1.0', hostName: 'xl2tpd-behind-relay' });
    expect(body).not.toHaveProperty('resultCode');
    wholeMs(body.latencyMs);
    await xl2tpd!.waitForLog(/hostname_avp: peer reports hostname 'cloudflare-worker'/, 5000, mark);
    await expectXl2tpdTornDown(mark, body.tunnelId as number, body.localTunnelId as number);
  });

  it.each(bodies('session'))('/session %s: xl2tpd answers the call (IDs both ways, from its log)', async (_, b) => {
    const mark = xl2tpd!.mark();
    const { status, body } = await post('session', { ...b, host: relayHost });
    expect(status).toBe(200);
    expectContract('session', body);
    expect(body).toMatchObject({ success: true, host: relayHost, port: 1701, peerHostname: 'xl2tpd-behind-relay', protocolVersion: '1.0', note: NOTE });
    wholeMs(body.latencyMs);
    await xl2tpd!.waitForLog(new RegExp(`Call established with 127\\.0\\.0\\.1, PID: \\d+, Local: ${body.peerSessionId as number}, Remote: ${body.localSessionId as number}`), 5000, mark);
    await expectXl2tpdTornDown(mark, body.peerTunnelId as number, body.localTunnelId as number);
  });

  it.each(bodies('hello'))('/hello %s: xl2tpd receives the HELLO on a tunnel it holds, then our StopCCN', async (_, b) => {
    const mark = xl2tpd!.mark();
    const { status, body } = await post('hello', { ...b, host: relayHost });
    expect(status).toBe(200);
    expectContract('hello', body);
    expect(body.success).toBe(true);
    expect(body.message).toMatch(/^Hello ACK received: .*closed with a StopCCN \(acknowledged\)/);
    await xl2tpd!.waitForLog(/message type 6 \(Hello\)/, 5000, mark);
    await expectXl2tpdTornDown(mark, body.assignedTunnelId as number, body.localTunnelId as number);
  });

  it('/start-control { keep: true } + /hello { handle } on the same relayed connection, then /stop-control', async () => {
    const start = await post('start-control', { host: relayHost, keep: true });
    expect(start.body).toMatchObject({ success: true, messageType: 2, vendorName: 'xelerance.com' });
    const handle = start.body.handle as string;
    const pairs = relay!.connections;
    const hello = await post('hello', { handle, timeout: 5000 });
    expect(hello.status).toBe(200);
    expectContract('hello', hello.body);
    expect(hello.body).toMatchObject({ success: true, tunnelId: start.body.localTunnelId, assignedTunnelId: start.body.tunnelId });
    expect(relay!.connections).toBe(pairs); // same TCP connection, same UDP socket
    expect((await post('stop-control', { handle })).body).toMatchObject({ success: true, teardown: 'StopCCN acknowledged' });
    await expect.poll(() => relay!.connections, { timeout: 5000 }).toBeLessThan(pairs);
  });
});
