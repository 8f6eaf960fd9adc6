/**
 * Interop (2): a real xl2tpd 1.3.18 as LAC (`[lac NAME]`, autodial) against our embedded LNS
 * (`createLns`) on 127.0.0.1. xl2tpd opens the tunnel and places one incoming call; we check what
 * our LNS reports (events, peer info) and what xl2tpd logs. pppd cannot run here, so xl2tpd hangs
 * its call up with CDN result 1 right after ICCN (see docs/interop.md); the tunnel stays up.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLns } from '../../src/server/index.js';
import type { DownReason, Lns, LnsOptions, LnsSession, LnsTunnel } from '../../src/server/lns-types.js';
import { fakePppdProblem, titled, xl2tpdProblem, startXl2tpd, stopAll, TEST_SECRET, type Xl2tpd, type Xl2tpdOptions } from './xl2tpd.js';

/** Set only with L2TP_WIRE_NO_XL2TPD=1 and no xl2tpd: the blocks below are then reported skipped, with this reason. */
const noXl2tpd = xl2tpdProblem();
/** Why xl2tpd cannot run with the fake pppd here (no root / no unshare -m), if it cannot. */
const noFakePppd = noXl2tpd === undefined ? fakePppdProblem() : undefined;

/** Our LNS with every event recorded, and promises for the first of each. */
interface Watched {
  lns: Lns;
  port: number;
  events: string[];
  tunnelUp: Promise<LnsTunnel>;
  tunnelDown: Promise<[LnsTunnel, DownReason]>;
  sessionUp: Promise<LnsSession>;
  sessionDown: Promise<[LnsSession, DownReason]>;
}

const lnses: Lns[] = [];
const started: Xl2tpd[] = [];
afterEach(async () => {
  // LNS first: xl2tpd is still there to ack its StopCCNs, so close() returns at once.
  await Promise.all(lnses.splice(0).map((l) => l.close()));
  await Promise.all(started.splice(0).map((x) => x.stop('SIGTERM')));
});
afterAll(() => stopAll());

async function ourLns(o: Partial<LnsOptions> = {}): Promise<Watched> {
  const lns = await createLns({ hostName: 'l2tp-wire-lns', port: 0, closeTimeout: 2000, ...o });
  lnses.push(lns);
  const events: string[] = [];
  const first = <A extends unknown[]>(name: 'tunnel-up' | 'tunnel-down' | 'session-up' | 'session-down', pick: (...a: A) => unknown) =>
    new Promise<never>((res) => {
      let done = false;
      lns.on(name, ((...a: A) => {
        events.push(name);
        if (!done) {
          done = true;
          res(pick(...a) as never);
        }
      }) as never);
    });
  return {
    lns,
    port: lns.address().port,
    events,
    tunnelUp: first('tunnel-up', (t: LnsTunnel) => t),
    tunnelDown: first('tunnel-down', (t: LnsTunnel, w: DownReason) => [t, w]),
    sessionUp: first('session-up', (s: LnsSession) => s),
    sessionDown: first('session-down', (s: LnsSession, w: DownReason) => [s, w]),
  };
}

async function lac(lnsPort: number, o: Partial<Xl2tpdOptions> = {}): Promise<Xl2tpd> {
  const x = await startXl2tpd({ role: 'lac', hostName: 'xl2tpd-lac', lnsPort, ...o });
  started.push(x);
  return x;
}

