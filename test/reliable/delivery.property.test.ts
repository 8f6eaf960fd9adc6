/**
 * Properties of reliable delivery over a hostile simulated link (issue 4, "Proof"): loss up to
 * 30 %, duplication up to 20 %, reordering, delays up to 2 s, random message streams.
 * fast-check prints the seed and path of a failing run; replay it with
 * `fc.assert(..., { seed, path })`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/testing/index.js';
import type { SimEndpoint, SimulationOptions } from '../../src/testing/index.js';
import type { CongestionMode } from '../../src/reliable/index.js';
import { runs } from '../runs.js';

const RUNS = runs(1000);

interface Planned {
  from: 'a' | 'b';
  /** ms to wait before sending. */
  gap: number;
}

const linkArb = fc.record({
  loss: fc.double({ min: 0, max: 0.3, noNaN: true }),
  duplicate: fc.double({ min: 0, max: 0.2, noNaN: true }),
  reorder: fc.double({ min: 0, max: 0.5, noNaN: true }),
  delay: fc.integer({ min: 0, max: 500 }),
  jitter: fc.integer({ min: 0, max: 1500 }),
  reorderDelay: fc.integer({ min: 0, max: 1500 }),
});

const setupArb = fc.record({
  seed: fc.integer(),
  link: linkArb,
  congestion: fc.constantFrom<CongestionMode>('rfc', 'fixed', 'stop-and-wait'),
  /** a's receive window = b's peer window, and the other way round. */
  windowA: fc.integer({ min: 1, max: 8 }),
  windowB: fc.integer({ min: 1, max: 8 }),
  /** Start the sequence numbers near the wrap in some runs. */
  startA: fc.option(fc.integer({ min: 65500, max: 65535 }), { nil: undefined }),
  startB: fc.option(fc.integer({ min: 65500, max: 65535 }), { nil: undefined }),
  version: fc.constantFrom<2 | 3>(2, 3),
  ackMessage: fc.constantFrom<'zlb' | 'ack'>('zlb', 'ack'),
  /** Mostly the default budget; sometimes a tiny one, so failures are exercised too. */
  maxRetransmissions: fc.oneof(fc.constant(5), fc.integer({ min: 0, max: 3 })),
});
type Setup = typeof setupArb extends fc.Arbitrary<infer S> ? S : never;

function simulation(s: Setup): Simulation {
  const options: SimulationOptions = {
    seed: s.seed,
    link: s.link,
    version: s.version,
    sequencer: { congestion: s.congestion, ackMessage: s.ackMessage, maxRetransmissions: s.maxRetransmissions },
    a: { receiveWindow: s.windowA, peerWindow: s.windowB, initialNs: s.startA ?? 0, initialNr: s.startB ?? 0 },
    b: { receiveWindow: s.windowB, peerWindow: s.windowA, initialNs: s.startB ?? 0, initialNr: s.startA ?? 0 },
  };
  return new Simulation(options);
}

const body = (i: number): Uint8Array => new Uint8Array([i >>> 24, i >>> 16, i >>> 8, i]);
const id = (b: Uint8Array): number => ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;

function play(sim: Simulation, plan: readonly Planned[], onStep?: (sim: Simulation) => void): void {
  plan.forEach((p, i) => {
    sim.runUntil(sim.now + p.gap);
    sim.send(p.from, body(i));
    onStep?.(sim);
  });
  sim.runUntilIdle(onStep, 1_000_000);
}

/** What `from` sent arrived at `to` exactly once, in order — all of it unless `from` failed. */
function checkDirection(from: SimEndpoint, to: SimEndpoint): void {
  const sent = from.sent.map(id);
  const got = to.delivered.map((m) => id(m.body));
  expect(got).toEqual(sent.slice(0, got.length));
  if (!from.failed) expect(got.length).toBe(sent.length);
}

/**
 * Windows respected and memory bounded, checked after every simulation step. Plain comparisons
 * (not expect(), which costs far more per call): returns the first violation, or undefined.
 */
