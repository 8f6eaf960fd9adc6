/**
 * Reliable delivery throughput: control messages per second through two Sequencers over a
 * lossless link (issue 4 target: ≥ 1,000,000 messages/s). Each bench iteration moves
 * {@link BATCH} messages, so messages/s = hz × BATCH.
 * Run: `npm run vitest -- bench --run test/bench/reliable.bench.ts`. Retained heap per idle Sequencer is
 * measured by `test/bench/reliable-memory.ts` (see that file).
 */
import { createRequire } from 'node:module';
import { bench, describe } from 'vitest';
import type { ReceivedControl } from '../../src/reliable/index.js';
// Benchmarks measure what ships: the built bundle (`npm run bench` builds first), loaded by Node
// itself through `require` (vitest's module runner would rewrite every cross-chunk call of an
// imported bundle into a live-binding getter, which costs more than the work measured here).
const load = createRequire(import.meta.url);
const { Sequencer, parseHeader }: typeof import('../../src/index.js') = load('../../dist/index.js');
const { Simulation }: typeof import('../../src/testing/index.js') = load('../../dist/testing.js');

const BATCH = 10_000;

/** A 20-byte v2 control message (header + Message Type AVP of HELLO). */
function message(): Uint8Array {
  return Uint8Array.of(0xc8, 0x02, 0x00, 0x14, 0, 1, 0, 0, 0, 0, 0, 0, 0x80, 0x08, 0, 0, 0, 0, 0, 6);
}

function parsed(bytes: Uint8Array): ReceivedControl {
  const h = parseHeader(bytes);
  if (!h.isControl) throw new Error('not a control message');
  return { ns: h.ns!, nr: h.nr!, isZlb: h.length === h.headerLength };
}

describe('Sequencer pair, lossless', () => {
  // One-way stream; the receiver acks every message with a ZLB at once (ackDelay 0), the
  // sender frees it: 1 send + 1 parse + 1 receive + 1 ZLB receive per message.
  {
    const a = new Sequencer({ congestion: 'fixed', ackDelay: 0 });
    const b = new Sequencer({ ackDelay: 0 });
    const buffers = Array.from({ length: 8 }, message);
    let now = 0;
    bench(`one-way, ZLB per message (${BATCH} messages per iteration)`, () => {
      let delivered = 0;
      for (let i = 0; i < BATCH; i++) {
        const sent = a.send(buffers[i & 7]!, now).transmit;
        for (let j = 0; j < sent.length; j++) {
          const out = b.receive(parsed(sent[j]!), now);
          delivered += out.deliver.length;
          if (out.ack) a.receive({ ns: out.ackNs, nr: out.ackNr, isZlb: true }, now);
        }
        now += 0.01;
      }
      if (delivered !== BATCH) throw new Error(`delivered ${delivered}`);
    });
  }

  // Request/response: every message is answered, and the answer piggybacks the ack; the
  // delayed ack never fires.
  {
    const a = new Sequencer({ congestion: 'fixed' });
    const b = new Sequencer({ congestion: 'fixed' });
    let now = 0;
    bench(`request/response, piggybacked acks (${BATCH} messages per iteration)`, () => {
      let delivered = 0;
      for (let i = 0; i < BATCH / 2; i++) {
        const req = a.send(message(), now).transmit;
        for (let j = 0; j < req.length; j++) {
          delivered += b.receive(parsed(req[j]!), now).deliver.length;
          const rsp = b.send(message(), now).transmit;
          for (let k = 0; k < rsp.length; k++) delivered += a.receive(parsed(rsp[k]!), now).deliver.length;
        }
        now += 0.01;
      }
      if (delivered !== BATCH) throw new Error(`delivered ${delivered}`);
    });
  }

  // The same through the simulator (two SimulatedLinks: heap, datagram copies, virtual clock).
  {
    const sim = new Simulation({ seed: 1, sequencer: { congestion: 'fixed', peerWindow: 64, receiveWindow: 64 } });
    const body = new Uint8Array(8);
    bench(`Simulation, lossless link (${BATCH} messages per iteration)`, () => {
      for (let i = 0; i < BATCH; i++) {
        sim.send(i & 1 ? 'a' : 'b', body);
        if ((i & 31) === 31) sim.runUntil(sim.now + 1);
      }
      sim.runUntilIdle();
      sim.a.sent.length = sim.b.sent.length = sim.a.delivered.length = sim.b.delivered.length = 0;
    });
  }
});
