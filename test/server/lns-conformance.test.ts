/**
 * The conformance observer inside the LNS (issue 15 §2): the prober-style LAC — an ICRQ with
 * Minimum/Maximum BPS marked mandatory (RFC 2661 §6.6: they belong to OCRQ) whose Nr acknowledges
 * messages never sent (§5.8) — under each policy. Expected rules and codes come from the RFC text
 * (§4.4.2: Result Code 2 "General error", Error Code 8 "unknown mandatory AVP").
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatReport, type ConformanceObserver, type ConformanceReport, type Deviation } from '../../src/index.js';
import { createLns, type Lns, type LnsOptions } from '../../src/node.js';
import { BadLac, LAC_SESSION } from './lns-conformance-lac.js';

let lns: Lns | undefined;
let lac: BadLac | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await lns?.close();
  await lac?.close();
  lns = lac = undefined;
});

interface Seen {
  lns: Lns;
  lac: BadLac;
  deviations: Deviation[];
  reports: ConformanceReport[];
  events: string[];
}

async function start(o: Partial<LnsOptions>, cards = true): Promise<Seen> {
  lns = await createLns({ hostName: 'lns.test', port: 0, closeTimeout: 200, sequencer: { closeLinger: 150 }, ...o });
  lac = await BadLac.open(lns.address().port);
  const s: Seen = { lns, lac, deviations: [], reports: [], events: [] };
  lns.on('deviation', (t, d) => {
    expect(t.id).toBe(d.tunnelId ?? t.id);
    s.deviations.push(d);
  });
  if (cards) listenCards(s);
  for (const e of ['tunnel-up', 'session-up', 'session-down', 'tunnel-down'] as const) lns.on(e, () => s.events.push(e));
  return s;
}

function listenCards(s: Seen): void {
  s.lns.on('conformance-report', (_t, r) => {
    s.events.push('conformance-report');
    s.reports.push(r);
  });
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`never: ${what}`);
};

/** Tunnel, the bad ICRQ, then (unless refused) ICCN and StopCCN. */
async function session(s: Seen): Promise<{ icrp: Awaited<ReturnType<BadLac['next']>> }> {
  await s.lac.openTunnel();
  await until(() => s.events.includes('tunnel-up'), 'tunnel-up');
  s.lac.badIcrq();
  const icrp = await s.lac.next(11);
  return { icrp };
}

