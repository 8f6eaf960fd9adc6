/**
 * A real xl2tpd 1.3.18 as LAC against our LNS (createLns), watched by the conformance observer
 * through a UDP tap in between: tunnel, call (hung up by xl2tpd: no pppd here, CDN result 1),
 * StopCCN on SIGINT. xl2tpd must come out with no deviation at all. Skipped (reported by the
 * runner) only when xl2tpd is missing and L2TP_WIRE_NO_XL2TPD=1 says so knowingly.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { formatReport } from '../../src/conformance/index.js';
import { createLns } from '../../src/server/index.js';
import type { Lns } from '../../src/server/lns-types.js';
import { requireXl2tpd, startXl2tpd, stopAll, TEST_SECRET, type Xl2tpd } from '../interop/xl2tpd.js';
import { udpTap, type UdpTap } from './udp-tap.js';

const enabled = requireXl2tpd();
const lnses: Lns[] = [];
const taps: UdpTap[] = [];
const lacs: Xl2tpd[] = [];
afterEach(async () => {
  await Promise.all(lnses.splice(0).map((l) => l.close()));
  await Promise.all(lacs.splice(0).map((x) => x.stop('SIGTERM')));
  await Promise.all(taps.splice(0).map((t) => t.close()));
});
afterAll(() => stopAll());

/** Resolve on the first `name` event, or fail after `ms` (a guard against hangs, not a measured bound). */
function next(lns: Lns, name: 'tunnel-up' | 'tunnel-down' | 'session-up' | 'session-down', ms: number, x: () => Xl2tpd | undefined): Promise<void> {
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${name}: nothing within ${ms} ms; xl2tpd log:\n${x()?.log() ?? '(not started)'}`)), ms);
    lns.on(name, (() => {
      clearTimeout(t);
      res();
    }) as never);
  });
}

describe.runIf(enabled)('xl2tpd LAC → tap → our LNS: the observer finds no deviation', () => {
  it.each([
    ['plain', {}, {}],
    ['challenge both ways, hidden bit = yes', { secret: TEST_SECRET }, { challenge: true, hidden: true }],
  ] as const)('%s', async (_, lnsOpts, lacOpts) => {
    const lns = await createLns({ hostName: 'l2tp-wire-lns', port: 0, closeTimeout: 2000, ...lnsOpts });
    lnses.push(lns);
    const tap = await udpTap(lns.address().port, { secret: TEST_SECRET });
    taps.push(tap);
    // Listen before xl2tpd starts: it dials at once and may be up before startXl2tpd resolves.
    let started: Xl2tpd | undefined;
    const up = next(lns, 'tunnel-up', 10_000, () => started);
    const callDown = next(lns, 'session-down', 10_000, () => started);
    const x = await startXl2tpd({ role: 'lac', hostName: 'xl2tpd-lac', lnsPort: tap.port, ...lacOpts });
    started = x;
    lacs.push(x);
    await up;
    await callDown; // xl2tpd's pppd cannot run here: it hangs the call up with CDN result 1
    const down = next(lns, 'tunnel-down', 5000, () => x);
    await x.stop('SIGINT'); // StopCCN "Server closing"
    await down;
    await new Promise((r) => setTimeout(r, 100)); // our ZLB ack reaches the tap
    const card = tap.observer.report(performance.now());
    if (process.env.CARD) console.log(formatReport(card).join('\n'), JSON.stringify(card.peerMessages), tap.counts);
    expect(card.deviations, formatReport(card).join('\n')).toEqual([]);
    expect(card.verdict).toBe('pass');
    expect(card.peerHostName).toBe('xl2tpd-lac');
    expect(card.peerMessages).toMatchObject({ SCCRQ: 1, SCCCN: 1, ICRQ: 1, ICCN: 1, CDN: 1, StopCCN: 1 });
    expect(tap.counts.fromLns).toBeGreaterThanOrEqual(3); // SCCRP, ICRP and acks went through the tap
    for (const id of ['avp.not-allowed', 'avp.missing-required', 'avp.m-bit', 'seq.nr-unsent', 'header.session-id', 'ack.missing']) {
      expect(card.rules.find((r) => r.rule === id)!.status).toBe('kept');
    }
  });
});
