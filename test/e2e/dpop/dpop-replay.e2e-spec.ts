import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RedisMcpAuthStore } from '../../../lib/index.js';
import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../../fixtures/dev-authorization-server.helpers.js';
import { dpopOrigin, startDpopApp, startDpopAuthorizationServer, type DpopApp } from '../../fixtures/dpop-app.js';
import { dpopClient, lastSentTo, resend, type DPoPClient } from '../../fixtures/dpop-client.js';
import { ADAPTERS } from '../../fixtures/http-app.js';
import { connectRedis, redisClient, startDisposableRedis, uniqueKeyPrefix, type DisposableRedis } from '../../fixtures/redis.js';
import { challengesByScheme } from '../../fixtures/www-authenticate.js';

// K7: a DPoP proof is good for one request. Its jti goes through McpAuthStore, so two replicas sharing a real
// Redis (the one the test run started) refuse a proof replayed from one to the other; and when the store
// cannot be reached, a proof that cannot be checked for replay is refused with 503, never accepted.
// The replicas serve the same resource identifiers from different ports, as behind one load balancer:
// the client's requests reach the second one through `via`.

describe.each(ADAPTERS)('DPoP proof replay (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let origin: string;
  let alice: DPoPClient;
  const apps: DpopApp[] = [];
  const clients: Redis[] = [];
  let disposable: DisposableRedis | undefined;

  beforeAll(async () => {
    origin = await dpopOrigin();
    as = await startDpopAuthorizationServer(origin);
    alice = await dpopClient(as);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const client of clients) client.disconnect();
    await disposable?.kill();
    await as?.close();
  });

  async function replica(store?: RedisMcpAuthStore, first = false): Promise<DpopApp> {
    const app = await startDpopApp(adapter, as, origin, { store, listenPort: first ? undefined : 0 });
    apps.push(app);
    return app;
  }

  async function redisStore(url?: string, prefix = uniqueKeyPrefix()): Promise<RedisMcpAuthStore> {
    const client = url === undefined ? await connectRedis() : redisClient(url);
    if (url !== undefined) await client.connect();
    clients.push(client);
    return new RedisMcpAuthStore(client, { keyPrefix: prefix });
  }

  const boundToken = async () => (await alice.clientCredentials({ resource: `${origin}/allowed`, scope: 'read:notes' })).access_token;

  describe('on one instance', () => {
    let app: DpopApp;

    beforeAll(async () => {
      app = await replica(undefined, true);
    });

    it('K7: the same proof sent twice → the second is 401 DPoP invalid_dpop_proof', async () => {
      const token = await boundToken();
      expect((await alice.call(app.resource('allowed'), token)).status).toBe(200);
      const replay = await resend(lastSentTo(alice.sent, app.resource('allowed')));
      expect(replay.status).toBe(401);
      expect(challengesByScheme(replay.wwwAuthenticate).DPoP).toMatchObject({ error: 'invalid_dpop_proof' });
      // The token itself is fine: the next request, with a fresh proof, is accepted.
      expect((await alice.call(app.resource('allowed'), token)).status).toBe(200);
    });

    it('K7: a used proof stays refused however often it is replayed', async () => {
      const token = await boundToken();
      expect((await alice.call(app.resource('allowed'), token)).status).toBe(200);
      const used = lastSentTo(alice.sent, app.resource('allowed'));
      // Same proof, same request, a third and a fourth time: refused each time.
      expect((await resend(used)).status).toBe(401);
      expect((await resend(used)).status).toBe(401);
    });
  });

  describe('across two instances sharing Redis', () => {
    let a: DpopApp;
    let b: DpopApp;

    beforeAll(async () => {
      const prefix = uniqueKeyPrefix();
      // Each instance has its own connection, as separate processes would.
      a = await replica(await redisStore(undefined, prefix));
      b = await replica(await redisStore(undefined, prefix));
    });

    it('K7: a proof used on instance A is refused by instance B (401 invalid_dpop_proof)', async () => {
      const token = await boundToken();
      expect((await alice.call(`${origin}/allowed`, token, { via: a.url })).status).toBe(200);
      const replay = await resend(lastSentTo(alice.sent, `${a.url}/allowed`), { url: `${b.url}/allowed` });
      expect(replay.status).toBe(401);
      expect(challengesByScheme(replay.wwwAuthenticate).DPoP).toMatchObject({ error: 'invalid_dpop_proof' });
    });

    it('K7: … while B accepts a fresh proof for the same identifier, so what B refused was the replay', async () => {
      const token = await boundToken();
      const fresh = await alice.call(`${origin}/allowed`, token, { via: b.url });
      expect(fresh.status).toBe(200);
      expect(fresh.body).toMatchObject({ dpopThumbprint: alice.thumbprint });
      // And the other way round: used on B, refused by A.
      const replay = await resend(lastSentTo(alice.sent, `${b.url}/allowed`), { url: `${a.url}/allowed` });
      expect(replay.status).toBe(401);
    });
  });

  describe('when Redis is unreachable', () => {
    let app: DpopApp;

    beforeAll(async () => {
      disposable = await startDisposableRedis();
      app = await replica(await redisStore(disposable.url));
    });

    it('K7: a DPoP request → 503 with Retry-After, never 200; a Bearer request, needing no replay check, still → 200', async () => {
      const token = await boundToken();
      const bearer = (await clientCredentialsToken(as, { resource: `${origin}/allowed`, scope: 'read:notes' })).access_token;
      expect((await alice.call(`${origin}/allowed`, token, { via: app.url })).status).toBe(200);

      await disposable!.kill();
      const refused = await alice.call(`${origin}/allowed`, token, { via: app.url });
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toMatch(/^\d+$/);
      expect((await alice.call(`${origin}/allowed`, bearer, { via: app.url, dpop: false })).status).toBe(200);
    });
  });
});
