// The two builds side by side: the same public API, and a warning when one process loads both.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

const WARNING = /nestjs-mcp-auth is loaded twice in this process, from \S+\/dist\/cjs\/index\.js and from \S+\/dist\/index\.js/;

/** Runs a script in a fresh Node process next to this file (so `nestjs-mcp-auth` resolves to this package). */
function runNode(source) {
  return execFileSync(process.execPath, ['--input-type=commonjs', '-e', source], {
    cwd: import.meta.dirname,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('both builds export the same names', () => {
  const output = runNode(`
    const cjs = require('nestjs-mcp-auth');
    import('nestjs-mcp-auth').then((esm) => console.log(JSON.stringify({ cjs: Object.keys(cjs).sort(), esm: Object.keys(esm).sort() })));
  `);
  const { cjs, esm } = JSON.parse(output.trim().split('\n').at(-1));
  assert.ok(esm.length > 40, `the barrel exports ${esm.length} names`);
  assert.deepEqual(cjs, esm);
});

test('a process that requires and imports the package is warned once, with both locations', () => {
  const output = runNode(`
    require('nestjs-mcp-auth');
    import('nestjs-mcp-auth').then(() => import('nestjs-mcp-auth')).then(() => require('nestjs-mcp-auth'));
  `);
  assert.equal(output.split('\n').filter((line) => WARNING.test(line)).length, 1, output);
});

test('a process that loads the package one way only is not warned', () => {
  assert.doesNotMatch(runNode(`require('nestjs-mcp-auth'); require('nestjs-mcp-auth');`), /loaded twice/);
  assert.doesNotMatch(runNode(`import('nestjs-mcp-auth').then(() => import('nestjs-mcp-auth'));`), /loaded twice/);
});
