import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, startApp, type RunningApp } from '../../fixtures/http-app.js';
import { catalogueAuthorizationCases } from './fixtures/catalogue-authorization.cases.js';
import { jsonRpcNotesModule, RPC_RESOURCE } from './fixtures/json-rpc-notes.app.js';
import { accessToken, challengeScopes, jsonRpcRequest, postJsonRpc, resultOf, startCatalogueAuthorizationServer, toolCall } from './fixtures/json-rpc-probe.js';
import { CREATE_NOTE, operationRuns, WHOAMI } from './fixtures/notes-catalogue.js';

// O1–O4 in front of a plain Nest controller that speaks JSON-RPC by hand: no MCP library checks anything,
// so every refusal here is the guard's, from the resource option `mcp`.

describe.each(ADAPTERS)('per-operation authorization in front of a hand-written JSON-RPC controller (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let app: RunningApp;
  const token = (scope: string) => accessToken(as, RPC_RESOURCE, scope);
  const rpc = async (scope: string | undefined, body: unknown) => postJsonRpc(`${app.url}/rpc`, { token: scope === undefined ? undefined : await token(scope), body });

  beforeAll(async () => {
    as = await startCatalogueAuthorizationServer([RPC_RESOURCE]);
    app = await startApp(adapter, { imports: [jsonRpcNotesModule(as.issuer)] });
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  catalogueAuthorizationCases(() => ({ url: `${app.url}/rpc`, resource: RPC_RESOURCE, token }));

  beforeEach(() => {
    operationRuns.length = 0;
  });

  it('O3: a batch of whoami + create-note with read:notes → 403 naming write:notes; neither call runs', async () => {
    const answer = await rpc('read:notes', [toolCall(WHOAMI, {}, 1), toolCall(CREATE_NOTE, { text: 'no' }, 2)]);
    expect(answer.status).toBe(403);
    expect(answer.challenge?.params.error).toBe('insufficient_scope');
    expect(challengeScopes(answer)).toEqual(['read:notes', 'write:notes']);
    expect(operationRuns).toEqual([]);
  });

  it('O3: the same batch with read:notes write:notes runs both calls', async () => {
    const answer = await rpc('read:notes write:notes', [toolCall(WHOAMI, {}, 1), toolCall(CREATE_NOTE, { text: 'yes' }, 2)]);
    expect(answer.status).toBe(200);
    expect(operationRuns).toEqual([WHOAMI, CREATE_NOTE]);
  });

  it('O4: tools/list filtered by McpOperationAccess shows a read:notes caller whoami but not create-note, marked per caller', async () => {
    const result = resultOf(await rpc('read:notes', jsonRpcRequest('tools/list')));
    expect((result.tools as Array<{ name: string }>).map((tool) => tool.name)).toEqual([WHOAMI]);
    expect(result.cacheScope).toBe('private');
  });

  it('O4: a caller with write:notes sees create-note too, and the result is still per caller', async () => {
    const result = resultOf(await rpc('read:notes write:notes', jsonRpcRequest('tools/list')));
    expect((result.tools as Array<{ name: string }>).map((tool) => tool.name)).toEqual([WHOAMI, CREATE_NOTE]);
    expect(result.cacheScope).toBe('private');
  });

  describe('with mcp.publicDiscover', () => {
    let publicApp: RunningApp;

    beforeAll(async () => {
      publicApp = await startApp(adapter, { imports: [jsonRpcNotesModule(as.issuer, { publicDiscover: true })] });
    });

    afterAll(async () => {
      await publicApp?.close();
    });

    it('server/discover without a token reaches the controller', async () => {
      const answer = await postJsonRpc(`${publicApp.url}/rpc`, { body: jsonRpcRequest('server/discover') });
      expect(answer.status).toBe(200);
      expect(resultOf(answer).serverInfo).toMatchObject({ name: 'notes (JSON-RPC by hand)' });
    });

    it('anything else without a token is still 401: publicDiscover opens server/discover only', async () => {
      const answer = await postJsonRpc(`${publicApp.url}/rpc`, { body: jsonRpcRequest('tools/list') });
      expect(answer.status).toBe(401);
      expect(answer.challenge?.params.scope).toBe('read:notes');
    });
  });
});
