/**
 * The observer sits in front of anything a stranger sends: for any bytes, in any order, either
 * way, it never throws, and what it reports is plain JSON. Inputs: random bytes, and real xl2tpd
 * datagrams with bytes flipped or cut (so most inputs get past the header into the AVP rules).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConformanceObserver, conformanceDecision, formatReport } from '../../src/conformance/index.js';
import { datagrams } from './replay.js';
import { XL2TPD_CAPTURES } from './xl2tpd-captures.js';

const REAL = datagrams(XL2TPD_CAPTURES['auth']!).map((d) => d.bytes);

const mutated = fc
  .tuple(fc.constantFrom(...REAL), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.option(fc.nat()))
  .map(([b, flips, cut]) => {
    const c = b.slice();
    for (const [i, v] of flips) c[i % c.length] = v;
    return cut === null ? c : c.subarray(0, cut % (c.length + 1));
  });

describe('ConformanceObserver on hostile input', () => {
  it('never throws; deviations, decisions and the card survive JSON', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.oneof(mutated, fc.uint8Array({ maxLength: 80 })), fc.integer({ min: 0, max: 5000 })), { maxLength: 30 }),
        (steps) => {
          const obs = new ConformanceObserver({ secret: 'l2tp-wire-test-secret' });
          let now = 0;
          for (const [fromPeer, bytes, dt] of steps) {
            now += dt;
            const out = fromPeer ? obs.received(bytes, now) : obs.sent(bytes, now);
            for (const d of out) {
              expect(JSON.parse(JSON.stringify(d))).toEqual(d);
              expect(['ignore', 'report', 'stopccn', 'cdn']).toContain(conformanceDecision(d, 'strict').action);
            }
          }
          const r = obs.report(now + 40_000);
          expect(JSON.parse(JSON.stringify(r))).toEqual(r);
          expect(formatReport(r).length).toBeGreaterThan(2);
          expect(r.counts.must + r.counts.should).toBe(r.deviations.length + r.droppedDeviations);
        },
      ),
      { numRuns: 300 },
    );
  });
});
