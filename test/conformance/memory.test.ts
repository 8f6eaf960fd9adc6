/// <reference types="node" />
/**
 * Regression guard for issue 16 (memory per idle tunnel): 30,000 conformance observers, sharing
 * one SharedObserverOptions as an LNS's do, each having watched a clean set-up and a call and then
 * a quiet retransmission cycle (everything acked, every remembered peer message aged out), retain
 * at most 96 B each: one small object and its slot in the array holding them (≈ 73 B measured; the
 * rest is slack for the test runner's own allocations, which CI once showed at ~18 KB in a run).
 * Before the quiet spell they remember the peer's last messages (RFC 2661 §5.8) and cost more.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { ConformanceObserver, SharedObserverOptions } from '../../src/conformance/index.js';
import { ctl, icrp, icrqAvps, iccnAvps, LAC_TUNNEL, LNS_SESSION, LNS_TUNNEL, mt, sccrp, sccrqAvps, zlb } from './lac-bytes.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

it('30,000 idle observers (set-up, a call, a quiet cycle) retain ≤ 96 B each', () => {
  // 30,000 rather than 10,000: the runner's own retained allocations during the test (~20 KB seen
  // on CI) then move the figure by under 1 B per observer instead of 2.
  const n = 30_000;
  const shared = new SharedObserverOptions({ report: false });
  // RFC 2661 §5.8 numbering: SCCRQ Ns 0, our SCCRP Ns 0, SCCCN Ns 1, ICRQ Ns 2, our ICRP Ns 1, ICCN Ns 3.
  const steps: readonly (readonly ['rx' | 'tx', number, Uint8Array])[] = [
    ['rx', 0, ctl(0, 0, 0, 0, sccrqAvps())],
    ['tx', 5, sccrp()],
    ['rx', 10, ctl(LNS_TUNNEL, 0, 1, 1, [mt(3)])],
    ['tx', 15, zlb(LAC_TUNNEL, 1, 2)],
    ['rx', 20, ctl(LNS_TUNNEL, 0, 2, 1, icrqAvps())],
    ['tx', 25, icrp(1, 3)],
    ['rx', 30, ctl(LNS_TUNNEL, LNS_SESSION, 3, 2, iccnAvps())],
    ['tx', 35, zlb(LAC_TUNNEL, 2, 4)],
  ];
  const watch = (obs: ConformanceObserver): ConformanceObserver => {
    for (const [dir, at, bytes] of steps) {
      if (dir === 'rx') obs.received(bytes, at);
      else obs.sent(bytes, at);
    }
    return obs;
  };
  // Warm up first: the compiled code is the process's, not the observers'.
  for (let i = 0; i < 2000; i++) watch(new ConformanceObserver(shared)).tick(100_000);
  const keep: ConformanceObserver[] = new Array(n);
  const before = heap();
  for (let i = 0; i < n; i++) keep[i] = watch(new ConformanceObserver(shared));
  const busy = (heap() - before) / n;
  for (const obs of keep) obs.tick(100_000);
  const idle = (heap() - before) / n;
  expect(keep.every((o) => o.nextDeadline() === undefined && o.deviations.length === 0)).toBe(true);
  expect(idle).toBeLessThanOrEqual(96);
  expect(idle).toBeGreaterThan(0);
  // Within the cycle the peer's ICRQ and ICCN are remembered (their retransmissions are checked).
  expect(busy).toBeGreaterThan(idle + 100);
});
