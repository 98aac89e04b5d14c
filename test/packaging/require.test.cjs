// Requires the built package by name, as a CommonJS consumer would (a NestJS 11 app compiled by tsc to CommonJS).
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { test } = require('node:test');

const PACKAGE_ROOT = dirname(require.resolve('nestjs-mcp-auth/package.json'));

test('a CommonJS consumer gets the CommonJS bundle', () => {
  assert.equal(require.resolve('nestjs-mcp-auth'), join(PACKAGE_ROOT, 'dist', 'cjs', 'index.js'));
});

test('the CommonJS bundle is a CommonJS scope inside the ESM package', () => {
  assert.deepEqual(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'dist', 'cjs', 'package.json'), 'utf8')), { type: 'commonjs' });
});

test('the package can be required from CommonJS and exposes its public API', async () => {
  const { PUBLIC_FUNCTIONS } = await import('./public-api.mjs');
  const api = require('nestjs-mcp-auth');
  for (const name of PUBLIC_FUNCTIONS) assert.equal(typeof api[name], 'function', `${name} is exported`);
  assert.equal(api.PROTECTED_RESOURCE_WELL_KNOWN, '/.well-known/oauth-protected-resource');
});

test('requiring it loads no ES module of ours and no jose from node_modules (Jest could not load either)', () => {
  require('nestjs-mcp-auth');
  const loaded = Object.keys(require.cache);
  const ours = loaded.filter((file) => file.startsWith(join(PACKAGE_ROOT, 'dist')));
  assert.deepEqual(ours, [join(PACKAGE_ROOT, 'dist', 'cjs', 'index.js')]);
  assert.deepEqual(loaded.filter((file) => file.includes(`${join('node_modules', 'jose')}`)), []);
});

test('class names survive the bundling (Nest names them in its errors)', () => {
  const { BearerAuthGuard, McpAuthModule, JwtAccessTokenVerifier } = require('nestjs-mcp-auth');
  assert.deepEqual([BearerAuthGuard.name, McpAuthModule.name, JwtAccessTokenVerifier.name], ['BearerAuthGuard', 'McpAuthModule', 'JwtAccessTokenVerifier']);
});
