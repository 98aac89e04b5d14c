// Imports the built package by its own name, as an ESM consumer would (run after `npm run build`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { PUBLIC_FUNCTIONS } from './public-api.mjs';

test('an ESM consumer gets the ESM build', () => {
  assert.match(import.meta.resolve('nestjs-mcp-auth'), /\/dist\/index\.js$/);
});

test('the package is importable by name and exposes its public API', async () => {
  const api = await import('nestjs-mcp-auth');
  for (const name of PUBLIC_FUNCTIONS) assert.equal(typeof api[name], 'function', `${name} is exported`);
  assert.equal(typeof api.McpAuthModule.forRootAsync, 'function');
  assert.equal(api.PROTECTED_RESOURCE_WELL_KNOWN, '/.well-known/oauth-protected-resource');
});

test('package.json is exported', async () => {
  const { default: manifest } = await import('nestjs-mcp-auth/package.json', { with: { type: 'json' } });
  assert.equal(manifest.name, 'nestjs-mcp-auth');
});

test('the ESM build is an ES module scope', () => {
  const manifest = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('nestjs-mcp-auth/package.json'), 'utf8'));
  assert.equal(manifest.type, 'module');
});
