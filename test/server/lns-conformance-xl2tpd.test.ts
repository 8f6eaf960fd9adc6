/**
 * A real xl2tpd 1.3.18 as LAC against our LNS with its built-in observer (`conformance:
 * 'report'`, the default; no tap): tunnel, a call xl2tpd hangs up (no pppd here: CDN result 1),
 * StopCCN on SIGINT. A real, RFC-abiding peer: no MUST-level deviation, counted or reported, and
 * its report card says so. Skipped (reported by the runner) only when xl2tpd is missing and
 * L2TP_WIRE_NO_XL2TPD=1 says so knowingly.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { formatReport, type ConformanceReport, type Deviation } from '../../src/index.js';
import { createLns, type Lns } from '../../src/node.js';
import { requireXl2tpd, startXl2tpd, stopAll, TEST_SECRET, type Xl2tpd } from '../interop/xl2tpd.js';

const enabled = requireXl2tpd();
const lnses: Lns[] = [];
const lacs: Xl2tpd[] = [];
afterEach(async () => {
  await Promise.all(lnses.splice(0).map((l) => l.close()));
  await Promise.all(lacs.splice(0).map((x) => x.stop('SIGTERM')));
});
afterAll(() => stopAll());

/** Resolve on the first `name` event, or fail after `ms` (a guard against hangs, not a measured bound). */
function next(lns: Lns, name: 'tunnel-up' | 'session-down' | 'conformance-report', ms: number, x: () => Xl2tpd | undefined): Promise<void> {
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${name}: nothing within ${ms} ms; xl2tpd log:\n${x()?.log()}`)), ms);
    lns.on(name, (() => {
      clearTimeout(t);
      res();
    }) as never);
  });
}

describe.runIf(enabled)("xl2tpd LAC → our LNS (conformance: 'report'): no MUST-level deviation", () => {
  it.each([
    ['plain', {}, {}],
    ['challenge both ways, hidden AVPs', { secret: TEST_SECRET }, { challenge: true, hidden: true }],
  ] as const)('%s', async (_, lnsOpts, lacOpts) => {
    const lns = await createLns({ hostName: 'l2tp-wire-lns', port: 0, closeTimeout: 2000, ...lnsOpts });
    lnses.push(lns);
    const deviations: Deviation[] = [];
    const cards: ConformanceReport[] = [];
    lns.on('deviation', (_t, d) => deviations.push(d));
    lns.on('conformance-report', (_t, r) => cards.push(r));
    let x: Xl2tpd | undefined;
    // Listening before xl2tpd starts: it may be up before startXl2tpd resolves.
    const up = next(lns, 'tunnel-up', 5000, () => x);
    const callDown = next(lns, 'session-down', 5000, () => x);
    const card = next(lns, 'conformance-report', 8000, () => x);
    x = await startXl2tpd({ role: 'lac', hostName: 'xl2tpd-lac', lnsPort: lns.address().port, ...lacOpts });
    lacs.push(x);
    await up;
    await callDown;
    expect(cards).toEqual([]); // the tunnel is still up: no card yet
    await x.stop('SIGINT'); // StopCCN "Server closing"
    await card;
    const r = cards[0]!;
    expect(deviations.filter((d) => d.severity === 'MUST'), formatReport(r).join('\n')).toEqual([]);
    expect(lns.stats.deviationsMust).toBe(0);
    expect(r.counts.must).toBe(0);
    expect(r.peerHostName).toBe('xl2tpd-lac');
    expect(r.peerMessages).toMatchObject({ SCCRQ: 1, SCCCN: 1, ICRQ: 1, ICCN: 1, CDN: 1, StopCCN: 1 });
    for (const id of ['avp.not-allowed', 'avp.missing-required', 'avp.m-bit', 'seq.nr-unsent', 'header.session-id']) {
      expect(r.rules.find((o) => o.rule === id)!.status).toBe('kept');
    }
    if (process.env.CARD) console.log(formatReport(r).join('\n'), deviations);
  });
});
