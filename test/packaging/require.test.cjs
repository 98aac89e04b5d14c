// Requires the built ESM package by name from CommonJS (require(esm), Node >= 20.19): no top-level await allowed.
const assert = require('node:assert/strict');
const { test } = require('node:test');

test('the package can be required from CommonJS', () => {
  const api = require('nestjs-mcp-auth');
  assert.equal(typeof api.McpAuthModule, 'function');
  assert.equal(typeof api.BearerAuthGuard, 'function');
});
