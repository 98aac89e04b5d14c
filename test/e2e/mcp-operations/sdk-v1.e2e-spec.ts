import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, startApp, type RunningApp } from '../../fixtures/http-app.js';
import { catalogueAuthorizationCases } from './fixtures/catalogue-authorization.cases.js';
import { accessToken, challengeScopes, postJsonRpc, startCatalogueAuthorizationServer, toolCall } from './fixtures/json-rpc-probe.js';
import { CREATE_NOTE, MCP_RESOURCE, operationRuns, WHOAMI } from './fixtures/notes-catalogue.js';
import { sdkV1NotesModule } from './fixtures/sdk-v1-notes.app.js';

// O1–O3 on the MCP SDK v1 (McpServer + stateless StreamableHTTPServerTransport), which has no per-tool hook
// of its own: the requirements are the @RequireScopes() of the provider methods named by @McpTool() & co.

describe.each(ADAPTERS)('per-operation authorization in front of the MCP SDK v1 (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let app: RunningApp;

  beforeAll(async () => {
    as = await startCatalogueAuthorizationServer([MCP_RESOURCE]);
    app = await startApp(adapter, { imports: [sdkV1NotesModule(as.issuer)] });
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  catalogueAuthorizationCases(() => ({ url: `${app.url}/mcp`, resource: MCP_RESOURCE, token: (scope) => accessToken(as, MCP_RESOURCE, scope) }));

  describe('batches (SDK v1 still accepts them)', () => {
    beforeEach(() => {
      operationRuns.length = 0;
    });

    it('O3: a batch of whoami + create-note with read:notes → 403 naming write:notes; neither call runs', async () => {
      const token = await accessToken(as, MCP_RESOURCE, 'read:notes');
      const answer = await postJsonRpc(`${app.url}/mcp`, { token, body: [toolCall(WHOAMI, {}, 1), toolCall(CREATE_NOTE, { text: 'no' }, 2)] });
      expect(answer.status).toBe(403);
      expect(answer.challenge?.params.error).toBe('insufficient_scope');
      expect(challengeScopes(answer)).toEqual(['read:notes', 'write:notes']);
      expect(operationRuns).toEqual([]);
    });

    it('O3: the same batch with read:notes write:notes runs both calls', async () => {
      const token = await accessToken(as, MCP_RESOURCE, 'read:notes write:notes');
      const answer = await postJsonRpc(`${app.url}/mcp`, { token, body: [toolCall(WHOAMI, {}, 1), toolCall(CREATE_NOTE, { text: 'yes' }, 2)] });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual([expect.objectContaining({ id: 1, result: expect.anything() }), expect.objectContaining({ id: 2, result: expect.anything() })]);
      expect([...operationRuns].sort()).toEqual([CREATE_NOTE, WHOAMI]);
    });
  });
});
