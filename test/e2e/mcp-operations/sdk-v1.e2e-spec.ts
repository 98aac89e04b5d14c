import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { freePort } from '../../fixtures/free-port.js';
import { ADAPTERS, startApp, type RunningApp } from '../../fixtures/http-app.js';
import { DevLoginOAuthProvider, toolJson } from '../../fixtures/mcp-oauth-client.js';
import { catalogueAuthorizationCases } from './fixtures/catalogue-authorization.cases.js';
import { accessToken, challengeScopes, postJsonRpc, startCatalogueAuthorizationServer, toolCall } from './fixtures/json-rpc-probe.js';
import { CREATE_NOTE, MCP_RESOURCE, operationRuns, WHOAMI } from './fixtures/notes-catalogue.js';
import { sdkV1NotesModule } from './fixtures/sdk-v1-notes.app.js';

// O1–O3 on the MCP SDK v1 (McpServer + stateless StreamableHTTPServerTransport), which has no per-tool hook
// of its own: the requirements are the @RequireScopes() of the provider methods named by @McpTool() & co.

describe.each(ADAPTERS)('per-operation authorization in front of the MCP SDK v1 (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let app: RunningApp;
  // The step-up app's resource names its own URL (the client checks it), so its port is chosen first.
  let stepUpPort: number;
  let stepUpUrl: string;

  beforeAll(async () => {
    stepUpPort = await freePort();
    stepUpUrl = `http://127.0.0.1:${stepUpPort}/mcp`;
    as = await startCatalogueAuthorizationServer([MCP_RESOURCE, stepUpUrl]);
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

  describe('step-up through the SDK v1 client', () => {
    let stepUpApp: RunningApp;

    beforeAll(async () => {
      stepUpApp = await startApp(adapter, { imports: [sdkV1NotesModule(as.issuer, stepUpUrl)] }, { port: stepUpPort });
    });

    afterAll(async () => {
      await stepUpApp?.close();
    });

    it('O1: from read:notes to write:notes through the guard’s 403; create-note runs once, after the step-up', async () => {
      const provider = new DevLoginOAuthProvider({ clientName: 'SDK v1 client' });
      const transportFor = () => new StreamableHTTPClientTransport(new URL(stepUpUrl), { authProvider: provider });

      // As an SDK v1 host does it: connect, send the user to log in, finish with the code, connect again.
      const first = transportFor();
      await expect(new Client({ name: 'sdk-v1-step-up', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
      await first.finishAuth(provider.takeAuthorizationResponse().get('code')!);
      expect(provider.authorizationUrls[0]!.searchParams.get('scope')).toBe('read:notes');

      const transport = transportFor();
      const client = new Client({ name: 'sdk-v1-step-up', version: '1.0.0' });
      await client.connect(transport);
      try {
        const createNote = () => client.callTool({ name: CREATE_NOTE, arguments: { text: 'stepped up' } });
        // SDK v1's auth() refreshes whenever it holds a refresh token, and a refresh cannot widen the grant
        // (RFC 6749 §6): it would retry with read:notes again and give up ("403 after trying upscoping").
        // An SDK v1 host that wants step-up keeps the access token and drops the refresh token.
        provider.useTokens({ ...provider.tokens()!, refresh_token: undefined });
        await expect(createNote()).rejects.toBeInstanceOf(UnauthorizedError);
        expect(operationRuns).toEqual([]);
        expect(provider.authorizationUrls[1]!.searchParams.get('scope')!.split(' ').sort()).toEqual(['read:notes', 'write:notes']);

        await transport.finishAuth(provider.takeAuthorizationResponse().get('code')!);
        expect(toolJson(await createNote())).toEqual({ created: 'stepped up' });
        expect(operationRuns).toEqual([CREATE_NOTE]);
      } finally {
        await client.close();
      }
    });
  });
});
