// The CommonJS build: the ESM build (dist/) bundled into one CommonJS file, dist/cjs/index.js.
// tsc has already lowered the decorators and emitted their metadata; this step only changes the module format.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'rolldown';

const readJson = (path) => JSON.parse(readFileSync(join(import.meta.dirname, path), 'utf8'));
const manifest = readJson('package.json');

// jose is ESM-only. Node can require() it (require(esm), Node >= 20.19), but Jest's CommonJS runtime cannot,
// and that is the runtime of a NestJS 11 app's tests. So the CommonJS build carries its own copy of jose;
// every other dependency and peer stays external, loaded once from the application's node_modules.
const BUNDLED = new Set(['jose']);
const external = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies), '@modelcontextprotocol']
  .filter((name) => !BUNDLED.has(name));
const jose = readJson('node_modules/jose/package.json');
const joseLicense = readFileSync(join(import.meta.dirname, 'node_modules/jose/LICENSE.md'), 'utf8');

export default defineConfig({
  input: 'dist/index.js',
  platform: 'node',
  external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
  output: {
    dir: 'dist/cjs',
    entryFileNames: 'index.js',
    format: 'cjs',
    // import() of an optional peer (@modelcontextprotocol/server) becomes require(): Jest has no dynamic import.
    dynamicImportInCjs: false,
    // Nest names classes in its errors ("Nest can't resolve dependencies of BearerAuthGuard"); keep them.
    keepNames: true,
    banner: `/*! Includes jose ${jose.version} (https://github.com/panva/jose):\n${joseLicense.trim()}\n*/`,
  },
  plugins: [
    {
      name: 'commonjs-package-scope',
      // Marks dist/cjs as CommonJS for Node and TypeScript; the package itself is "type": "module".
      generateBundle() {
        this.emitFile({ type: 'asset', fileName: 'package.json', source: '{\n  "type": "commonjs"\n}\n' });
      },
    },
  ],
});
