import type { Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';

// examples/async-configuration (forRootAsync from ConfigService, isGlobal, scopeHierarchy) with the feature module of
// examples/guard-and-decorators (class ∪ method scopes, @AuthInfo(), McpAuthContext), on both adapters.
const RESOURCE = 'http://localhost:3000/notes';

describe('README async configuration and docs/guard-and-decorators.md (examples/async-configuration)', () => {
  let as: DevAuthorizationServer;
  let AppModule: Type;
  const token = async (scope: string) => (await clientCredentialsToken(as, { resource: RESOURCE, scope })).access_token;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes', 'notes:admin'] }] });
    process.env.MCP_RESOURCE = RESOURCE;
    process.env.MCP_AUTH_ISSUER = as.issuer;
    ({ AppModule } = await import('../../examples/async-configuration/app.module.js'));
  });

  afterAll(async () => {
    delete process.env.MCP_RESOURCE;
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

    it('T11: the class scope lets a read:notes token list, and @AuthInfo(field) injects the caller', async () => {
      const { status, body } = await callWithToken(`${app.url}/notes`, await token('read:notes'));
      expect(status).toBe(200);
      expect(body).toEqual({ clientId: as.devClient.clientId, notes: [] });
    });

    it('C8, C9: method scopes add up with class scopes: POST needs read:notes and write:notes', async () => {
      const { status, challenge } = await callWithToken(`${app.url}/notes`, await token('read:notes'), 'POST');
      expect(status).toBe(403);
      expect(challenge?.params).toMatchObject({ error: 'insufficient_scope', scope: 'read:notes write:notes' });
    });

    it('T12: the scopeHierarchy of the async options lets notes:admin write; McpAuthContext names the author', async () => {
      const response = await fetch(`${app.url}/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token('notes:admin')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hello' }),
      });
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ text: 'hello', author: `${as.issuer}#client:${as.devClient.clientId}`, scopes: ['notes:admin'] });
    });

    it('C1: without a token, 401 with the resource metadata of the configured resource', async () => {
      const { status, challenge } = await callWithToken(`${app.url}/notes`);
      expect(status).toBe(401);
      expect(challenge?.params).toEqual({ scope: 'read:notes', resource_metadata: 'http://localhost:3000/.well-known/oauth-protected-resource/notes' });
    });
  });
});
