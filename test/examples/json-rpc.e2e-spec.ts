import type { Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { postMcp } from './fixtures/example-client.js';

// docs/mcp-tools.md (examples/json-rpc): a hand-written JSON-RPC endpoint, its operations' scopes in the `mcp` option.
const RESOURCE = 'http://localhost:3000/rpc';
const SCOPES = ['read:notes', 'write:notes', 'notes:summarize'];

describe('docs/mcp-tools.md (examples/json-rpc)', () => {
  let as: DevAuthorizationServer;
  let AppModule: Type;
  const token = async (scope: string) => (await clientCredentialsToken(as, { resource: RESOURCE, scope })).access_token;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: RESOURCE, scopes: SCOPES }] });
    process.env.MCP_AUTH_ISSUER = as.issuer;
    ({ AppModule } = await import('../../examples/json-rpc/app.module.js'));
  });

  afterAll(async () => {
    delete process.env.MCP_AUTH_ISSUER;
    await as?.close();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: RunningApp;
    const rpc = async (scope: string, method: string, params?: object) => postMcp(`${app.url}/rpc`, await token(scope), method, params);

    beforeAll(async () => {
      app = await startApp(adapter, { imports: [AppModule] });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('O1, C9: tools/call create-note needs write:notes on top of the route; the 403 names both', async () => {
      const refused = await rpc('read:notes', 'tools/call', { name: 'create-note', arguments: { text: 'nope' } });
      expect(refused.status).toBe(403);
      expect(refused.challenge?.params).toMatchObject({ error: 'insufficient_scope', scope: 'read:notes write:notes' });
      const written = await rpc('read:notes write:notes', 'tools/call', { name: 'create-note', arguments: { text: `on ${adapter}` } });
      expect(written.status).toBe(200);
      expect(JSON.stringify(written.body)).toContain(`on ${adapter}`);
      expect(JSON.stringify(written.body)).not.toContain('nope');
    });

    it('O1: resources/read by template and prompts/get need their own scopes', async () => {
      expect((await rpc('read:notes', 'resources/read', { uri: 'notes://1' })).status).toBe(200);
      const prompt = await rpc('read:notes', 'prompts/get', { name: 'summarize' });
      expect(prompt.status).toBe(403);
      expect(prompt.challenge?.params.scope).toBe('read:notes notes:summarize');
      expect((await rpc('read:notes notes:summarize', 'prompts/get', { name: 'summarize' })).status).toBe(200);
    });

    it('O4: tools/list shows a read:notes caller only list-notes, marked cacheScope private', async () => {
      const reader = await rpc('read:notes', 'tools/list');
      expect(reader.body).toMatchObject({ result: { tools: [{ name: 'list-notes' }], cacheScope: 'private' } });
      const writer = await rpc('read:notes write:notes', 'tools/list');
      expect((writer.body as { result: { tools: Array<{ name: string }> } }).result.tools.map((tool) => tool.name)).toEqual(['list-notes', 'create-note']);
    });
  });
});