function within<T>(p: Promise<T>, ms: number, what: string, x?: Xl2tpd): Promise<T> {
  return Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what}: nothing within ${ms} ms${x ? `; xl2tpd log:\n${x.log()}` : ''}`)), ms))]);
}

describe.skipIf(noXl2tpd !== undefined)(titled('xl2tpd LAC → our LNS', noXl2tpd), () => {
  it('tunnel and session come up; xl2tpd hangs the call up (CDN 1, pppd); SIGINT → its StopCCN reaches us', async () => {
    const w = await ourLns();
    const x = await lac(w.port, { hostName: 'interop-lac' });
    const t = await within(w.tunnelUp, 3000, 'tunnel-up', x);
    const p = t.peer!;
    expect(p.hostName).toBe('interop-lac');
    expect(p.vendorName).toBe('xelerance.com');
    expect(p.firmwareRevision).toBe(0x0690);
    expect(p.framingCapabilities).toBe(3);
    expect(p.bearerCapabilities).toBe(0);
    expect(p.receiveWindowSize).toBe(4);
    expect(p.role).toBe('responder');
    expect(t.remote).toEqual({ address: '127.0.0.1', port: x.port });
    await x.waitForLog(new RegExp(`Connection established to 127\\.0\\.0\\.1, ${w.port}\\.  Local: ${p.assignedTunnelId}, Remote: ${t.id}`));
    // xl2tpd's ICRQ/ICCN as it sends them (serial 1, bearer 0; Tx speed 0, framing 1 = sync, Rx 0).
    const s = await within(w.sessionUp, 3000, 'session-up', x);
    expect(s.kind).toBe('incoming');
    expect(s.tunnel.id).toBe(t.id);
    expect(s.call.callSerialNumber).toBe(1);
    expect(s.call.bearerType).toBe(0);
    expect(s.call.txConnectSpeed).toBe(0);
    expect(s.call.framingType).toBe(1);
    expect(s.call.rxConnectSpeed).toBe(0);
    await x.waitForLog(new RegExp(`Call established with 127\\.0\\.0\\.1, Local: ${s.peerId}, Remote: ${s.id}, Serial: 1`));
    // No /dev/ppp: xl2tpd's pppd exits at once and xl2tpd sends CDN result 1, error 0.
    const [ds, why] = await within(w.sessionDown, 3000, 'session-down', x);
    expect(ds.id).toBe(s.id);
    expect(why.by).toBe('peer');
    expect(why.result).toEqual({ result: 1, error: 0 });
    expect(ds.closed).toBe(true);
    expect(t.state).toBe('established');
    expect(w.lns.stats.established).toBe(1);
    // SIGINT: xl2tpd sends StopCCN result 1 "Server closing"; our LNS acks and drops the tunnel.
    await x.stop('SIGINT');
    const [dt, whyT] = await within(w.tunnelDown, 3000, 'tunnel-down', x);
    expect(dt.id).toBe(t.id);
    expect(whyT.by).toBe('peer');
    expect(whyT.result).toEqual({ result: 1, error: 0, message: 'Server closing' });
    expect(w.lns.stats.established).toBe(0);
    expect(w.events).toEqual(['tunnel-up', 'session-up', 'session-down', 'tunnel-down']);
  });

  it('lns.close() sends StopCCN result 6 to xl2tpd, which acks and logs it', async () => {
    // closeTimeout past the test timeout: close() can only resolve because xl2tpd acked the StopCCN.
    const w = await ourLns({ closeTimeout: 600_000 });
    const x = await lac(w.port);
    const t = await within(w.tunnelUp, 3000, 'tunnel-up', x);
    await w.lns.close();
    const [dt, why] = await w.tunnelDown;
    expect(dt.id).toBe(t.id);
    expect(why.by).toBe('local');
    expect(why.result?.result).toBe(6);
    await x.waitForLog(/message type 4 \(Stop-Control-Connection-Notification\)/);
    await x.waitForLog(/result_code_avp: peer closing for reason 6/);
    await x.waitForLog(new RegExp(`Connection closed to 127\\.0\\.0\\.1, port ${w.port}`));
  });

  it('our LNS’s HELLO is answered by xl2tpd (the tunnel stays up, xl2tpd logs it)', async () => {
    const w = await ourLns();
    const x = await lac(w.port);
    const t = await within(w.tunnelUp, 3000, 'tunnel-up', x);
    const from = x.mark();
    t.hello();
    await x.waitForLog(/message type 6 \(Hello\)/, 2000, from);
    // xl2tpd acks it with a ZLB; had it not, the LNS would retransmit and finally drop the tunnel.
    await new Promise((r) => setTimeout(r, 200));
    expect(t.state).toBe('established');
    expect(w.events).not.toContain('tunnel-down');
  });

  it('tunnel.close() on our side: xl2tpd LAC logs our StopCCN (result 1)', async () => {
    const w = await ourLns();
    const x = await lac(w.port);
    const t = await within(w.tunnelUp, 3000, 'tunnel-up', x);
    t.close();
    const [, why] = await within(w.tunnelDown, 3000, 'tunnel-down', x);
    expect(why.by).toBe('local');
    await x.waitForLog(/result_code_avp: peer closing for reason 1/);
  });
});

describe.skipIf(noXl2tpd !== undefined)(titled('xl2tpd LAC → our LNS with a tunnel secret', noXl2tpd), () => {
  it('both challenge (xl2tpd challenge = yes, our secret): both responses right, tunnel and session up', async () => {
    const w = await ourLns({ secret: TEST_SECRET });
    const x = await lac(w.port, { challenge: true });
    const t = await within(w.tunnelUp, 3000, 'tunnel-up', x);
    expect(t.peer!.challenged).toBe(true);
    expect(t.peer!.authenticated).toBe(true);
    await within(w.sessionUp, 3000, 'session-up', x);
    expect(x.log()).not.toMatch(/Invalid (challenge )?authentication/);
  });

  it('only we challenge (xl2tpd challenge = no, secret in its file): xl2tpd answers and the tunnel comes up', async () => {
    const w = await ourLns({ secret: TEST_SECRET });
    const x = await lac(w.port, { challenge: false });
    const t = await within(w.tunnelUp, 3000, 'tunnel-up', x);
    expect(t.peer!.challenged).toBe(false);
    expect(t.peer!.authenticated).toBe(true);
    await within(w.sessionUp, 3000, 'session-up', x);
  });

  it('different secrets: xl2tpd finds our Challenge Response wrong and sends StopCCN 2/6; no tunnel comes up on our side', async () => {
    const w = await ourLns({ secret: TEST_SECRET });
    const x = await lac(w.port, { challenge: true, secret: 'xl2tpd-has-another-secret' });
    // xl2tpd checks our SCCRP's Challenge Response first, refuses it, and sends a ZLB then a
    // StopCCN (result 2, error 6, "Invalid challenge authentication"; seen with tshark).
    await x.waitForLog(/control_finish: Invalid authentication for host 'l2tp-wire-lns'/, 3000);
    await x.waitForLog(/closed to 127\.0\.0\.1, port \d+ \(Invalid challenge authentication\)/, 3000);
    // Our LNS acks the StopCCN; the half-open tunnel then lingers ('closing', to re-ack a
    // retransmitted StopCCN, RFC 2661 §5.8) or is gone. It never reports a tunnel that was not
    // up, so there is no tunnel-up/tunnel-down event: only the counters show it.
    const end = Date.now() + 2000;
    const pending = () => w.lns.tunnels().filter((t) => t.state !== 'closing' && t.state !== 'closed');
    while (pending().length !== 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(pending()).toEqual([]);
    expect(w.lns.stats.established).toBe(0);
    expect(w.lns.stats.tunnelsOpened).toBe(0);
    expect(w.events).toEqual([]);
  });

  it('hidden bit = yes on xl2tpd (Random Vector in every message, nothing actually hidden): tunnel and session up', async () => {
    const w = await ourLns({ secret: TEST_SECRET });
    const x = await lac(w.port, { challenge: true, hidden: true });
    const t = await within(w.tunnelUp, 3000, 'tunnel-up', x);
    expect(t.peer!.authenticated).toBe(true);
    await within(w.sessionUp, 3000, 'session-up', x);
  });

  it('our LNS with hideAvps: SCCRP in the clear (xl2tpd has no secret loaded yet), later AVPs hidden: tunnel and session up', async () => {
    const w = await ourLns({ secret: TEST_SECRET, hideAvps: true });
    const x = await lac(w.port, { challenge: true });
    const t = await within(w.tunnelUp, 3000, 'tunnel-up', x);
    expect(t.peer!.authenticated).toBe(true);
    await within(w.sessionUp, 3000, 'session-up', x);
    expect(x.log()).not.toMatch(/Invalid Hidden AVP/);
  });
});

describe.skipIf(noXl2tpd !== undefined || noFakePppd !== undefined)(titled('xl2tpd LAC (fake pppd) → our LNS: data both ways', noXl2tpd ?? noFakePppd), () => {
  it('the fake pppd’s LCP Configure-Request arrives on our session; a frame we send comes back echoed', async () => {
    const w = await ourLns();
    const x = await lac(w.port, { fakePppd: true });
    const s = await within(w.sessionUp, 3000, 'session-up', x);
    const it = s.frames();
    const next = async () => {
      const r = await within(it.next(), 3000, 'frame', x);
      expect(r.done).toBe(false);
      return Buffer.from(r.value as Uint8Array).toString('hex');
    };
    // xl2tpd's DATA message: PPP with address/control ff 03, HDLC unescaped, FCS removed.
    expect(await next()).toBe('ff03c0210101000e010405dc050611223344');
    const ours = 'ff03c021090700100000000000017e7d1f20';
    await s.send(Uint8Array.from(Buffer.from(ours, 'hex')));
    expect(await next()).toBe(ours);
    expect(x.pppdLogs().join('\n')).toContain('recv 7eff7d23c0217d297d277d207d307d207d207d207d207d207d217d5e7d5d7d3f20c0ba7e');
    expect(s.closed).toBe(false);
    expect(w.lns.stats.framesIn).toBe(2);
    expect(w.lns.stats.framesOut).toBe(1);
    // Our CDN: xl2tpd stops its pppd.
    s.close();
    const [, why] = await within(w.sessionDown, 3000, 'session-down', x);
    expect(why.by).toBe('local');
    await x.waitForLog(/Terminating pppd: sending TERM signal to pid \d+|message type 14 \(Call-Disconnect-Notify\)/, 2000);
  });
});