function boundsViolation(sim: Simulation): string | undefined {
  for (const end of [sim.a, sim.b]) {
    const seq = end.sequencer;
    const w = seq.peerWindow;
    if (seq.inFlight > w) return `inFlight ${seq.inFlight} > peer window ${w}`;
    if (seq.sendWindow > w) return `sendWindow ${seq.sendWindow} > peer window ${w}`;
    if (end.maxOutstanding > w) return `maxOutstanding ${end.maxOutstanding} > peer window ${w}`;
    if (seq.held >= seq.receiveWindow) return `held ${seq.held} ≥ receive window ${seq.receiveWindow}`;
  }
  return undefined;
}

describe('reliable delivery over a lossy, duplicating, reordering link', () => {
  it('delivers every message exactly once and in order, or the sender reports failure', () => {
    const planArb = fc.array(
      fc.record({ from: fc.constantFrom<'a' | 'b'>('a', 'b'), gap: fc.integer({ min: 0, max: 3000 }) }),
      { minLength: 1, maxLength: 60, size: 'max' },
    );
    fc.assert(
      fc.property(setupArb, planArb, (setup, plan) => {
        const sim = simulation(setup);
        play(sim, plan);
        checkDirection(sim.a, sim.b);
        checkDirection(sim.b, sim.a);
        for (const end of [sim.a, sim.b]) {
          // Idle at the end: nothing left unacknowledged unless the sender gave up.
          if (!end.failed) expect(end.sequencer.inFlight + end.sequencer.queued).toBe(0);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never has more in flight than the window, and holds at most the receive window', () => {
    // Bursts: many messages at once, so the windows are what limits the senders.
    const planArb = fc.array(
      fc.record({ from: fc.constantFrom<'a' | 'b'>('a', 'b'), gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2000 })) }),
      { minLength: 1, maxLength: 60, size: 'max' },
    );
    fc.assert(
      fc.property(setupArb, planArb, (setup, plan) => {
        const sim = simulation(setup);
        let maxQueued = 0;
        let violation: string | undefined;
        let steps = 0;
        play(sim, plan, (s) => {
          steps++;
          violation ??= boundsViolation(s);
          maxQueued = Math.max(maxQueued, s.a.sequencer.queued, s.b.sequencer.queued);
        });
        expect(violation).toBeUndefined();
        expect(steps).toBeGreaterThan(0);
        // Memory: what a Sequencer keeps is bounded by its windows plus what the owner queued.
        expect(maxQueued).toBeLessThanOrEqual(plan.length);
        // Nothing stays held unless its predecessor's sender gave up on it.
        if (!sim.b.failed) expect(sim.a.sequencer.held).toBe(0);
        if (!sim.a.failed) expect(sim.b.sequencer.held).toBe(0);
      }),
      // Every step of every run is checked: half the runs keep it well under its timeout on a busy machine.
      { numRuns: RUNS / 2 },
    );
  });

  it('keeps Ns/Nr right across the 65535 → 0 wrap in long lossy runs', () => {
    const wrapSetup = setupArb.map((s) => ({ ...s, startA: 65535 - (s.seed & 63), startB: 65535 - ((s.seed >>> 6) & 63) }));
    const planArb = fc.array(
      fc.record({ from: fc.constantFrom<'a' | 'b'>('a', 'b'), gap: fc.integer({ min: 0, max: 300 }) }),
      { minLength: 60, maxLength: 150, size: 'max' },
    );
    fc.assert(
      fc.property(wrapSetup, planArb, (setup, plan) => {
        // Milder loss so most runs cross the wrap instead of failing early.
        const sim = simulation({ ...setup, link: { ...setup.link, loss: setup.link.loss / 3 } });
        play(sim, plan);
        checkDirection(sim.a, sim.b);
        checkDirection(sim.b, sim.a);
      }),
      { numRuns: RUNS },
    );
  });
});
