import { fileURLToPath } from 'node:url';

import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Nest's dependency injection reads `design:paramtypes`, which only a compiler
// that emits decorator metadata provides; SWC does, with these settings spelled out.
export default defineConfig({
  plugins: [
    swc.vite({
      module: { type: 'es6' },
      jsc: {
        target: 'es2023',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      },
    }),
  ],
  // The examples (examples/) import the library by its package name, as users write it: here, its sources.
  resolve: {
    alias: [{ find: /^nestjs-mcp-auth$/, replacement: fileURLToPath(new URL('./lib/index.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    // test/consumers/apps/ hold apps with their own node_modules and test runners; consumers.e2e-spec.ts runs them.
    exclude: ['test/packaging/**', 'test/consumers/apps/**', 'node_modules/**'],
    // Installs what the suites need when it is missing and starts their Redis: nothing to do before `npm test`.
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // `npm test` runs with --coverage: the library must stay covered, measured over unit and e2e suites alike.
    coverage: {
      provider: 'v8',
      include: ['lib/**'],
      // Pure type declarations and the re-export barrel hold no executable code.
      exclude: ['lib/index.ts', 'lib/**/*.interface.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      thresholds: { lines: 95, branches: 90 },
    },
  },
});
