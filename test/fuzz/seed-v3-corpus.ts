/**
 * Seed the two L2TPv3 fuzz corpora. No L2TPv3 peer runs here to capture from (see docs/l2tpv3.md),
 * so the seeds are messages from the fuzzing kit's own v3 arbitraries, fixed by a seed: control
 * messages of every RFC 3931 type without and with a Message Digest (HMAC-MD5 and HMAC-SHA-1),
 * and data messages with each cookie length, with and without the Default L2-Specific Sublayer.
 * Run from the repository root (esbuild bundles it, node runs it):
 *   node_modules/.bin/esbuild test/fuzz/seed-v3-corpus.ts --bundle --platform=node --format=esm --log-level=warning | node --input-type=module
 * Files are named by content hash, so re-running adds nothing twice.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { controlMessageV3Arb, dataMessageV3Arb } from '../../src/arbitraries.js';

const corpus = join(process.cwd(), 'test', 'fuzz', 'corpus');

function put(target: string, bytes: Uint8Array): void {
  const dir = join(corpus, target);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, createHash('sha256').update(bytes).digest('hex').slice(0, 16)), bytes);
}

const control = [
  ...fc.sample(controlMessageV3Arb({ extras: false }), { numRuns: 30, seed: 3931 }),
  ...fc.sample(controlMessageV3Arb({ secret: 'l2tp-wire-test-secret', digestType: 0 }), { numRuns: 15, seed: 3932 }),
  ...fc.sample(controlMessageV3Arb({ secret: 'l2tp-wire-test-secret', digestType: 1 }), { numRuns: 15, seed: 3933 }),
];
for (const m of control) put('parse-control-v3', m.bytes);
for (const cookieLength of [0, 4, 8] as const) {
  for (const l2SpecificSublayer of [0, 1] as const) {
    for (const d of fc.sample(dataMessageV3Arb({ cookieLength, l2SpecificSublayer, maxFrame: 80 }), { numRuns: 4, seed: 4719 + cookieLength })) put('parse-data-v3', d.bytes);
  }
}
console.log(`${control.length} control and 24 data seeds`);
