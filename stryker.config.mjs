// Mutation testing of the code that decides who gets in (`npm run mutation`; not part of `npm test` or CI).
// Incremental: a re-run tests only the mutants whose code or tests changed since reports/stryker-incremental.json.
// Results and the accepted equivalent mutants: docs/mutation-testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/security/mutation.vitest.config.mts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'lib/verification/**/*.ts',
    'lib/http/**/*.ts',
    'lib/guards/authorization-header.ts',
    'lib/scopes/**/*.ts',
    '!lib/**/*.interface.ts',
  ],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // The machine is shared: one mutant at a time.
  concurrency: 1,
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
};
