import type { Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { postMcp, toolText, withMcpClient } from './fixtures/example-client.js';

// The README's Quick start (examples/quick-start/), run as written on both adapters: the issuer comes from
// MCP_AUTH_ISSUER, as the example reads it, and the resource identifier is the example's own.
const RESOURCE = 'http://localhost:3000/mcp';

describe('README Quick start (examples/quick-start)', () => {
  let as: DevAuthorizationServer;
  let AppModule: Type;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes'] }] });
    process.env.MCP_AUTH_ISSUER = as.issuer;
    ({ AppModule } = await import('../../examples/quick-start/app.module.js'));
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

    it('P1: serves the metadata of the resource', async () => {
      const response = await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ resource: RESOURCE, authorization_servers: [as.issuer], scopes_supported: ['read:notes', 'write:notes'] });
    });

    it('C1: without a token, 401 with resource_metadata and the scope', async () => {
      const { status, challenge } = await postMcp(`${app.url}/mcp`, undefined, 'initialize');
      expect(status).toBe(401);
      expect(challenge?.params).toEqual({
        scope: 'read:notes',
        resource_metadata: 'http://localhost:3000/.well-known/oauth-protected-resource/mcp',
      });
    });

    it('with a valid token, the official MCP SDK client initializes and calls the tool', async () => {
      const { access_token } = await clientCredentialsToken(as, { resource: RESOURCE, scope: 'read:notes' });
      const text = await withMcpClient(`${app.url}/mcp`, access_token, async (client) => {
        expect(client.getServerVersion()).toMatchObject({ name: 'notes', version: '1.0.0' });
        return toolText(await client.callTool({ name: 'whoami', arguments: {} }));
      });
      expect(text).toBe(`You are ${as.devClient.clientId}, with the scopes: read:notes`);
    });

    it('T1: a tampered token is refused with invalid_token', async () => {
      const { access_token } = await clientCredentialsToken(as, { resource: RESOURCE, scope: 'read:notes' });
      const { status, challenge } = await postMcp(`${app.url}/mcp`, `${access_token}x`, 'initialize');
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
    });
  });
});
