import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The unit tests that guard src/wire, src/reliable and src/fsm, for `npm run mutate` (Stryker).
 * Real peers, workerd, browsers and the CLI are left out: they test the same code through slower
 * doors, and a mutation run executes the chosen tests once per mutant.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: [
      'test/wire/**/*.test.ts',
      'test/reliable/**/*.test.ts',
      'test/fsm/**/*.test.ts',
      'test/compliance/**/*.test.ts',
      'test/arbitraries/**/*.test.ts',
    ],
    exclude: ['test/wire/wireshark.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
