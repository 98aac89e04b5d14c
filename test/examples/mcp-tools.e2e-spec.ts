import type { Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MissingCredentialsFailure } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { postMcp, toolText, withMcpClient } from './fixtures/example-client.js';

// docs/mcp-tools.md (examples/mcp-tools): per-tool scopes from @RequireScopes() through McpToolScopes.
const RESOURCE = 'http://localhost:3000/mcp';

describe('docs/mcp-tools.md (examples/mcp-tools)', () => {
  let as: DevAuthorizationServer;
  let AppModule: Type;
  let NotesTools: typeof import('../../examples/mcp-tools/notes.tools.js').NotesTools;
  const token = async (scope: string) => (await clientCredentialsToken(as, { resource: RESOURCE, scope })).access_token;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes'] }] });
    process.env.MCP_AUTH_ISSUER = as.issuer;
    ({ AppModule } = await import('../../examples/mcp-tools/app.module.js'));
    ({ NotesTools } = await import('../../examples/mcp-tools/notes.tools.js'));
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

    it('C8, C9: a tools/call without write:notes gets 403 insufficient_scope naming every scope, before the tool runs', async () => {
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

    it('with both scopes the tool runs, and its @AuthInfo() parameter receives the caller', async () => {
      const text = await withMcpClient(`${app.url}/mcp`, await token('read:notes write:notes'), async (client) =>
        toolText(await client.callTool({ name: 'create-note', arguments: { text: `from ${adapter}` } })),
      );
      expect(JSON.parse(text)).toMatchObject({ text: `from ${adapter}`, author: `${as.issuer}#client:${as.devClient.clientId}` });
    });

    it('the tool method refuses to run outside a request with the scopes, however it is called', () => {
      const tools = app.app.get(NotesTools);
      expect(() => tools.createNote('direct')).toThrow(MissingCredentialsFailure);
    });
  });
});
