import type { Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { postMcp, toolText, withMcpClient } from './fixtures/example-client.js';

// docs/mcp-tools.md (examples/mcp-sdk-v1): the MCP SDK v1 has no per-tool scope hook; the guard answers instead.
const RESOURCE = 'http://localhost:3000/mcp';

describe('docs/mcp-tools.md (examples/mcp-sdk-v1)', () => {
  let as: DevAuthorizationServer;
  let AppModule: Type;
  const token = async (scope: string) => (await clientCredentialsToken(as, { resource: RESOURCE, scope })).access_token;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes'] }] });
    process.env.MCP_AUTH_ISSUER = as.issuer;
    ({ AppModule } = await import('../../examples/mcp-sdk-v1/app.module.js'));
  });

  afterAll(async () => {
    delete process.env.MCP_AUTH_ISSUER;
    await as?.close();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await startApp(adapter, { imports: [AppModule] });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('O1, C9: a tools/call of create-note without write:notes gets 403 insufficient_scope naming every scope; the note is not written', async () => {
      const readOnly = await token('read:notes');
      const { status, challenge } = await postMcp(`${app.url}/mcp`, readOnly, 'tools/call', { name: 'create-note', arguments: { text: 'nope' } });
      expect(status).toBe(403);
      expect(challenge?.params).toMatchObject({
        error: 'insufficient_scope',
        scope: 'read:notes write:notes',
        resource_metadata: 'http://localhost:3000/.well-known/oauth-protected-resource/mcp',
      });
      const notes = await withMcpClient(`${app.url}/mcp`, readOnly, async (client) => toolText(await client.callTool({ name: 'list-notes', arguments: {} })));
      expect(JSON.parse(notes)).not.toContainEqual(expect.objectContaining({ text: 'nope' }));
    });

    it('O1: with both scopes the SDK v1 server runs the tool, which receives the caller', async () => {
      const text = await withMcpClient(`${app.url}/mcp`, await token('read:notes write:notes'), async (client) =>
        toolText(await client.callTool({ name: 'create-note', arguments: { text: `v1 on ${adapter}` } })),
      );
      expect(JSON.parse(text)).toMatchObject({ text: `v1 on ${adapter}`, author: `${as.issuer}#client:${as.devClient.clientId}` });
    });
  });
});
