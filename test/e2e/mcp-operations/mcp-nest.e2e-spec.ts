import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, type RunningApp } from '../../fixtures/http-app.js';
import { catalogueAuthorizationCases } from './fixtures/catalogue-authorization.cases.js';
import { accessToken, challengeScopes, postJsonRpc, resultOf, startCatalogueAuthorizationServer, toolCall } from './fixtures/json-rpc-probe.js';
import { PURGE_NOTES, startMcpNestNotesApp } from './fixtures/mcp-nest-notes.app.js';
import { MCP_RESOURCE, operationRuns } from './fixtures/notes-catalogue.js';

// O1 and O2 on MCP-Nest v2, declared in MCP-Nest's terms only (@Tool + @ToolScopes) or with our
// @RequireScopes() on the handler: either way the guard answers the 403 before MCP-Nest runs, so the body is
// our JSON error, not MCP-Nest's JSON-RPC error (the shared cases check that).

describe.each(ADAPTERS)('per-operation authorization in front of MCP-Nest v2 (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let app: RunningApp;
  const token = (scope: string) => accessToken(as, MCP_RESOURCE, scope);

  beforeAll(async () => {
    as = await startCatalogueAuthorizationServer([MCP_RESOURCE]);
    app = await startMcpNestNotesApp(adapter, as.issuer);
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  // MCP-Nest routes notes://all to the notes://{id} template's handler, so the exact-URI case is not its to answer.
  catalogueAuthorizationCases(() => ({ url: `${app.url}/mcp`, resource: MCP_RESOURCE, token }), { exactResource: false });

  describe('a tool with our @RequireScopes() only', () => {
    beforeEach(() => {
      operationRuns.length = 0;
    });

    it('O1: without notes:purge → 403 from the guard naming read:notes and notes:purge, not a tool error; the tool does not run', async () => {
      const answer = await postJsonRpc(`${app.url}/mcp`, { token: await token('read:notes'), body: toolCall(PURGE_NOTES) });
      expect(answer.status).toBe(403);
      expect(answer.challenge?.params.error).toBe('insufficient_scope');
      expect(challengeScopes(answer)).toEqual(['notes:purge', 'read:notes']);
      expect(operationRuns).toEqual([]);
    });

    it('O1: with notes:purge it runs', async () => {
      const answer = await postJsonRpc(`${app.url}/mcp`, { token: await token('read:notes notes:purge'), body: toolCall(PURGE_NOTES) });
      expect(resultOf(answer).isError).toBeFalsy();
      expect(operationRuns).toEqual([PURGE_NOTES]);
    });
  });
});
