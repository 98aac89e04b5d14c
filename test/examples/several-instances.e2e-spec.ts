import type { Type } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { connectRedis, REDIS_URL } from '../fixtures/redis.js';
import { toolText, withMcpClient } from './fixtures/example-client.js';

// docs/several-instances.md (examples/several-instances): two instances of the application share one Redis
// for their introspection cache, through RedisMcpAuthStore.
const RESOURCE = 'http://localhost:3000/mcp';
const INTROSPECTION_SECRET = 'notes-api-secret-0123456789abcdef';

describe('docs/several-instances.md (examples/several-instances)', () => {
  let as: DevAuthorizationServer;
  let AppModule: Type;
  let redis: Redis;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({
      port: 0,
      introspection: true,
      resources: [{ identifier: RESOURCE, scopes: ['read:notes'], accessTokenFormat: 'opaque' }],
      clients: [
        { client_id: 'notes-api', client_secret: INTROSPECTION_SECRET, grant_types: [], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic' },
      ],
    });
    Object.assign(process.env, { MCP_AUTH_ISSUER: as.issuer, INTROSPECTION_SECRET, REDIS_URL });
    ({ AppModule } = await import('../../examples/several-instances/app.module.js'));
    redis = (await connectRedis())!;
  });

  afterAll(async () => {
    for (const name of ['MCP_AUTH_ISSUER', 'INTROSPECTION_SECRET']) delete process.env[name];
    redis?.disconnect();
    await as?.close();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let instances: RunningApp[];

    beforeAll(async () => {
      instances = [await startApp(adapter, { imports: [AppModule] }), await startApp(adapter, { imports: [AppModule] })];
    });

    afterAll(async () => {
      for (const instance of instances ?? []) await instance.close();
    });

    it('what one instance introspected is in Redis under the configured prefix, and the other instance serves the token', async () => {
      const { access_token } = await clientCredentialsToken(as, { resource: RESOURCE, scope: 'read:notes' });
      const before = new Set(await redis.keys('notes-mcp:*'));
      const call = (instance: RunningApp) =>
        withMcpClient(`${instance.url}/mcp`, access_token, async (client) => toolText(await client.callTool({ name: 'whoami', arguments: {} })));

      expect(await call(instances[0]!)).toBe(`You are ${as.devClient.clientId}, with the scopes: read:notes`);
      const added = (await redis.keys('notes-mcp:*')).filter((key) => !before.has(key));
      expect(added.length).toBeGreaterThan(0);
      // X2: keys and values never hold the token.
      for (const key of added) {
        expect(key).not.toContain(access_token);
        expect(await redis.get(key)).not.toContain(access_token);
      }
      expect(await call(instances[1]!)).toBe(`You are ${as.devClient.clientId}, with the scopes: read:notes`);
    });
  });
});
