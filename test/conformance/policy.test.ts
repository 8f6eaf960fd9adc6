/**
 * The strict / report / lenient policy: what an LNS would do about a deviation (RFC 2661 §4.1:
 * a session message's fault ends the session with CDN, a tunnel message's the tunnel with
 * StopCCN; §4.4.2: Result Code 2, General error, with an Error Code).
 */
import { describe, expect, it } from 'vitest';
import { ConformanceObserver, conformanceDecision, formatReport, type Deviation } from '../../src/conformance/index.js';
import { avp, ctl, icrqAvps, LAC_SESSION, LNS_TUNNEL, mt, sccrqAvps, u16h, u32h } from './lac-bytes.js';

function firstDeviation(...msgs: Uint8Array[]): Deviation {
  const obs = new ConformanceObserver();
  msgs.forEach((m, i) => obs.received(m, i));
  expect(obs.deviations.length).toBeGreaterThan(0);
  return obs.deviations[0]!;
}

describe('conformanceDecision', () => {
  const bpsInIcrq = firstDeviation(ctl(LNS_TUNNEL, 0, 0, 0, [...icrqAvps(), avp(16, u32h(9600))]));

  it('strict: Minimum BPS in an ICRQ ends that call: CDN, result 2, error 8, naming the AVP and the rule', () => {
    const d = conformanceDecision(bpsInIcrq, 'strict');
    expect(d).toMatchObject({ action: 'cdn', sessionId: 0, peerSessionId: LAC_SESSION, resultCode: { result: 2, error: 8 } });
    if (d.action !== 'cdn') throw new Error('unreachable');
    expect(d.resultCode.message).toMatch(/^Minimum BPS with M=1 is not an AVP of ICRQ/);
    expect(d.resultCode.message).toContain('RFC 2661 §6.6');
  });

  it('strict: Assigned Tunnel ID 0 in an SCCRQ ends the tunnel: StopCCN, result 2, error 3', () => {
    const d = conformanceDecision(firstDeviation(ctl(0, 0, 0, 0, sccrqAvps(0))), 'strict');
    expect(d).toMatchObject({ action: 'stopccn', resultCode: { result: 2, error: 3 } });
  });

  it('strict: an unknown mandatory AVP in a Hello ends the tunnel with error 8', () => {
    const d = conformanceDecision(firstDeviation(ctl(LNS_TUNNEL, 0, 0, 0, [mt(6), avp(300, '00')])), 'strict');
    expect(d).toMatchObject({ action: 'stopccn', resultCode: { result: 2, error: 8 } });
  });

  it('strict: a SHOULD deviation and a timing rule are only reported', () => {
    const should = firstDeviation(ctl(LNS_TUNNEL, 0, 0, 0, [...icrqAvps(), avp(8, '61', 0)]));
    expect(should.severity).toBe('SHOULD');
    expect(conformanceDecision(should, 'strict')).toEqual({ action: 'report' });
    const obs = new ConformanceObserver();
    obs.sent(ctl(0x2222, 0, 0, 0, [mt(6)]), 0);
    const [missing] = obs.tick(31_000);
    expect(missing!.rule).toBe('ack.missing');
    expect(conformanceDecision(missing!, 'strict')).toEqual({ action: 'report' });
  });

  it('report and lenient never end anything', () => {
    expect(conformanceDecision(bpsInIcrq, 'report')).toEqual({ action: 'report' });
    expect(conformanceDecision(bpsInIcrq, 'lenient')).toEqual({ action: 'ignore' });
  });

  it('a policy that is none of the three is a RangeError saying which are', () => {
    expect(() => conformanceDecision(bpsInIcrq, 'loose' as never)).toThrow(/'strict', 'report' or 'lenient'/);
  });
});

