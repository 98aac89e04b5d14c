import { exportJWK, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { startLoopbackServer, sendJson, type LoopbackServer } from '../fixtures/loopback-server.js';
import { McpAuthModule, startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';
import { parseBearerChallenge } from '../fixtures/www-authenticate.js';

const resource = 'http://127.0.0.1/mcp';

async function publicJwk(key: TestSigningKey): Promise<JWK> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...jwk } = await exportJWK(key.privateKey);
  return { ...jwk, kid: key.kid, alg: key.alg, use: 'sig' };
}

/**
 * A JWKS endpoint whose behaviour the test switches at will: serve keys, answer 500, hang, or answer
 * garbage. A real authorization server can't be made to fail like this on demand.
 */
type JwksMode = 'keys' | 'error' | 'hang' | 'garbage';

describe.each(ADAPTERS)('JWKS outages and key rotation (%s)', (adapter) => {
  let jwks: LoopbackServer;
  let app: RunningApp;
  let mode: JwksMode = 'keys';
  let published: JWK[] = [];
  let first: TestSigningKey;
  let issuer: string;
  const jwksFetches = () => jwks.requests.filter((path) => path === '/jwks').length;

  beforeAll(async () => {
    first = await createSigningKey('RS256');
    published = [await publicJwk(first)];
    jwks = await startLoopbackServer((_request, response) => {
      if (mode === 'keys') sendJson(response, 200, { keys: published });
      else if (mode === 'error') sendJson(response, 500, { error: 'boom' });
      else if (mode === 'garbage') sendJson(response, 200, { not: 'a key set' });
      // 'hang': never answer; the verifier's timeout must fire.
    });
    issuer = jwks.url;
    app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [
          { resource, authorizationServers: [{ issuer, metadata: { issuer, jwks_uri: `${issuer}/jwks` } }] },
        ],
        discovery: { timeoutMs: 300 },
        jwt: { jwksCooldownSeconds: 1 },
        retryAfterSeconds: 0,
      }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await jwks?.close();
  });

  afterEach(() => {
    mode = 'keys';
  });

  const get = async (token: string) => {
    const response = await fetch(`${app.url}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    const header = response.headers.get('www-authenticate');
    return { status: response.status, retryAfter: response.headers.get('retry-after'), header, body: await response.json() };
  };

  it('prefetches the JWKS at bootstrap, so the first request does not wait for it', () => {
    expect(jwksFetches()).toBeGreaterThanOrEqual(1);
  });

  it('T14: a rotated key (new kid) is accepted after one refetch', async () => {
    const rotated = await createSigningKey('RS256');
    published = [await publicJwk(first), await publicJwk(rotated)];
    // An unknown kid triggers a refetch only once the cooldown since the last fetch (1 s here) is over.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = jwksFetches();
    const token = await signAccessToken(rotated, { issuer, audience: resource });
    expect((await get(token)).status).toBe(200);
    expect(jwksFetches()).toBe(before + 1);
    expect((await get(token)).status).toBe(200);
    expect(jwksFetches()).toBe(before + 1);
  });

  it('T14: a flood of unknown kids causes at most one JWKS fetch per cooldown window', async () => {
    const stranger = await createSigningKey('RS256');
    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        signAccessToken(stranger, { issuer, audience: resource, header: { kid: `unknown-${index}` } }),
      ),
    );
    const before = jwksFetches();
    const statuses = await Promise.all(tokens.map(async (token) => (await get(token)).status));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(jwksFetches() - before).toBeLessThanOrEqual(1);
  });
});

describe.each(ADAPTERS)('JWKS unreachable from the start (%s)', (adapter) => {
  let jwks: LoopbackServer;
  let app: RunningApp;
  let mode: JwksMode = 'error';
  let key: TestSigningKey;
  let issuer: string;

  beforeAll(async () => {
    key = await createSigningKey('RS256');
    const keys = [await publicJwk(key)];
    jwks = await startLoopbackServer((_request, response) => {
      if (mode === 'keys') sendJson(response, 200, { keys });
      else if (mode === 'error') sendJson(response, 500, { error: 'boom' });
      else if (mode === 'garbage') response.end('<html>not json</html>');
    });
    issuer = jwks.url;
    app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [{ resource, authorizationServers: [{ issuer, metadata: { issuer, jwks_uri: `${issuer}/jwks` } }] }],
        discovery: { timeoutMs: 300 },
        retryAfterSeconds: 0,
      }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await jwks?.close();
  });

  const get = async (token: string) => {
    const response = await fetch(`${app.url}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      header: response.headers.get('www-authenticate'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  it.each<JwksMode>(['error', 'hang', 'garbage'])('C15: JWKS %s → 503 with Retry-After and no invalid_token', async (failure) => {
    mode = failure;
    const token = await signAccessToken(key, { issuer, audience: resource });
    const { status, retryAfter, header, body } = await get(token);
    expect(status).toBe(503);
    expect(retryAfter).toBe('0');
    expect(header).toBeNull();
    expect(body).toEqual({ error: 'temporarily_unavailable', error_description: 'The authorization server is temporarily unavailable' });
  });

  it('C15: recovers by itself once the JWKS comes back', async () => {
    mode = 'keys';
    const token = await signAccessToken(key, { issuer, audience: resource });
    // The failure backoff is min(retryAfterSeconds, 5) = 0 s here, so the next request refetches.
    expect((await get(token)).status).toBe(200);
    expect(parseBearerChallenge((await fetch(`${app.url}/mcp`)).headers.get('www-authenticate')).params.error).toBeUndefined();
  });
});
