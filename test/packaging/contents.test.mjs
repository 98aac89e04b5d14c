// What `npm publish` would ship: both builds with their types, and nothing from tests or the sample.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const files = report.files.map((file) => file.path);

test('the tarball holds the ESM build with its declarations', () => {
  assert.ok(files.includes('dist/index.js'));
  assert.ok(files.includes('dist/index.d.ts'));
});

test('the tarball holds the CommonJS build: one bundle, its package scope and its declarations', () => {
  const cjs = files.filter((file) => file.startsWith('dist/cjs/'));
  assert.deepEqual(cjs.filter((file) => file.endsWith('.js')), ['dist/cjs/index.js']);
  assert.ok(cjs.includes('dist/cjs/package.json'));
  assert.ok(cjs.includes('dist/cjs/index.d.ts'));
  // Every ESM declaration has its CommonJS twin, so both module systems see the same public types.
  const esmDeclarations = files.filter((file) => file.endsWith('.d.ts') && !file.startsWith('dist/cjs/'));
  for (const file of esmDeclarations) assert.ok(cjs.includes(file.replace(/^dist\//, 'dist/cjs/')), `${file} has a CommonJS twin`);
});

test('the tarball holds package.json and the README, and no sources, tests or sample', () => {
  assert.ok(files.includes('package.json'));
  assert.ok(files.includes('README.md'));
  for (const file of files) assert.ok(!/^(lib|test|sample|bench)\//.test(file), `${file} must not be published`);
});
