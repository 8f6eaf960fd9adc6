/**
 * Interop (1): our client (driver + FSM + UDP transport) against a real xl2tpd 1.3.18 LNS on
 * 127.0.0.1. Each test starts its own xl2tpd (own port, FIFO, pid file) and the file kills every
 * one in afterAll. Known answers come from xl2tpd itself (its SCCRP, its log), never from our
 * encoder. See docs/interop.md.
 *
 * pppd cannot run on this machine (no /dev/ppp): xl2tpd then hangs every session up with a CDN
 * result 1 (no error, no message) a few ms after ICCN. The tests expect exactly that; the
 * `fake pppd` block runs xl2tpd with test/interop/fake-pppd.py instead, where sessions stay up.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { establishSession, openTunnel, probe } from '../../src/client/index.js';
import type { Tunnel, TunnelStop } from '../../src/client/tunnel.js';
import { udpTransport } from '../../src/transports/node-udp.js';
import { L2tpError } from '../../src/wire/errors.js';
import { fakePppdProblem, titled, xl2tpdProblem, startXl2tpd, stopAll, TEST_SECRET, type Xl2tpd } from './xl2tpd.js';
import { tap, type Tap } from './wire-tap.js';

/** Set only with L2TP_WIRE_NO_XL2TPD=1 and no xl2tpd: the blocks below are then reported skipped, with this reason. */
const noXl2tpd = xl2tpdProblem();
/** Why xl2tpd cannot run with the fake pppd here (no root / no unshare -m), if it cannot. */
const noFakePppd = noXl2tpd === undefined ? fakePppdProblem() : undefined;

const started: Xl2tpd[] = [];
const tunnels: Tunnel[] = [];
async function lns(o: Partial<Parameters<typeof startXl2tpd>[0]> = {}): Promise<Xl2tpd> {
  const x = await startXl2tpd({ role: 'lns', hostName: 'xl2tpd-lns', ...o });
  started.push(x);
  return x;
}
async function connect(x: Xl2tpd, o: Parameters<typeof openTunnel>[1] = {}, secret?: string): Promise<{ tunnel: Tunnel; wire: Tap }> {
  const wire = tap(await udpTransport({ host: '127.0.0.1', port: x.port }), secret);
  const tunnel = await openTunnel(wire.transport, { hostName: 'l2tp-wire-lac', timeout: 5000, ...o });
  tunnels.push(tunnel);
  return { tunnel, wire };
}
/** Open a tunnel expecting a rejection; returns the error and the tap. */
async function connectFails(x: Xl2tpd, o: Parameters<typeof openTunnel>[1], secret?: string): Promise<{ error: unknown; wire: Tap }> {
  const wire = tap(await udpTransport({ host: '127.0.0.1', port: x.port }), secret);
  const error = await openTunnel(wire.transport, { hostName: 'l2tp-wire-lac', timeout: 5000, ...o }).then(
    (t) => {
      tunnels.push(t);
      return new Error('openTunnel resolved');
    },
    (e: unknown) => e,
  );
  return { error, wire };
}

afterEach(async () => {
  await Promise.all(tunnels.splice(0).map((t) => t.close(undefined, { timeout: 1000 }).catch(() => {})));
  await Promise.all(started.splice(0).map((x) => x.stop('SIGTERM')));
});
afterAll(async () => {
  await stopAll();
});

