import { UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { freePort } from '../../fixtures/free-port.js';
import { ADAPTERS, startApp, type RunningApp } from '../../fixtures/http-app.js';
import { connectWithOAuth, DevLoginOAuthProvider, toolJson } from '../../fixtures/mcp-oauth-client.js';
import { catalogueAuthorizationCases } from './fixtures/catalogue-authorization.cases.js';
import { accessToken, challengeScopes, postJsonRpc, resultOf, startCatalogueAuthorizationServer, toolCall } from './fixtures/json-rpc-probe.js';
import { CREATE_NOTE, MCP_RESOURCE, operationRuns } from './fixtures/notes-catalogue.js';
import { PURGE_NOTES, PURGE_NOTES_SDK_ONLY, sdkV2NotesModule } from './fixtures/sdk-v2-notes.app.js';

// O1 and O2 on the MCP SDK v2 with inline handlers and no scopeChallenge: the requirements come from the
// resource option `mcp`. And where a tool has both (option and scopeChallenge), the two must agree.

describe.each(ADAPTERS)('per-operation authorization in front of the MCP SDK v2 (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let app: RunningApp;
  const token = (scope: string) => accessToken(as, MCP_RESOURCE, scope);
  // The step-up app's resource names its own URL (the client checks it), so its port is chosen first.
  let stepUpPort: number;
  let stepUpUrl: string;

  beforeAll(async () => {
    stepUpPort = await freePort();
    stepUpUrl = `http://127.0.0.1:${stepUpPort}/mcp`;
    as = await startCatalogueAuthorizationServer([MCP_RESOURCE, stepUpUrl]);
    app = await startApp(adapter, { imports: [sdkV2NotesModule(as.issuer)] });
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  catalogueAuthorizationCases(() => ({ url: `${app.url}/mcp`, resource: MCP_RESOURCE, token }));

  describe('the guard and the SDK’s scopeChallenge', () => {
    beforeEach(() => {
      operationRuns.length = 0;
    });

    it('agree: the guard’s 403 for a tool it knows equals the SDK’s 403 for the same requirements', async () => {
      const readOnly = await token('read:notes');
      // purge-notes: the guard knows it (mcp option), so the guard answers before the SDK.
      const byGuard = await postJsonRpc(`${app.url}/mcp`, { token: readOnly, body: toolCall(PURGE_NOTES) });
      // purge-notes-sdk-only: the guard does not know it, so the SDK's scopeChallenge answers.
      const bySdk = await postJsonRpc(`${app.url}/mcp`, { token: readOnly, body: toolCall(PURGE_NOTES_SDK_ONLY) });

      expect(byGuard.status).toBe(403);
      expect(byGuard.body).toMatchObject({ error: 'insufficient_scope' });
      expect(bySdk.status).toBe(403);
      expect(challengeScopes(byGuard)).toEqual(['notes:purge', 'read:notes']);
      expect(challengeScopes(bySdk)).toEqual(challengeScopes(byGuard));
      expect(byGuard.challenge?.params.error).toBe(bySdk.challenge?.params.error);
      expect(byGuard.challenge?.params.resource_metadata).toBe(bySdk.challenge?.params.resource_metadata);
      expect(operationRuns).toEqual([]);
    });

    it('agree on admitting: with notes:purge both tools run', async () => {
      const purger = await token('read:notes notes:purge');
      for (const name of [PURGE_NOTES, PURGE_NOTES_SDK_ONLY]) {
        expect(resultOf(await postJsonRpc(`${app.url}/mcp`, { token: purger, body: toolCall(name) })).isError).toBeFalsy();
      }
      expect(operationRuns).toEqual([PURGE_NOTES, PURGE_NOTES]);
    });
  });

  describe('step-up through the official SDK v2 client', () => {
    let stepUpApp: RunningApp;

    beforeAll(async () => {
      stepUpApp = await startApp(adapter, { imports: [sdkV2NotesModule(as.issuer, stepUpUrl)] }, { port: stepUpPort });
    });

    afterAll(async () => {
      await stepUpApp?.close();
    });

    beforeEach(() => {
      operationRuns.length = 0;
    });

    it('O1: from read:notes to write:notes through the guard’s 403 (no scopeChallenge on create-note); it runs once, after the step-up', async () => {
      const provider = new DevLoginOAuthProvider({ clientName: 'SDK v2 client' });
      const connected = await connectWithOAuth(stepUpUrl, provider);
      try {
        // The SDK v2 client adds offline_access to what the challenge asks for.
        expect(provider.authorizationUrls[0]!.searchParams.get('scope')!.split(' ').sort()).toEqual(['offline_access', 'read:notes']);
        const createNote = () => connected.client.callTool({ name: CREATE_NOTE, arguments: { text: 'stepped up' } });

        await expect(createNote()).rejects.toBeInstanceOf(UnauthorizedError);
        expect(operationRuns).toEqual([]);
        expect(provider.authorizationUrls[1]!.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['read:notes', 'write:notes']));

        await connected.transport.finishAuth(provider.takeAuthorizationResponse());
        expect(toolJson(await createNote())).toEqual({ created: 'stepped up' });
        expect(operationRuns).toEqual([CREATE_NOTE]);
      } finally {
        await connected.close();
      }
    });
  });
});
