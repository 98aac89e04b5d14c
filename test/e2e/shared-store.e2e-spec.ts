import type { IncomingMessage } from 'node:http';
import { exportJWK } from 'jose';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpAuthModule, RedisMcpAuthStore, type McpAuthModuleOptions } from '../../lib/index.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { type AdapterName, type RunningApp } from '../fixtures/http-app.js';
import { LogCapture } from '../fixtures/log-capture.js';
import { sendJson, startLoopbackServer } from '../fixtures/loopback-server.js';
import { startProtectedApp } from '../fixtures/protected-app.js';
import { connectRedis, redisClient, startDisposableRedis, uniqueKeyPrefix, type DisposableRedis } from '../fixtures/redis.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';

const resource = 'http://127.0.0.1/mcp';

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A stand-in authorization server that counts its work: introspection (tokens starting with `active-`
 * are active, the rest inactive, and any token can be revoked) and, as a tenant, discovery and JWKS.
 */
async function startCountingAuthorizationServer(key: TestSigningKey) {
  const revoked = new Set<string>();
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = await exportJWK(key.privateKey);
  const server = await startLoopbackServer((request, response, url) => {
    void (async () => {
      if (request.url === '/introspect') {
        const token = (await readForm(request)).get('token') ?? '';
        const active = token.startsWith('active-') && !revoked.has(token);
        const exp = Math.floor(Date.now() / 1000) + 600;
        sendJson(response, 200, active ? { active: true, iss: url, aud: resource, exp, scope: 'read:notes', client_id: 'c', sub: 'alice' } : { active: false });
      } else if (request.url === '/.well-known/oauth-authorization-server') {
        sendJson(response, 200, { issuer: url, jwks_uri: `${url}/jwks`, introspection_endpoint: `${url}/introspect` });
      } else if (request.url === '/jwks') {
        sendJson(response, 200, { keys: [{ ...publicJwk, kid: key.kid, alg: key.alg }] });
      } else {
        sendJson(response, 404, {});
      }
    })();
  });
  return {
    server,
    revoke: (token: string) => revoked.add(token),
    count: (path: string) => server.requests.filter((requested) => requested === path).length,
  };
}

describe('several instances sharing one Redis', () => {
  let key: TestSigningKey;
  let as: Awaited<ReturnType<typeof startCountingAuthorizationServer>>;
  let tenant: Awaited<ReturnType<typeof startCountingAuthorizationServer>>;
  const clients: Redis[] = [];
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    key = await createSigningKey('RS256');
    as = await startCountingAuthorizationServer(key);
    tenant = await startCountingAuthorizationServer(key);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const client of clients) client.disconnect();
    await as?.server.close();
    await tenant?.server.close();
  });

  function optionsWith(store: RedisMcpAuthStore): McpAuthModuleOptions {
    return {
      protectedResources: [
        {
          resource,
          tokenFormat: 'mixed',
          authorizationServers: [{ issuer: as.server.url, introspection: { clientId: 'rs', clientSecret: 'secret' } }],
          issuerResolver: (issuer) => issuer === tenant.server.url,
        },
      ],
      introspection: { cache: { maxTtlSeconds: 300 } },
      store,
    };
  }

  async function instance(adapter: AdapterName, store: RedisMcpAuthStore, logger?: LogCapture): Promise<RunningApp> {
    const app = await startProtectedApp(adapter, McpAuthModule.forRoot(optionsWith(store)), { logger });
    apps.push(app);
    return app;
  }

  /** Two instances, one per adapter, each with its own connection to the same Redis and key prefix. */
  async function pair(): Promise<[RunningApp, RunningApp, prefix: string]> {
    const prefix = uniqueKeyPrefix();
    const [first, second] = [await connectRedis(), await connectRedis()];
    clients.push(first, second);
    return [
      await instance('express', new RedisMcpAuthStore(first, { keyPrefix: prefix })),
      await instance('fastify', new RedisMcpAuthStore(second, { keyPrefix: prefix })),
      prefix,
    ];
  }

  it('I4: a token introspected by instance A is not introspected again by instance B', async () => {
    const [a, b] = await pair();
    const before = as.count('/introspect');
    expect((await callWithToken(`${a.url}/mcp`, 'active-shared-1')).status).toBe(200);
    expect(as.count('/introspect') - before).toBe(1);
    const { status, body } = await callWithToken(`${b.url}/mcp`, 'active-shared-1');
    expect(status).toBe(200);
    expect(body).toMatchObject({ subject: 'alice', clientId: 'c' });
    expect(as.count('/introspect') - before).toBe(1);
  });

  it('an inactive token is never shared: each instance asks, and refuses', async () => {
    const [a, b] = await pair();
    const before = as.count('/introspect');
    expect((await callWithToken(`${a.url}/mcp`, 'inactive-1')).status).toBe(401);
    expect((await callWithToken(`${b.url}/mcp`, 'inactive-1')).status).toBe(401);
    expect(as.count('/introspect') - before).toBe(2);
  });

  it('tenant metadata discovered by instance A is used by instance B without discovery', async () => {
    const [a, b] = await pair();
    const token = await signAccessToken(key, { issuer: tenant.server.url, audience: resource });
    const before = tenant.count('/.well-known/oauth-authorization-server');
    expect((await callWithToken(`${a.url}/mcp`, token)).status).toBe(200);
    expect((await callWithToken(`${b.url}/mcp`, token)).status).toBe(200);
    expect(tenant.count('/.well-known/oauth-authorization-server') - before).toBe(1);
  });

  it('the shared entries hold no raw token', async () => {
    const [a, , prefix] = await pair();
    const token = 'active-never-stored-raw-0123456789';
    expect((await callWithToken(`${a.url}/mcp`, token)).status).toBe(200);
    const probe = await connectRedis();
    clients.push(probe);
    // Only what this call stored: the pair's own prefix.
    const keys = await probe.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const stored of keys) {
      expect(stored).not.toContain(token);
      expect((await probe.get(stored)) ?? '').not.toContain(token);
    }
  });

  describe('when Redis goes away', () => {
    let redis: DisposableRedis;
    let app: RunningApp;
    const logs = new LogCapture();

    beforeAll(async () => {
      redis = await startDisposableRedis();
      const client = redisClient(redis.url);
      await client.connect();
      clients.push(client);
      app = await instance('express', new RedisMcpAuthStore(client, { operationTimeoutMs: 200 }), logs);
    });

    afterAll(async () => {
      await redis?.kill();
    });

    it('degrades to asking the authorization server: no crash, and no token accepted that should not be', async () => {
      expect((await callWithToken(`${app.url}/mcp`, 'active-outage-1')).status).toBe(200);
      await redis.kill();
      const before = as.count('/introspect');
      // Still a valid token: verified again at the authorization server, since the cache is gone.
      expect((await callWithToken(`${app.url}/mcp`, 'active-outage-1')).status).toBe(200);
      expect(as.count('/introspect') - before).toBe(1);
      // Revoked meanwhile: what Redis held can't be used, and the authorization server says no.
      as.revoke('active-outage-1');
      expect((await callWithToken(`${app.url}/mcp`, 'active-outage-1')).status).toBe(401);
      expect((await callWithToken(`${app.url}/mcp`, 'inactive-outage-2')).status).toBe(401);
      // JWTs from a tenant whose metadata can't be read from Redis are still verified after discovery.
      const token = await signAccessToken(key, { issuer: tenant.server.url, audience: resource });
      expect((await callWithToken(`${app.url}/mcp`, token)).status).toBe(200);
      expect(logs.at('warn').join('\n')).toContain('The shared store failed to');
    });
  });
});
