/// <reference types="node" />
/**
 * Regression guard for the "plain data, small" contract: 10,000 idle Sequencers retain at most
 * 512 B each (issue 4 asked for 1 KiB; issue 16 took them to ~360 B: the send ring and receive
 * window exist only while they hold messages, the output's lists are shared while empty). The
 * figures for the record come from test/bench/reliable-memory.ts.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { Sequencer } from '../../src/reliable/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

it('10,000 idle Sequencers retain ≤ 512 B each', () => {
  const n = 10_000;
  const keep: Sequencer[] = new Array(n);
  const before = heap();
  for (let i = 0; i < n; i++) {
    const s = new Sequencer();
    s.send(Uint8Array.of(0xc8, 0x02, 0, 20, 0, 1, 0, 0, 0, 0, 0, 0, 0x80, 8, 0, 0, 0, 0, 0, 6), 0);
    s.receive({ ns: 1, nr: 1, isZlb: false }, 1);
    s.receive({ ns: 0, nr: 1, isZlb: false }, 2);
    s.tick(1000);
    keep[i] = s;
  }
  const per = (heap() - before) / n;
  expect(keep.every((s) => s.inFlight === 0 && s.nextDeadline() === undefined)).toBe(true);
  expect(per).toBeLessThanOrEqual(512);
  expect(per).toBeGreaterThan(0);
});
