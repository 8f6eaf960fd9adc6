/**
 * MD5 throughput (RFC 1321), for the L2TP uses: a challenge response hashes ~40 bytes, a hidden
 * AVP one 64-byte-ish block per 16 bytes of value. Run: `npm run vitest -- bench --run test/bench/md5.bench.ts`.
 */
import { createRequire } from 'node:module';
import { bench, describe } from 'vitest';
// Benchmarks measure what ships: the built bundle (`npm run bench` builds first), loaded by Node
// itself through `require` (vitest's module runner would rewrite every cross-chunk call of an
// imported bundle into a live-binding getter, which costs more than the work measured here).
const load = createRequire(import.meta.url);
const { challengeResponse, hideAvpValue, unhideAvpValue, Md5, md5 }: typeof import('../../src/index.js') = load('../../dist/index.js');

const b64 = Uint8Array.from({ length: 64 }, (_, i) => i);
const b1k = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) & 0xff);
const h = new Md5();
const out = new Uint8Array(16);

describe('md5', () => {
  bench('md5(64 bytes)', () => {
    md5(b64);
  });
  bench('md5(1 KiB)', () => {
    md5(b1k);
  });
  bench('Md5 update+digestInto (64 bytes, no allocation)', () => {
    h.update(b64).digestInto(out, 0);
  });
});

const secret = 'l2tp-wire-test-secret';
const challenge = Uint8Array.from({ length: 16 }, (_, i) => i);
const rv = Uint8Array.from({ length: 16 }, (_, i) => 0x20 + i);
const name = Uint8Array.from('calling-number-longer-than-one-md5-block', (c) => c.charCodeAt(0));
const hidden = hideAvpValue(22, name, secret, rv);

describe('L2TP uses', () => {
  bench('challengeResponse (16-byte challenge)', () => {
    challengeResponse(2, secret, challenge);
  });
  bench('hideAvpValue (40-byte value, 3 blocks)', () => {
    hideAvpValue(22, name, secret, rv);
  });
  bench('unhideAvpValue (40-byte value, 3 blocks)', () => {
    unhideAvpValue(22, hidden, secret, rv);
  });
});
