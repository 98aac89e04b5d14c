// Imports the built package by its own name, as an ESM consumer would (run after `npm run build`).
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('the package is importable by name and exposes its public API', async () => {
  const api = await import('nestjs-mcp-auth');
  for (const name of ['McpAuthModule', 'BearerAuthGuard', 'RequireScopes', 'AuthInfo', 'McpAuthContext', 'McpToolScopes', 'AccessTokenVerifier', 'McpSdkTokenVerifier']) {
    assert.equal(typeof api[name], 'function', `${name} is exported`);
  }
  assert.equal(typeof api.McpAuthModule.forRootAsync, 'function');
  assert.equal(api.PROTECTED_RESOURCE_WELL_KNOWN, '/.well-known/oauth-protected-resource');
});

test('package.json is exported', async () => {
  const { default: manifest } = await import('nestjs-mcp-auth/package.json', { with: { type: 'json' } });
  assert.equal(manifest.name, 'nestjs-mcp-auth');
});
