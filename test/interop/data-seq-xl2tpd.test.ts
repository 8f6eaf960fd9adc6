/**
 * Data channel sequencing (RFC 2661 §5.4) against real xl2tpd 1.3.x as LNS, with the fake pppd
 * (sessions carry data). xl2tpd's own sequencing option ("flow bits") is documented as broken
 * (`man xl2tpd.conf`), so what is checked is how it treats ours: our LAC requiring sequencing
 * (Sequencing Required in the ICCN) and sending Ns on every data message.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import { createLns } from '../../src/server/index.js';
import type { LnsSession } from '../../src/server/lns-types.js';
import type { Tunnel } from '../../src/client/tunnel.js';
import { udpTransport } from '../../src/transports/node-udp.js';
import { fakePppdWorks, requireXl2tpd, startXl2tpd, stopAll, type Xl2tpd } from './xl2tpd.js';
import { tap } from './wire-tap.js';

const enabled = requireXl2tpd();
const started: Xl2tpd[] = [];
const tunnels: Tunnel[] = [];
afterEach(async () => {
  await Promise.all(tunnels.splice(0).map((t) => t.close(undefined, { timeout: 1000 }).catch(() => {})));
  await Promise.all(started.splice(0).map((x) => x.stop('SIGTERM')));
});
afterAll(async () => {
  await stopAll();
});

describe.runIf(enabled && fakePppdWorks())('data sequencing with xl2tpd LNS and a fake pppd (needs root for unshare -m)', () => {
  it('our LAC requires sequencing: xl2tpd takes our sequenced data, but sends its own without Ns (it ignores AVP 39)', async () => {
    const x = await startXl2tpd({ role: 'lns', hostName: 'xl2tpd-lns', fakePppd: true });
    started.push(x);
    const wire = tap(await udpTransport({ host: '127.0.0.1', port: x.port }));
    const tunnel = await openTunnel(wire.transport, { hostName: 'l2tp-wire-lac', timeout: 5000, dataSequencing: 'required' });
    tunnels.push(tunnel);
    const session = await tunnel.openSession();
    expect(wire.sent('ICCN')[0]!.control!.sequencingRequired).toBe(true);
    // The fake pppd's LCP Configure-Request, as xl2tpd frames it: 0x4002 (L=1, S=0, §3.1) — no Ns
    // although our ICCN required them (§5.4 MUST; xl2tpd's data sequencing is documented broken).
    const first = await wire.waitFor((m) => m.dir === 'in' && m.name === 'DATA', 3000);
    expect([first.bytes[0], first.bytes[1]]).toEqual([0x40, 0x02]);
    // Sequencing Required holds on our side whatever the peer's data look like.
    const ours = Uint8Array.from(Buffer.from('ff03c021090700100000000000017e7d1f20', 'hex'));
    await session.send(ours);
    const out = wire.sent('DATA');
    expect(out.map((m) => [m.bytes[0], (m.bytes[6]! << 8) | m.bytes[7]!, (m.bytes[8]! << 8) | m.bytes[9]!])).toEqual([[0x08, 0, 0]]);
    // xl2tpd reads our S=1 header (Ns/Nr skipped), hands the frame to "pppd", which echoes it.
    const back = await wire.waitFor((m) => m.dir === 'in' && m.name === 'DATA' && Buffer.from(m.bytes).includes(Buffer.from('7e7d1f20', 'hex')), 3000);
    expect(back.bytes[0]! & 0x08).toBe(0);
    for (let i = 0; i < 100 && (session.dataStats?.received ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(session.dataStats).toMatchObject({ sending: true, required: true, sent: 1, sentSequenced: 1, received: 2, dropped: 0 });
  });
});

describe.runIf(enabled && fakePppdWorks())('data sequencing with xl2tpd LAC and a fake pppd → our LNS (needs root for unshare -m)', () => {
  it("our LNS turns sequencing on: xl2tpd takes our sequenced data but does not begin sending Ns (its §5.4 MUST)", async () => {
    const lns = await createLns({ hostName: 'l2tp-wire-lns', port: 0, closeTimeout: 2000, dataSequencing: 'on' });
    try {
      const up = new Promise<LnsSession>((r) => lns.on('session-up', r));
      const x = await startXl2tpd({ role: 'lac', hostName: 'xl2tpd-lac', lnsPort: lns.address().port, fakePppd: true });
      started.push(x);
      const s = await up;
      const it = s.frames();
      const next = async () => Buffer.from((await it.next()).value as Uint8Array).toString('hex');
      // The fake pppd's LCP Configure-Request, sent before any data of ours.
      expect(await next()).toBe('ff03c0210101000e010405dc050611223344');
      const ours = 'ff03c021090700100000000000017e7d1f20';
      await s.send(Uint8Array.from(Buffer.from(ours, 'hex')));
      // xl2tpd reads our S=1 header, hands the frame to "pppd", which echoes it back to us.
      expect(await next()).toBe(ours);
      // Both of xl2tpd's data messages came without Ns, the echo too, after our S=1 data reached
      // it: xl2tpd 1.3.x does not follow the LNS as §5.4 says a LAC MUST (its sequencing is
      // documented broken). Our LNS takes them (the LAC's own sequencing is not ours to enforce).
      expect(s.dataStats).toMatchObject({ sending: true, required: false, sent: 1, sentSequenced: 1, received: 2, receivedSequenced: 0, dropped: 0 });
    } finally {
      await lns.close();
    }
  });
});
