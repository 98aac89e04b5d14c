// What `npm publish` would ship: the compiled library with its types, and nothing from tests or the sample.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

test('the tarball holds dist with declarations, and no sources, tests or sample', () => {
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
  const files = report.files.map((file) => file.path);
  assert.ok(files.includes('dist/index.js'));
  assert.ok(files.includes('dist/index.d.ts'));
  assert.ok(files.includes('package.json'));
  assert.ok(files.includes('README.md'));
  for (const file of files) assert.ok(!/^(lib|test|sample|bench)\//.test(file), `${file} must not be published`);
});
