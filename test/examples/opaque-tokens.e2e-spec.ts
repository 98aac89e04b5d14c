import type { Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { postMcp, toolText, withMcpClient } from './fixtures/example-client.js';

// docs/opaque-tokens.md (examples/opaque-tokens): opaque tokens introspected at the real authorization server
// (RFC 7662), which registered the resource server as the client `notes-api`.
const RESOURCE = 'http://localhost:3000/mcp';
const INTROSPECTION_SECRET = 'notes-api-secret-0123456789abcdef';

describe('docs/opaque-tokens.md (examples/opaque-tokens)', () => {
  let as: DevAuthorizationServer;
  let AppModule: Type;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({
      port: 0,
      introspection: true,
      resources: [{ identifier: RESOURCE, scopes: ['read:notes'], accessTokenFormat: 'opaque' }],
      clients: [
        { client_id: 'notes-api', client_secret: INTROSPECTION_SECRET, grant_types: [], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic' },
      ],
    });
    process.env.MCP_AUTH_ISSUER = as.issuer;
    process.env.INTROSPECTION_SECRET = INTROSPECTION_SECRET;
    ({ AppModule } = await import('../../examples/opaque-tokens/app.module.js'));
  });

  afterAll(async () => {
    delete process.env.MCP_AUTH_ISSUER;
    delete process.env.INTROSPECTION_SECRET;
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

    it('an opaque token is introspected and the MCP request answered', async () => {
      const { access_token } = await clientCredentialsToken(as, { resource: RESOURCE, scope: 'read:notes' });
      expect(access_token.split('.')).toHaveLength(1); // opaque, not a JWT
      const text = await withMcpClient(`${app.url}/mcp`, access_token, async (client) => toolText(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(text).toBe(`You are ${as.devClient.clientId}, with the scopes: read:notes`);
    });

    it('I2: a token the authorization server does not know (active: false) is a 401 invalid_token', async () => {
      const { status, challenge } = await postMcp(`${app.url}/mcp`, 'not-a-token-the-server-issued', 'initialize');
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
    });
  });
});
