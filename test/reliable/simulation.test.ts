import { describe, expect, it } from 'vitest';
import { Prng, SimulatedLink, Simulation } from '../../src/testing/index.js';
import type { SimulationOptions } from '../../src/testing/index.js';

const body = (i: number): Uint8Array => new Uint8Array([0, 0, 0, i]);

function run(options: SimulationOptions, n: number): Simulation {
  const sim = new Simulation(options);
  for (let i = 0; i < n; i++) {
    sim.send(i % 3 === 0 ? 'b' : 'a', body(i));
    sim.runUntil(sim.now + 100);
  }
  sim.runUntilIdle();
  return sim;
}

describe('Prng', () => {
  it('repeats its sequence for a seed, and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const p = new Prng(seed);
      return Array.from({ length: 5 }, () => p.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    for (const x of draw(123)) expect(x >= 0 && x < 1).toBe(true);
  });

  it('rejects a non-integer seed', () => {
    expect(() => new Prng(1.5)).toThrow(RangeError);
  });
});

describe('SimulatedLink', () => {
  const datagram = (i: number): Uint8Array => new Uint8Array([i]);
  const drain = (link: SimulatedLink, now: number): number[] => {
    const got: number[] = [];
    for (let b = link.receive(now); b; b = link.receive(now)) got.push(b[0]!);
    return got;
  };

  it('without impairments delivers in order after the delay', () => {
    const link = new SimulatedLink({ delay: 50 }, new Prng(1));
    for (let i = 0; i < 5; i++) link.send(datagram(i), i);
    expect(link.nextArrival()).toBe(50);
    expect(drain(link, 49)).toEqual([]);
    expect(drain(link, 60)).toEqual([0, 1, 2, 3, 4]);
    expect(link.stats).toEqual({ sent: 5, dropped: 0, duplicated: 0, delivered: 5 });
  });

  it('loss 1 drops everything; duplicate 1 doubles everything', () => {
    const lossy = new SimulatedLink({ loss: 1 }, new Prng(1));
    lossy.send(datagram(1), 0);
    expect(lossy.pending).toBe(0);
    const dup = new SimulatedLink({ duplicate: 1 }, new Prng(1));
    dup.send(datagram(1), 0);
    expect(drain(dup, 0)).toEqual([1, 1]);
  });

  it('loses about the configured share', () => {
    const link = new SimulatedLink({ loss: 0.3 }, new Prng(99));
    for (let i = 0; i < 10_000; i++) link.send(datagram(0), 0);
    expect(link.stats.dropped / 10_000).toBeCloseTo(0.3, 1);
  });

  it('reorders when asked to', () => {
    const link = new SimulatedLink({ reorder: 0.5, reorderDelay: 100 }, new Prng(5));
    for (let i = 0; i < 20; i++) link.send(datagram(i), i);
    const got = drain(link, 1000);
    expect(got).toHaveLength(20);
    expect(got).not.toEqual([...got].sort((x, y) => x - y));
  });

  it('copies datagrams: the sender may reuse its bytes', () => {
    const link = new SimulatedLink({}, new Prng(1));
    const b = datagram(1);
    link.send(b, 0);
    b[0] = 9;
    expect(drain(link, 0)).toEqual([1]);
  });

  it('rejects impossible options', () => {
    expect(() => new SimulatedLink({ loss: 1.5 }, new Prng(1))).toThrow(/loss/);
    expect(() => new SimulatedLink({ delay: -1 }, new Prng(1))).toThrow(/delay/);
  });
});

describe('Simulation', () => {
  const lossy: SimulationOptions = { seed: 42, link: { loss: 0.2, duplicate: 0.1, reorder: 0.2, jitter: 800 } };

  it('is deterministic for a seed', () => {
    const x = run(lossy, 30);
    const y = run(lossy, 30);
    expect(y.now).toBe(x.now);
    expect([y.a.transmissions, y.a.acks, y.b.transmissions, y.b.acks]).toEqual([x.a.transmissions, x.a.acks, x.b.transmissions, x.b.acks]);
    const z = run({ ...lossy, seed: 43 }, 30);
    expect([z.now, z.a.transmissions]).not.toEqual([x.now, x.a.transmissions]);
  });

  it('delivers both ways over a lossless link, acking with few ZLBs', () => {
    const sim = run({ seed: 1 }, 30);
    expect(sim.b.delivered.map((m) => m.body[3])).toEqual([...Array(30).keys()].filter((i) => i % 3 !== 0));
    expect(sim.a.delivered.map((m) => m.body[3])).toEqual([...Array(30).keys()].filter((i) => i % 3 === 0));
    expect(sim.a.transmissions + sim.b.transmissions).toBe(30); // no retransmissions
    expect(sim.a.acks + sim.b.acks).toBeLessThanOrEqual(30);
  });

  it('reports failure at 31 s when nothing gets through', () => {
    const sim = new Simulation({ seed: 1, aToB: { loss: 1 } });
    sim.send('a', body(1));
    sim.runUntilIdle();
    expect(sim.a.failed).toBe(true);
    expect(sim.now).toBe(31_000);
    expect(sim.a.transmissions).toBe(6);
  });

  it('frames L2TPv3 control headers and sends type-20 ACKs in ack mode', () => {
    const sim = new Simulation({ seed: 3, version: 3, sequencer: { ackMessage: 'ack' } });
    sim.send('a', body(1));
    sim.runUntilIdle();
    expect(sim.b.delivered).toHaveLength(1);
    expect(sim.b.acks).toBe(1);
    expect(sim.a.sequencer.inFlight).toBe(0);
    // The ACK is an ack-only message: b's Sequencer did not consume an Ns for it.
    expect(sim.b.sequencer.nextNs).toBe(0);
  });

  it('closes both ends after a StopCCN-like last exchange', () => {
    const sim = new Simulation({ seed: 9, link: { delay: 10 }, sequencer: { closeLinger: 5000 } });
    sim.send('a', body(1));
    sim.close('a');
    sim.runUntil(20);
    sim.close('b');
    sim.runUntilIdle();
    expect(sim.a.closed && sim.b.closed).toBe(true);
    expect(sim.b.delivered).toHaveLength(1);
  });
});
