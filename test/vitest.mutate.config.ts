import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    exclude: ['test/**/*wireshark*.test.ts'],
    // Property runs divided by 10 (test/runs.ts): the score is then a lower bound.
    env: { L2TP_MUTATE_SCALE: '10' },
    // One worker keeps the modules it imported between mutants: the instrumented code switches
    // mutants at run time, so nothing needs re-importing (import was most of each mutant's time).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
