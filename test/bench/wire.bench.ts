/**
 * Wire codec hot paths. Each bench call runs the operation BATCH times, so messages/s is
 * `hz × 1000` (a single call is faster than tinybench's own timer overhead).
 * Issue 3 targets on the 2-core machine: parseControl(SCCRP) ≥ 3M/s, sccrq() ≥ 3M/s,
 * parseHeader ≥ 30M/s, AvpReader walk ≥ 20M SCCRPs/s.
 */
import { createRequire } from 'node:module';
import { bench, describe } from 'vitest';
// Benchmarks measure what ships: the built bundle (`npm run bench` builds first), loaded by Node
// itself through `require` (vitest's module runner would rewrite every cross-chunk call of an
// imported bundle into a live-binding getter, which costs more than the work measured here).
const load = createRequire(import.meta.url);
const { AvpReader, parseControl, parseHeader, sccrq }: typeof import('../../src/index.js') = load('../../dist/index.js');

const BATCH = 1000;

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));
}

// xl2tpd 1.3.18's SCCRP from test/vectors/plain.hex: 9 AVPs, host and vendor name.
const SCCRP = hex(
  'c802006ab57400000000000180080000000000028008000000020100800a0000000300000003800a00000004000000000008000000060690800f000000076c6e732d706c61696e00130000000878656c6572616e63652e636f6d800800000009c33d80080000000a0004',
);
const reader = new AvpReader();
let sink = 0;

describe('wire (×1000 per call: messages/s = hz × 1000)', () => {
  bench('parseControl(SCCRP, 9 AVPs) ×1000', () => {
    let s = 0;
    for (let i = 0; i < BATCH; i++) s ^= parseControl(SCCRP).length;
    sink = s;
  });
  bench('sccrq() ×1000', () => {
    let s = 0;
    for (let i = 0; i < BATCH; i++) s ^= sccrq({ hostName: 'lac.example', assignedTunnelId: 42, vendorName: 'l2tp-wire' }).length;
    sink = s;
  });
  bench('parseHeader(SCCRP) ×1000', () => {
    let s = 0;
    for (let i = 0; i < BATCH; i++) s ^= parseHeader(SCCRP).headerLength;
    sink = s;
  });
  bench('AvpReader walk (SCCRP) ×1000', () => {
    let s = 0;
    for (let i = 0; i < BATCH; i++) {
      reader.reset(SCCRP, 12, SCCRP.length);
      while (reader.next()) s ^= reader.type;
    }
    sink = s;
  });
});

