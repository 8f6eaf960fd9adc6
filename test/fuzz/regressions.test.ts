/**
 * The fuzz targets as regression tests: every corpus input (the real captures, plus whatever a
 * fuzzing run found and was kept) goes through every target's `fuzz()` and must not throw, i.e.
 * it is accepted or rejected with an `L2tpError`, with every invariant holding.
 *
 * A finding from `bash test/fuzz/run.sh` goes in FINDINGS below (hex, and what it broke), so it
 * stays fixed. None so far: see docs/fuzzing.md for the runs and their figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { L2tpError } from '../../src/wire/errors.js';
import { rejectsOnlyWithL2tpError } from './finding.js';
import { fuzz as parseControl } from './parse-control.target.js';
import { fuzz as parseControlV3 } from './parse-control-v3.target.js';
import { fuzz as parseData } from './parse-data.target.js';
import { fuzz as parseDataV3 } from './parse-data-v3.target.js';
import { fuzz as parseHeader } from './parse-header.target.js';
import { fuzz as tunnelFsm } from './tunnel-fsm.target.js';
import { fuzz as unhide } from './unhide.target.js';

const TARGETS: Record<string, (b: Uint8Array) => void> = {
  'parse-control': parseControl,
  'parse-control-v3': parseControlV3,
  'parse-data': parseData,
  'parse-data-v3': parseDataV3,
  'parse-header': parseHeader,
  unhide,
  'tunnel-fsm': tunnelFsm,
};

/** Inputs that once broke a target: [target, hex, what it broke]. */
const FINDINGS: readonly (readonly [string, string, string])[] = [];

const corpusDir = join(__dirname, 'corpus');
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

describe('fuzz corpora replay through every target', () => {
  const inputs = readdirSync(corpusDir).flatMap((t) => readdirSync(join(corpusDir, t)).map((f) => [`${t}/${f}`, new Uint8Array(readFileSync(join(corpusDir, t, f)))] as const));

  it('the corpora are seeded (from the real captures; the v3 ones from the kit, test/fuzz/seed-v3-corpus.ts)', () => {
    expect(inputs.length).toBeGreaterThan(100);
    for (const t of Object.keys(TARGETS)) expect(readdirSync(join(corpusDir, t)).length, t).toBeGreaterThan(0);
  });

  it.each(Object.keys(TARGETS))('%s accepts or rejects (L2tpError) every input', (name) => {
    const f = TARGETS[name]!;
    for (const [file, bytes] of inputs) expect(() => f(bytes), file).not.toThrow();
  });

  it.each(Object.keys(TARGETS))('%s survives edge inputs: empty, one byte, all 0xff, a lone control header', (name) => {
    const f = TARGETS[name]!;
    for (const b of [new Uint8Array(0), Uint8Array.of(0xc8), new Uint8Array(64).fill(0xff), fromHex('c802000c0000000000000000')]) {
      expect(() => f(b)).not.toThrow();
    }
  });

  it('past findings stay fixed', () => {
    for (const [target, hex, what] of FINDINGS) expect(() => TARGETS[target]!(fromHex(hex)), what).not.toThrow();
  });
});

describe('the targets do report findings', () => {
  it('an L2tpError is a rejection; anything else escapes', () => {
    expect(rejectsOnlyWithL2tpError(() => {
      throw new L2tpError('TRUNCATED', 'x');
    })).toBe(false);
    expect(() =>
      rejectsOnlyWithL2tpError(() => {
        throw new TypeError('x');
      }),
    ).toThrow(TypeError);
  });
});
