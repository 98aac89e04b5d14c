import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.mjs';

// The tests StrykerJS runs against each mutant (`npm run mutation`): the unit suites of the mutated code,
// the JWS attack catalogue and a short differential run. The other e2e suites add minutes per mutant and
// kill nothing these don't. The list replaces the base config's (mergeConfig would append to it).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/unit/verification/**/*.spec.ts',
      'test/unit/http/**/*.spec.ts',
      'test/unit/guards/authorization-header.spec.ts',
      'test/unit/scopes/**/*.spec.ts',
      'test/security/jws-attacks.e2e-spec.ts',
      'test/security/jws-differential.spec.ts',
    ],
    env: { DIFFERENTIAL_RUNS: '300' },
    coverage: { enabled: false },
  },
});