describe('observer API', () => {
  it('onDeviation sees each deviation as it is found; the report card names it', () => {
    const seen: string[] = [];
    const obs = new ConformanceObserver({ onDeviation: (d) => seen.push(d.rule) });
    obs.received(ctl(0, 0, 0, 0, [mt(1), avp(2, '0100'), avp(3, u32h(3)), avp(9, u16h(0x2222))]), 0);
    expect(seen).toEqual(['avp.missing-required']);
    const text = formatReport(obs.report()).join('\n');
    expect(text).toMatch(/FAIL — 1 MUST, 0 SHOULD/);
    expect(text).toMatch(/BROKEN MUST +avp\.missing-required \(RFC 2661 §6\) ×1/);
    expect(text).toMatch(/SCCRQ Ns 0: SCCRQ without Host Name \[RFC 2661 §6\.1\]/);
  });

  it('report: false still finds and reports each deviation, but keeps no report card (TypeError saying so)', () => {
    const seen: string[] = [];
    const obs = new ConformanceObserver({ report: false, onDeviation: (d) => seen.push(d.rule) });
    expect(obs.deviations).toEqual([]);
    obs.received(ctl(0, 0, 0, 0, [mt(1), avp(2, '0100'), avp(3, u32h(3)), avp(9, u16h(0x2222))]), 0);
    expect(seen).toEqual(['avp.missing-required']);
    expect(obs.deviations.map((d) => d.rule)).toEqual(['avp.missing-required']);
    expect(() => obs.report()).toThrow(/report: false/);
    expect(() => new ConformanceObserver({ report: 'yes' as never })).toThrow(TypeError);
  });

  it('a message of the peer is forgotten a retransmission cycle after its last copy: a later copy is not judged as a retransmission', () => {
    const hello = ctl(LNS_TUNNEL, 0, 0, 0, [mt(6)]);
    const early = new ConformanceObserver({ ackTimeout: 31_000 });
    early.received(hello, 0);
    // 100 ms later: a retransmission sent too early (SHOULD: 1 s, RFC 2661 §5.8).
    expect(early.received(hello, 100).map((d) => d.rule)).toEqual(['timing.retransmit-early']);
    const late = new ConformanceObserver({ ackTimeout: 31_000 });
    late.received(hello, 0);
    late.tick(31_001);
    expect(late.received(hello, 31_050).map((d) => d.rule)).not.toContain('timing.retransmit-early');
  });

  it('never throws for any bytes (short, empty, garbage), and keeps at most maxDeviations', () => {
    const obs = new ConformanceObserver({ maxDeviations: 2 });
    for (const b of [new Uint8Array(0), new Uint8Array([0xc8]), new Uint8Array([0xc8, 0x02, 0, 40]), new Uint8Array(64).fill(0xff)]) {
      expect(() => obs.received(b, 0)).not.toThrow();
    }
    const r = obs.report();
    expect(r.deviations.length).toBe(2);
    expect(r.droppedDeviations).toBeGreaterThan(0);
  });

  it('misuse is a TypeError/RangeError', () => {
    expect(() => new ConformanceObserver({ ackTimeout: -1 })).toThrow(RangeError);
    expect(() => new ConformanceObserver().received('c802' as never, 0)).toThrow(TypeError);
    expect(() => new ConformanceObserver().received(new Uint8Array(12), Number.NaN)).toThrow(RangeError);
  });
});

describe('conformanceDecision: header and sequence faults are the tunnel’s', () => {
  it('an ICRQ whose Nr acknowledges unsent messages is reported, not refused, even under strict', () => {
    const d = firstDeviation(ctl(LNS_TUNNEL, 0, 0, 7, icrqAvps()));
    expect(d.rule).toBe('seq.nr-unsent');
    expect(conformanceDecision(d, 'strict')).toEqual({ action: 'report' });
  });

  it('an ICRQ with a reserved header bit ends the tunnel (StopCCN), not the call', () => {
    const d = firstDeviation(ctl(LNS_TUNNEL, 0, 0, 0, icrqAvps(), { flags: 0xc812 }));
    expect(d.rule).toBe('header.reserved-bits');
    expect(conformanceDecision(d, 'strict')).toMatchObject({ action: 'stopccn', resultCode: { result: 2, error: 3 } });
  });
});