describe('createLns({ conformance })', () => {
  it("'report' (the default): the call comes up AND each deviation is an event, counted in stats; the tunnel ends with its report card", async () => {
    const s = await start({});
    const { icrp } = await session(s);
    s.lac.iccn(icrp.message!.assignedSessionId!);
    await until(() => s.events.includes('session-up'), 'session-up');
    expect(s.deviations.map((d) => [d.rule, d.severity, d.messageType, d.avp])).toEqual([
      ['avp.not-allowed', 'MUST', 'ICRQ', 'Minimum BPS'],
      ['avp.not-allowed', 'MUST', 'ICRQ', 'Maximum BPS'],
      ['seq.nr-unsent', 'MUST', 'ICRQ', undefined],
    ]);
    expect(s.deviations[0]).toMatchObject({ section: 'RFC 2661 §6.6', sessionId: 0, peerSessionId: LAC_SESSION, ns: 2, tunnelId: s.lac.lnsTunnel });
    expect(s.deviations[2]!.detail).toMatch(/Nr 3/);
    expect(s.lns.stats).toMatchObject({ deviations: 3, deviationsMust: 3, sessions: 1 });
    expect(JSON.parse(JSON.stringify(s.deviations))).toEqual(s.deviations);

    s.lac.stop(4, 2);
    await until(() => s.reports.length === 1, 'conformance-report');
    // After the tunnel-down, once.
    expect(s.events.slice(-2)).toEqual(['tunnel-down', 'conformance-report']);
    const r = s.reports[0]!;
    expect(r.verdict).toBe('fail');
    expect(r.counts.must).toBe(3);
    expect(r.peerHostName).toBe('test-lac');
    expect(r.peerMessages).toMatchObject({ SCCRQ: 1, SCCCN: 1, ICRQ: 1, ICCN: 1, StopCCN: 1 });
    expect(formatReport(r).join('\n')).toMatch(/BROKEN MUST +avp\.not-allowed \(RFC 2661 §6\) ×2/);
    await new Promise((res) => setTimeout(res, 250)); // the linger ends: still one card
    expect(s.reports.length).toBe(1);
  });

  it("'strict': the call is refused as xl2tpd would, CDN result 2, error 8, naming the AVP and the rule; the tunnel stays", async () => {
    const s = await start({ conformance: 'strict' });
    const { icrp } = await session(s);
    const cdn = await s.lac.next(14);
    expect(cdn.sessionId).toBe(LAC_SESSION);
    expect(cdn.message!.assignedSessionId).toBe(icrp.message!.assignedSessionId);
    const rc = cdn.message!.resultCode!;
    expect(rc).toMatchObject({ result: 2, error: 8 });
    expect(rc.message).toMatch(/^Minimum BPS with M=1 is not an AVP of ICRQ/);
    expect(rc.message).toContain('RFC 2661 §6.6');
    s.lac.ack(3, 3);
    expect(s.events).not.toContain('session-up');
    expect(s.lns.stats).toMatchObject({ deviationsMust: 3, sessions: 0, established: 1 });
    expect(s.lns.tunnels()[0]!.state).toBe('established');
  });

  it("'strict': a fault in a tunnel message (a Hello carrying Host Name with M=1, §6.5) ends the tunnel: StopCCN result 2, error 8", async () => {
    const s = await start({ conformance: 'strict' });
    await s.lac.openTunnel();
    await until(() => s.events.includes('tunnel-up'), 'tunnel-up');
    const { ascii, avp, ctl, mt } = await import('../conformance/lac-bytes.js');
    s.lac.send(ctl(s.lac.lnsTunnel, 0, 2, 1, [mt(6), avp(7, ascii('lac'))]));
    const stop = await s.lac.next(4);
    expect(stop.message!.resultCode).toMatchObject({ result: 2, error: 8 });
    expect(stop.message!.resultCode!.message).toMatch(/^Host Name with M=1 is not an AVP of HELLO/);
    expect(stop.message!.resultCode!.message).toContain('RFC 2661 §6');
    expect(s.deviations.map((d) => d.rule)).toEqual(['avp.not-allowed']);
    await until(() => s.events.includes('tunnel-down'), 'tunnel-down');
  });

  it("'lenient': the call comes up and nothing is reported, nothing counted, no report card", async () => {
    const s = await start({ conformance: 'lenient' });
    const { icrp } = await session(s);
    s.lac.iccn(icrp.message!.assignedSessionId!);
    await until(() => s.events.includes('session-up'), 'session-up');
    s.lac.stop(4, 2);
    await until(() => s.events.includes('tunnel-down'), 'tunnel-down');
    await new Promise((res) => setTimeout(res, 250));
    expect(s.deviations).toEqual([]);
    expect(s.reports).toEqual([]);
    expect(s.lns.stats).toMatchObject({ deviations: 0, deviationsMust: 0 });
  });

  it("'report' with no conformance-report listener when the tunnel opened: deviations are still events, but the tunnel keeps no report card (issue 16: memory)", async () => {
    const s = await start({}, false);
    const { icrp } = await session(s);
    listenCards(s); // too late for this tunnel
    s.lac.iccn(icrp.message!.assignedSessionId!);
    await until(() => s.events.includes('session-up'), 'session-up');
    expect(s.deviations.map((d) => d.rule)).toEqual(['avp.not-allowed', 'avp.not-allowed', 'seq.nr-unsent']);
    s.lac.stop(4, 2);
    await until(() => s.events.includes('tunnel-down'), 'tunnel-down');
    await new Promise((res) => setTimeout(res, 250));
    expect(s.reports).toEqual([]);
    expect(s.lns.stats).toMatchObject({ deviations: 3, deviationsMust: 3 });
  });

  it("'report': a quiet tunnel's observer forgets the peer's messages when their retransmission cycle ends (the LNS arms that deadline), and judges the next message as before (issue 16: memory)", async () => {
    // Virtual clock for the LNS's timer; real loopback UDP.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const s = await start({ helloInterval: 0 }, false);
    await s.lac.openTunnel();
    await vi.waitUntil(() => s.events.includes('tunnel-up'), { interval: 1 });
    const observer = () => (s.lns.tunnels()[0] as unknown as { conformance: ConformanceObserver }).conformance;
    // The peer's SCCRQ and SCCCN are remembered for a cycle: a retransmission that differs is caught (§5.8)…
    expect(observer().nextDeadline()).toBeGreaterThan(31_000);
    await vi.advanceTimersByTimeAsync(31_100);
    // …then nothing waits. No Hello (helloInterval 0): only the observer's own deadline ticked it.
    expect(observer().nextDeadline()).toBeUndefined();
    s.lac.badIcrq();
    const icrp = await s.lac.next(11);
    s.lac.iccn(icrp.message!.assignedSessionId!);
    await vi.waitUntil(() => s.events.includes('session-up'), { interval: 1 });
    // What it packed away (our next Ns, that we sent at all) still judges the ICRQ's Nr.
    expect(s.deviations.map((d) => d.rule)).toEqual(['avp.not-allowed', 'avp.not-allowed', 'seq.nr-unsent']);
    expect(s.deviations[2]!.detail).toMatch(/^Nr 3 acknowledges 2 message\(s\) past our last \(we sent up to Ns 0\)$/);
    vi.useRealTimers();
  });

  it('a policy other than the three is a RangeError naming them', async () => {
    await expect(createLns({ hostName: 'x', port: 0, conformance: 'loose' as never })).rejects.toThrow(/'strict', 'report' or 'lenient'/);
  });
});
