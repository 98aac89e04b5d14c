import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, startApp, type RunningApp } from '../../fixtures/http-app.js';
import { catalogueAuthorizationCases } from './fixtures/catalogue-authorization.cases.js';
import { accessToken, challengeScopes, postJsonRpc, resultOf, startCatalogueAuthorizationServer, toolCall } from './fixtures/json-rpc-probe.js';
import { MCP_RESOURCE, operationRuns } from './fixtures/notes-catalogue.js';
import { PURGE_NOTES, PURGE_NOTES_SDK_ONLY, sdkV2NotesModule } from './fixtures/sdk-v2-notes.app.js';

// O1 and O2 on the MCP SDK v2 with inline handlers and no scopeChallenge: the requirements come from the
// resource option `mcp`. And where a tool has both (option and scopeChallenge), the two must agree.

describe.each(ADAPTERS)('per-operation authorization in front of the MCP SDK v2 (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let app: RunningApp;
  const token = (scope: string) => accessToken(as, MCP_RESOURCE, scope);

  beforeAll(async () => {
    as = await startCatalogueAuthorizationServer([MCP_RESOURCE]);
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
});