describe.skipIf(noXl2tpd !== undefined)(titled('our client → xl2tpd LNS', noXl2tpd), () => {
  it('opens a tunnel: SCCRP fields exactly as xl2tpd 1.3.18 sends them', async () => {
    const x = await lns({ hostName: 'interop-lns' });
    const t0 = performance.now();
    const { tunnel, wire } = await connect(x);
    const elapsed = performance.now() - t0;
    expect(tunnel.state).toBe('established');
    const p = tunnel.peer;
    expect(p.hostName).toBe('interop-lns');
    expect(p.vendorName).toBe('xelerance.com');
    expect(p.firmwareRevision).toBe(0x0690);
    expect(p.framingCapabilities).toBe(3);
    expect(p.bearerCapabilities).toBe(0);
    expect(p.receiveWindowSize).toBe(4);
    expect(p.protocolVersion).toEqual({ version: 1, revision: 0 });
    expect(p.challenged).toBe(false);
    expect(p.assignedTunnelId).toBeGreaterThan(0);
    expect(tunnel.rtt).toBeGreaterThan(0);
    // The SCCRQ → SCCRP round trip fits inside the whole openTunnel() call (a relation, not a stopwatch bound).
    expect(tunnel.rtt).toBeLessThanOrEqual(elapsed);
    // xl2tpd's AVP order in SCCRP (test/vectors/README.md): 0 2 3 4 6 7 8 9 10, nothing hidden.
    const sccrp = wire.received('SCCRP')[0]!;
    expect(sccrp.control!.avps.map((a) => a.type)).toEqual([0, 2, 3, 4, 6, 7, 8, 9, 10]);
    expect(sccrp.control!.avps.some((a) => a.hidden)).toBe(false);
    expect(sccrp.bytes.subarray(0, 2)).toEqual(Uint8Array.of(0xc8, 0x02));
    // xl2tpd logged our SCCRQ's fields and the tunnel as established.
    await x.waitForLog(/hostname_avp: peer reports hostname 'l2tp-wire-lac'/);
    await x.waitForLog(new RegExp(`Connection established to 127\\.0\\.0\\.1, \\d+\\.  Local: ${p.assignedTunnelId}, Remote: ${tunnel.localTunnelId}`));
    // Our SCCCN was acknowledged by a ZLB (xl2tpd acks at once).
    await wire.waitFor((m) => m.dir === 'in' && m.name === 'ZLB' && m.control!.nr === 2);
  });

  it('opens a session (ICRQ → ICRP → ICCN); xl2tpd then hangs it up with CDN result 1 because pppd cannot run', async () => {
    const x = await lns();
    const { tunnel, wire } = await connect(x);
    const session = await tunnel.openSession();
    expect(session.state === 'up' || session.down?.result?.result === 1).toBe(true);
    expect(session.kind).toBe('incoming');
    expect(session.origin).toBe('local');
    expect(session.peerId).toBeGreaterThan(0);
    // ICRP from xl2tpd: only Assigned Session (after Message Type), header sid = ours.
    const icrp = wire.received('ICRP')[0]!;
    expect(icrp.sessionId).toBe(session.localId);
    expect(icrp.control!.avps.map((a) => a.type)).toEqual([0, 14]);
    expect(icrp.control!.assignedSessionId).toBe(session.peerId);
    await x.waitForLog(new RegExp(`Call established with 127\\.0\\.0\\.1, PID: \\d+, Local: ${session.peerId}, Remote: ${session.localId}, Serial: 1`));
    // pppd dies at once here (no /dev/ppp), and xl2tpd sends CDN result 1, error 0, no message.
    const down = await Promise.race([session.closed, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no session down; wire:\n${wire.ladder()}\nlog:\n${x.log()}`)), 3000))]);
    expect(down.by).toBe('peer');
    expect(down.result).toEqual({ result: 1, error: 0 });
    expect(down.error).toBeInstanceOf(L2tpError);
    expect((down.error as L2tpError).code).toBe('PEER_STOPPED');
    const cdn = wire.received('CDN')[0]!;
    expect(cdn.sessionId).toBe(session.localId);
    expect(cdn.control!.assignedSessionId).toBe(session.peerId);
    expect(cdn.control!.resultCode).toEqual({ result: 1, error: 0 });
    expect(x.log()).toMatch(/pppd exited for call \d+ with code \d+/);
    // The tunnel stays up: a second session opens on it.
    expect(tunnel.state).toBe('established');
    const again = await tunnel.openSession();
    expect(again.localId).not.toBe(session.localId);
    await again.closed;
    expect(again.down?.result?.result).toBe(1);
  });

  it('HELLO is answered with a ZLB that acknowledges it', async () => {
    const x = await lns();
    const { tunnel, wire } = await connect(x);
    const from = wire.log.length;
    await tunnel.hello();
    const h = await wire.waitFor((m) => m.dir === 'out' && m.name === 'HELLO', 1000, from);
    const ack = await wire.waitFor((m) => m.dir === 'in' && m.control !== undefined && ((m.control.nr - h.control!.ns) & 0xffff) >= 1 && ((m.control.nr - h.control!.ns) & 0xffff) < 0x8000, 2000, from);
    expect(ack.name).toBe('ZLB');
    expect(ack.bytes.length).toBe(12);
    await x.waitForLog(/message type 6 \(Hello\)/);
    expect(tunnel.state).toBe('established');
  });

  it('our StopCCN (result 1) is acknowledged and xl2tpd closes the tunnel', async () => {
    const x = await lns();
    const { tunnel, wire } = await connect(x);
    const local = tunnel.peer.assignedTunnelId;
    await tunnel.close();
    expect(tunnel.stop?.by).toBe('local');
    const stop = wire.sent('StopCCN')[0]!;
    expect(stop.control!.resultCode?.result).toBe(1);
    expect(stop.control!.assignedTunnelId).toBe(tunnel.localTunnelId);
    // xl2tpd acks the StopCCN with a ZLB (Nr past its Ns) before we let go.
    await wire.waitFor((m) => m.dir === 'in' && m.name === 'ZLB' && m.control!.nr === ((stop.control!.ns + 1) & 0xffff), 1000);
    await x.waitForLog(/message type 4 \(Stop-Control-Connection-Notification\)/);
    await x.waitForLog(new RegExp(`Connection closed to 127\\.0\\.0\\.1, port \\d+ \\([^)]*\\), Local: ${local}, Remote: ${tunnel.localTunnelId}`));
  });

  it('their StopCCN (SIGINT: result 1 "Server closing") arrives as a peer stop and is acknowledged', async () => {
    const x = await lns();
    const { tunnel, wire } = await connect(x);
    const stopped = new Promise<TunnelStop>((res) => tunnel.on('stopped', res));
    await x.stop('SIGINT');
    const s = await Promise.race([stopped, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(wire.ladder())), 3000))]);
    expect(s.by).toBe('peer');
    expect(s.result).toEqual({ result: 1, error: 0, message: 'Server closing' });
    expect(s.error?.code).toBe('PEER_STOPPED');
    const theirs = wire.received('StopCCN')[0]!;
    // xl2tpd's order: Message Type, Assigned Tunnel ID, then Result Code.
    expect(theirs.control!.avps.map((a) => a.type)).toEqual([0, 9, 1]);
    expect(theirs.control!.assignedTunnelId).toBe(tunnel.peerTunnelId);
    // We acked it with a ZLB.
    const ack = wire.sent('ZLB').at(-1)!;
    expect(ack.control!.nr).toBe((theirs.control!.ns + 1) & 0xffff);
    // Over for us, but still able to re-ack a retransmitted StopCCN for a full cycle (§5.7);
    // close() resolves at once; closing the transport ends the linger early.
    expect(tunnel.state).toBe('lingering');
    await tunnel.close();
    await tunnel.transport.close();
    await tunnel.closed;
    expect(tunnel.state).toBe('closed');
  });

  it('SIGTERM: xl2tpd exits without a StopCCN; our next HELLO meets ICMP port unreachable, reported as a TRANSPORT error', async () => {
    const x = await lns();
    const { tunnel, wire } = await connect(x);
    const errors: Error[] = [];
    tunnel.on('error', (e) => errors.push(e));
    await x.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    expect(wire.received('StopCCN')).toEqual([]);
    expect(tunnel.state).toBe('established');
    await tunnel.hello();
    for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    // A connected UDP socket sees the ICMP error; the tunnel stays up (the Sequencer's retries
    // decide), and afterEach closes it.
    expect(errors[0]).toBeInstanceOf(L2tpError);
    expect((errors[0] as L2tpError).code).toBe('TRANSPORT');
  });
});

describe.skipIf(noXl2tpd !== undefined)(titled('tunnel authentication against xl2tpd (challenge = yes)', noXl2tpd), () => {
  it('the same secret on both sides: challenges answered both ways', async () => {
    const x = await lns({ challenge: true });
    const { tunnel, wire } = await connect(x, { secret: TEST_SECRET });
    expect(tunnel.peer.challenged).toBe(true);
    expect(tunnel.peer.authenticated).toBe(true);
    // xl2tpd's SCCRP: … Challenge Response (13) then its own Challenge (11) at the end.
    expect(wire.received('SCCRP')[0]!.control!.avps.map((a) => a.type).slice(-2)).toEqual([13, 11]);
    expect(wire.sent('SCCCN')[0]!.control!.avps.map((a) => a.type)).toContain(13);
    // xl2tpd accepted our SCCCN's response: the tunnel is up on its side, and a session opens.
    await x.waitForLog(/Connection established to 127\.0\.0\.1/);
    expect(x.log()).not.toMatch(/Invalid challenge authentication/);
    const s = await tunnel.openSession();
    expect(s.peerId).toBeGreaterThan(0);
  });

  it('a wrong secret: we find xl2tpd’s Challenge Response wrong, reject with AUTH_FAILED and send StopCCN result 4', async () => {
    const x = await lns({ challenge: true });
    const { error, wire } = await connectFails(x, { secret: 'not-the-secret' });
    expect(error).toBeInstanceOf(L2tpError);
    expect((error as L2tpError).code).toBe('AUTH_FAILED');
    const stop = wire.sent('StopCCN')[0]!;
    expect(stop.control!.resultCode?.result).toBe(4);
    await x.waitForLog(/result_code_avp: peer closing for reason 4/);
  });

  it('no secret on our side: xl2tpd’s challenge is refused with StopCCN result 4 (AUTH_FAILED)', async () => {
    const x = await lns({ challenge: true });
    const { error, wire } = await connectFails(x, {});
    expect(error).toBeInstanceOf(L2tpError);
    expect((error as L2tpError).code).toBe('AUTH_FAILED');
    expect(wire.sent('StopCCN')[0]!.control!.resultCode?.result).toBe(4);
    await x.waitForLog(/result_code_avp: peer closing for reason 4/);
  });

  it('xl2tpd with the wrong secret in its file rejects our SCCCN (as we reject its SCCRP first)', async () => {
    const x = await lns({ challenge: true, secret: 'xl2tpd-has-another-secret' });
    const { error } = await connectFails(x, { secret: TEST_SECRET });
    expect((error as L2tpError).code).toBe('AUTH_FAILED');
  });
});

describe.skipIf(noXl2tpd !== undefined)(titled('hidden AVPs against xl2tpd', noXl2tpd), () => {
  it('hidden bit = yes on xl2tpd: a Random Vector right after Message Type in every message, nothing actually hidden', async () => {
    const x = await lns({ hidden: true, challenge: true });
    const { tunnel, wire } = await connect(x, { secret: TEST_SECRET });
    const sccrp = wire.received('SCCRP')[0]!;
    expect(sccrp.control!.avps[1]!.type).toBe(36);
    expect(sccrp.control!.avps.filter((a) => a.hidden)).toEqual([]);
    const s = await tunnel.openSession();
    const icrp = wire.received('ICRP')[0]!;
    expect(icrp.control!.avps.map((a) => a.type)).toEqual([0, 36, 14]);
    expect(icrp.control!.assignedSessionId).toBe(s.peerId);
  });

  it('our client with hideAvps: SCCRQ in the clear (xl2tpd loads the secret only after it), then hidden AVPs xl2tpd unhides: tunnel and session up', async () => {
    const x = await lns({ challenge: true });
    const { tunnel, wire } = await connect(x, { secret: TEST_SECRET, hideAvps: true }, TEST_SECRET);
    expect(tunnel.peer.authenticated).toBe(true);
    expect(wire.sent('SCCRQ')[0]!.control!.avps.some((a) => a.hidden || a.type === 36)).toBe(false);
    // SCCCN: Random Vector, then the hidden Challenge Response xl2tpd accepted.
    const cn = wire.sent('SCCCN')[0]!.control!;
    expect(cn.avps[1]!.type).toBe(36);
    expect(cn.avps.filter((a) => a.hidden).map((a) => a.type)).toEqual([13]);
    const session = await tunnel.openSession();
    // ICRQ with hidden Assigned Session ID (14) and Call Serial Number (15): xl2tpd used our ID.
    const icrq = wire.sent('ICRQ')[0]!.control!;
    expect(icrq.avps.filter((a) => a.hidden).map((a) => a.type)).toEqual(expect.arrayContaining([14, 15]));
    expect(wire.received('ICRP')[0]!.sessionId).toBe(session.localId);
    await x.waitForLog(new RegExp(`Remote: ${session.localId}, Serial: \\d+`));
    expect(x.log()).not.toMatch(/Invalid Hidden AVP/);
  });
});

describe.skipIf(noXl2tpd !== undefined)(titled('probe() and establishSession() against xl2tpd', noXl2tpd), () => {
  it('probe(): SCCRQ → SCCRP → SCCCN → StopCCN, with what xl2tpd says about itself', async () => {
    const x = await lns({ hostName: 'probe-me' });
    const wire = tap(await udpTransport({ host: '127.0.0.1', port: x.port }));
    const r = await probe(wire.transport, { hostName: 'l2tp-wire-probe', timeout: 3000 });
    expect(r.success).toBe(true);
    expect(r.peerHostname).toBe('probe-me');
    expect(r.vendorName).toBe('xelerance.com');
    expect(r.firmwareRevision).toBe(0x0690);
    expect(r.framingCapabilities).toBe(3);
    expect(r.bearerCapabilities).toBe(0);
    expect(r.receiveWindowSize).toBe(4);
    expect(r.protocolVersion).toBe('1.0');
    expect(r.challenged).toBe(false);
    expect(r.assignedTunnelId).toBeGreaterThan(0);
    expect(r.rtt).toBeGreaterThan(0);
    expect(wire.log.filter((m) => m.name !== 'ZLB').map((m) => `${m.dir} ${m.name}`)).toEqual(['out SCCRQ', 'in SCCRP', 'out SCCCN', 'out StopCCN']);
    await x.waitForLog(new RegExp(`Connection closed to 127\\.0\\.0\\.1, port \\d+ \\([^)]*\\), Local: ${r.assignedTunnelId}, Remote: ${r.tunnelId}`));
  });

  it('probe() of a challenge = yes xl2tpd without a secret: not a success, but its SCCRP is reported', async () => {
    const x = await lns({ hostName: 'locked', challenge: true });
    const r = await probe(await udpTransport({ host: '127.0.0.1', port: x.port }), { timeout: 3000 });
    expect(r.success).toBe(false);
    expect(r.challenged).toBe(true);
    expect(r.error?.code).toBe('AUTH_FAILED');
    expect(r.peerHostname).toBe('locked');
    expect(r.vendorName).toBe('xelerance.com');
  });

  it('establishSession(): tunnel + session in one step; then xl2tpd’s CDN 1 (no pppd)', async () => {
    const x = await lns();
    const transport = await udpTransport({ host: '127.0.0.1', port: x.port });
    const t0 = performance.now();
    const r = await establishSession(transport, { timeout: 3000 });
    const elapsed = performance.now() - t0;
    expect(r.success).toBe(true);
    tunnels.push(r.tunnel!);
    expect(r.peerHostname).toBe('xl2tpd-lns');
    expect(r.vendorName).toBe('xelerance.com');
    expect(r.localSessionId).toBeGreaterThan(0);
    expect(r.peerSessionId).toBeGreaterThan(0);
    expect(r.latencyMs).toBeGreaterThanOrEqual(r.rtt);
    expect(r.latencyMs).toBeLessThanOrEqual(elapsed);
    const down = await r.session!.closed;
    expect(down.by).toBe('peer');
    expect(down.result).toEqual({ result: 1, error: 0 });
  });
});

describe.skipIf(noXl2tpd !== undefined || noFakePppd !== undefined)(titled('with a fake pppd (unshare -m + bind mount; sessions stay up and carry data)', noXl2tpd ?? noFakePppd), () => {
  it('our client ↔ xl2tpd LNS: the fake pppd’s LCP Configure-Request reaches us, and our frame is echoed back', async () => {
    const x = await lns({ fakePppd: true });
    const { tunnel, wire } = await connect(x);
    const session = await tunnel.openSession();
    const frames: Uint8Array[] = [];
    session.onFrame((f) => frames.push(f.slice()));
    // The fake pppd writes an async-HDLC LCP Configure-Request; xl2tpd unescapes it, drops the FCS
    // and sends it as a DATA message with address/control ff 03 (see test/vectors/data.*).
    const lcp = 'ff03c0210101000e010405dc050611223344';
    const first = await wire.waitFor((m) => m.dir === 'in' && m.name === 'DATA', 3000);
    expect(first.sessionId).toBe(session.localId);
    for (let i = 0; i < 100 && frames.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(Buffer.from(frames[0]!).toString('hex')).toBe(lcp);
    // A frame of ours (an LCP Echo-Request with bytes that need HDLC escaping: 7e, 7d, < 0x20)
    // goes through xl2tpd's HDLC framing to the pty, the fake pppd echoes it, xl2tpd unframes it.
    const ours = Uint8Array.from(Buffer.from('ff03c021090700100000000000017e7d1f20', 'hex'));
    await session.send(ours);
    const back = await wire.waitFor((m) => m.dir === 'in' && m.name === 'DATA' && m.bytes.length > 0 && Buffer.from(m.bytes).includes(Buffer.from('7e7d1f20', 'hex')), 3000);
    expect(back.sessionId).toBe(session.localId);
    for (let i = 0; i < 100 && frames.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(frames.map((f) => Buffer.from(f).toString('hex'))).toContain(Buffer.from(ours).toString('hex'));
    // The session is still up (no CDN): pppd is alive.
    expect(session.state).toBe('up');
    expect(wire.received('CDN')).toEqual([]);
    // Our CDN hangs it up; xl2tpd stops "pppd".
    await session.close();
    await x.waitForLog(/Terminating pppd: sending TERM signal to pid \d+/, 2000);
    // What xl2tpd wrote to the pty for our frame: async HDLC with every control character escaped
    // (ACCM all ones), 7e → 7d 5e, 7d → 7d 5d, and its FCS-16 (c0 ba), between 7e flags.
    expect(x.pppdLogs().join('\n')).toContain('recv 7eff7d23c0217d297d277d207d307d207d207d207d207d207d217d5e7d5d7d3f20c0ba7e');
  });
});
