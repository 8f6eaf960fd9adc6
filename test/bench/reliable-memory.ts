/**
 * Retained heap per idle Sequencer, 10,000 of them (issue 4 target: ≤ 1 KiB each).
 *
 * Run (needs `gc`, hence a plain Node process rather than vitest):
 *   npx esbuild test/bench/reliable-memory.ts --bundle --platform=node --format=esm --log-level=warning \
 *     | node --expose-gc --input-type=module
 * Exits 1 when a figure is over budget.
 */
import { Sequencer } from '../../src/reliable/index.js';
import type { ReceivedControl } from '../../src/reliable/index.js';

const N = 10_000;
const BUDGET = 1024;

declare const gc: () => void;
declare const process: { memoryUsage(): { heapUsed: number }; exitCode?: number };

function heap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

function message(): Uint8Array {
  return Uint8Array.of(0xc8, 0x02, 0x00, 0x14, 0, 1, 0, 0, 0, 0, 0, 0, 0x80, 0x08, 0, 0, 0, 0, 0, 6);
}

/** A Sequencer that has worked (sent, received out of order, acked, closed its ack) and is idle. */
function used(): Sequencer {
  const s = new Sequencer();
  const rec = (ns: number, nr: number, isZlb = false): ReceivedControl => ({ ns, nr, isZlb });
  s.send(message(), 0);
  s.receive(rec(1, 1), 10); // out of order: allocates the hold queue
  s.receive(rec(0, 1), 20);
  s.send(message(), 30);
  s.receive(rec(0, 2, true), 40);
  s.tick(300); // ack the peer's two messages
  if (s.inFlight !== 0 || s.held !== 0 || s.nextDeadline() !== undefined) throw new Error('not idle');
  return s;
}

function measure(label: string, make: () => Sequencer): number {
  const keep: Sequencer[] = new Array(N);
  const before = heap();
  for (let i = 0; i < N; i++) keep[i] = make();
  const after = heap();
  const per = (after - before) / N;
  console.log(`${label}: ${per.toFixed(0)} bytes retained per Sequencer (${N} live, ${((after - before) / 1024).toFixed(0)} KiB total)`);
  if (keep.length !== N) throw new Error('unreachable');
  return per;
}

const fresh = measure('fresh Sequencer (default options)', () => new Sequencer());
const idle = measure('idle Sequencer after traffic', used);
const custom = measure('fresh Sequencer (own options object)', () => new Sequencer({ congestion: 'fixed', peerWindow: 8 }));
if (Math.max(fresh, idle, custom) > BUDGET) {
  console.log(`over the ${BUDGET}-byte budget`);
  process.exitCode = 1;
}
