/**
 * A clone is all `npm test` needs: no test, script, source or CI file reaches for the captures or
 * peer recipes that once lived beside the repository (the sibling `shared` folder), for a developer's own paths,
 * or for any relative path that climbs out of the clone. (The proof that it passes on its own is
 * `git clone` into an empty directory + `npm ci && npm test`; this test keeps it that way.)
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEXT = /\.(ts|mts|cts|mjs|cjs|js|json|sh|py|md|capnp)$|^run$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    // Generated or installed, not written: dependencies, fuzz corpora, builds, and dot folders
    // (test/.doc-blocks holds the docs' examples while test/readme.test.ts runs them).
    if (f === 'node_modules' || f === 'corpus' || f === 'dist' || f.startsWith('.')) return [];
    return statSync(p).isDirectory() ? walk(p) : TEXT.test(f) ? [p] : [];
  });
}

/** Everything `npm test` runs or reads, plus what ships. */
const FILES = [...walk(join(ROOT, 'test')), ...walk(join(ROOT, 'src')), ...walk(join(ROOT, '.ci')), join(ROOT, 'package.json'), join(ROOT, 'tsup.config.ts')];
const rel = (p: string): string => relative(ROOT, p);
/** This file names what it forbids; it is the one file not scanned for it. */
const SCANNED = FILES.filter((f) => f !== fileURLToPath(import.meta.url));
const SHARED = ['..', 'shared'].join('/');

describe('the repository is self-contained', () => {
  it('scans the test, source and CI files', () => {
    expect(FILES.map(rel)).toEqual(expect.arrayContaining(['package.json', '.ci/run', 'test/support/vectors.ts', 'test/vectors/regen.sh', 'src/index.ts']));
  });

  it(`nothing under test/, src/, .ci/ or package.json names ${SHARED}`, () => {
    const hits = SCANNED.filter((f) => readFileSync(f, 'utf8').includes(SHARED)).map(rel);
    expect(hits).toEqual([]);
  });

  it("nothing names a developer's own directories (/work/…, /home/…, /root/…)", () => {
    const hits = SCANNED.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/["'`\s(](\/(?:work|home|root)\/[^\s"'`)]*)/g)].map((m) => `${rel(f)}: ${m[1]}`),
    );
    expect(hits).toEqual([]);
  });

  it('no relative path in a test or script climbs out of the clone', () => {
    const hits: string[] = [];
    for (const f of SCANNED) {
      for (const m of readFileSync(f, 'utf8').matchAll(/["'`]((?:\.\.\/)+[^"'`$\s]*)/g)) {
        // Paths are relative to the file (import.meta.url, __dirname, dirname "$0") or to the
        // repository root (npm scripts, cwd): outside both is outside the clone.
        const fromFile = resolve(dirname(f), m[1]!);
        const fromRoot = resolve(ROOT, m[1]!);
        const inside = (p: string): boolean => (p + sep).startsWith(ROOT) || p + sep === ROOT;
        if (!inside(fromFile) && !inside(fromRoot)) hits.push(`${rel(f)}: ${m[1]}`);
        else if (!inside(fromFile) && f.endsWith('.ts')) hits.push(`${rel(f)}: ${m[1]}`);
      }
    }
    expect(hits).toEqual([]);
  });
});
