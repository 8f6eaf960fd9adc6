// Mutation testing of the protocol core (issue 13): `npm run mutate`, or
// `npm run mutate -- --mutate src/fsm/checks.ts` for one file. Not part of `npm test` (it is long).
// Reports land in test/.stryker/ (gitignored); surviving mutants are listed in docs/compliance.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/vitest.mutate.config.ts' },
  mutate: ['src/wire/**/*.ts', 'src/reliable/**/*.ts', 'src/fsm/**/*.ts', '!src/**/index.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20_000,
  tempDirName: 'test/.stryker/tmp',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'test/.stryker/mutation.json' },
  htmlReporter: { fileName: 'test/.stryker/mutation.html' },
  thresholds: { high: 90, low: 85, break: 85 },
  ignoreStatic: true,
  cleanTempDir: 'always',
  // Re-runs after a fix test only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: 'test/.stryker/incremental.json',
};
