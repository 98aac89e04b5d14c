import type { Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { McpAuthModule } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { LogCapture } from '../fixtures/log-capture.js';

// docs/customisation.md (examples/customisation): a guard subclass, and API tokens verified by your own code,
// as a function and as a class, on both adapters. The authorization server is still discovered (and advertised).
const RESOURCE = 'http://localhost:3000/notes';
const API_TOKEN = 'api-token-0123456789abcdef';

describe('docs/customisation.md (examples/customisation)', () => {
  let as: DevAuthorizationServer;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes'] }] });
    process.env.MCP_AUTH_ISSUER = as.issuer;
  });

  afterAll(async () => {
    delete process.env.MCP_AUTH_ISSUER;
    await as?.close();
  });

  const claims = () => ({ iss: 'https://tokens.example.com', sub: 'robot', client_id: 'ci', scope: 'read:notes', aud: RESOURCE, exp: Math.floor(Date.now() / 1000) + 600 });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    describe.each([
      ['a verifyAccessToken function', '../../examples/customisation/verify-access-token.module.js'],
      ['an AccessTokenVerifier class', '../../examples/customisation/verifier-class.module.js'],
    ])('with %s', (_kind, modulePath) => {
      let app: RunningApp;

      beforeAll(async () => {
        const { AppModule } = (await import(modulePath)) as { AppModule: Type };
        app = await startApp(adapter, { imports: [AppModule] });
        const { TokenService } = await import('../../examples/customisation/token.service.js');
        app.app.get(TokenService).issue(API_TOKEN, claims());
      });

      afterAll(async () => {
        await app?.close();
      });

      it('a token your service knows passes, with its claims in AuthInfo', async () => {
        const { status, body } = await callWithToken(`${app.url}/notes`, API_TOKEN);
        expect(status).toBe(200);
        expect(body).toEqual({ clientId: 'ci', notes: [] });
      });

      it('T1: a token it does not know is a 401 invalid_token with the full challenge', async () => {
        const { status, challenge } = await callWithToken(`${app.url}/notes`, 'unknown-token');
        expect(status).toBe(401);
        expect(challenge?.params).toMatchObject({ error: 'invalid_token', resource_metadata: 'http://localhost:3000/.well-known/oauth-protected-resource/notes' });
      });

      it('C8: scopes are still checked: POST needs write:notes', async () => {
        const { status, challenge } = await callWithToken(`${app.url}/notes`, API_TOKEN, 'POST');
        expect(status).toBe(403);
        expect(challenge?.params.scope).toBe('read:notes write:notes');
      });
    });

    describe('with the AuditedBearerGuard subclass', () => {
      let app: RunningApp;
      const logs = new LogCapture();

      beforeAll(async () => {
        const { AuditedController } = await import('../../examples/customisation/audited.controller.js');
        @Module({
          imports: [McpAuthModule.forRoot({ protectedResources: [{ resource: RESOURCE, authorizationServers: [as.issuer] }] })],
          controllers: [AuditedController],
        })
        class AuditedAppModule {}
        app = await startApp(adapter, { imports: [AuditedAppModule] }, { logger: logs });
      });

      afterAll(async () => {
        await app?.close();
      });

      it('protects the route as BearerAuthGuard does, and logs the caller (never the token)', async () => {
        const { access_token } = await clientCredentialsToken(as, { resource: RESOURCE, scope: 'read:notes' });
        const principalId = `${as.issuer}#client:${as.devClient.clientId}`;
        const { status, body } = await callWithToken(`${app.url}/audited`, access_token);
        expect(status).toBe(200);
        expect(body).toEqual({ principalId });
        expect(logs.at('log').some((line) => line.startsWith(`call by ${principalId}`))).toBe(true);
        expect(logs.text()).not.toContain(access_token);
        expect((await callWithToken(`${app.url}/audited`)).status).toBe(401);
      });
    });
  });
});
