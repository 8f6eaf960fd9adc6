import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Fastest test files first. Stryker stops a mutant's run at the first failing test (bail), and
 * vitest's own order runs the longest files first: a mutant that a 20 ms test kills then waited
 * for the 20 s fuzzing-kit property first. Durations come from the dry run; unknown files go last.
 */
class FastestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const root = this.ctx.config.root;
    const cost = (spec: TestSpecification): number =>
      cache.getFileTestResults(`${spec.project.name}:${relative(root, spec.moduleId)}`)?.duration ??
      Number.MAX_SAFE_INTEGER;
    return [...files].sort((a, b) => cost(a) - cost(b));
  }
}

/**
 * The unit tests that guard src/wire, src/reliable and src/fsm, for `npm run mutate` (Stryker).
 * Real peers, tshark, workerd, browsers and the CLI are left out: they test the same code through slower
 * doors, and a mutation run executes the chosen tests once per mutant.
 */
/**
 * `L2TP_MUTATE_TESTS=wire,compliance` runs only those test folders (a folder's own tests against its
 * mutants: fewer tests per mutant, so a lower bound on the score, in a fraction of the time).
 */
const ONLY = process.env.L2TP_MUTATE_TESTS?.split(',').map((folder) => `test/${folder}/**/*.test.ts`);

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ONLY ?? [
      'test/wire/**/*.test.ts',
      'test/reliable/**/*.test.ts',
      'test/fsm/**/*.test.ts',
      'test/compliance/**/*.test.ts',
      'test/arbitraries/**/*.test.ts',
    ],
    // tshark runs (the *wireshark* tests) cost ~1 s each and test the same encoders the unit tests do.
    // L2TP_MUTATE_QUICK=1 also leaves out the four property files that cost seconds per run (the
    // fuzzing kit's 500 random sessions, the v2/v3 garbage fuzzers, the 10,000-tunnel memory bound):
    // a surviving mutant runs every test that covers it, so they made each survivor cost ~45 s. They
    // assert "never throws / stays bounded", which the unit tests check case by case: a lower bound.
    exclude: [
      'test/**/*wireshark*.test.ts',
      ...(process.env.L2TP_MUTATE_QUICK === '1' ? ['test/fsm/kit.test.ts', 'test/fsm/fuzz.test.ts', 'test/fsm/v3-fuzz.test.ts', 'test/fsm/memory.test.ts'] : []),
    ],
    // Property runs divided by 10 (test/runs.ts): the score is then a lower bound.
    env: { L2TP_MUTATE_SCALE: '10' },
    // One worker keeps the modules it imported between mutants: the instrumented code switches
    // mutants at run time, so nothing needs re-importing (import was most of each mutant's time).
    isolate: false,
    sequence: { sequencer: FastestFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
