import { exportJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizationServerRegistry, McpAuthModule } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { sendJson, startLoopbackServer, type LoopbackServer } from '../fixtures/loopback-server.js';
import { startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';

const resource = 'http://127.0.0.1/mcp';

async function publicJwk(key: TestSigningKey): Promise<JWK> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...jwk } = await exportJWK(key.privateKey);
  return { ...jwk, kid: key.kid, alg: key.alg, use: 'sig' };
}

/**
 * Tenants trusted at run time through an issuerResolver: two real oidc-provider instances as tenants, and
 * loopback servers that count every request (an untrusted issuer, a tenant discovered under load).
 */
describe.each(ADAPTERS)('multi-tenant issuers (%s)', (adapter) => {
  let tenantA: DevAuthorizationServer;
  let tenantB: DevAuthorizationServer;
  let keyA: TestSigningKey;
  let keyB: TestSigningKey;
  let untrusted: LoopbackServer;
  let loaded: LoopbackServer;
  let loadedKey: TestSigningKey;
  let app: RunningApp;
  // Tenants known to the application; one is added while it runs.
  const known = new Set<string>();

  beforeAll(async () => {
    [keyA, keyB, loadedKey] = await Promise.all([createSigningKey('RS256'), createSigningKey('ES256'), createSigningKey('RS256')]);
    const resources = [{ identifier: resource, scopes: ['read:notes'] }];
    [tenantA, tenantB] = await Promise.all([
      startDevAuthorizationServer({ port: 0, signingJwk: keyA.privateJwk, resources }),
      startDevAuthorizationServer({ port: 0, signingJwk: keyB.privateJwk, resources }),
    ]);
    untrusted = await startLoopbackServer((_request, response) => sendJson(response, 500, {}));
    const loadedJwks = { keys: [await publicJwk(loadedKey)] };
    loaded = await startLoopbackServer((request, response, url) => {
      if (request.url === '/jwks') sendJson(response, 200, loadedJwks);
      else if (request.url === '/.well-known/oauth-authorization-server') sendJson(response, 200, { issuer: url, jwks_uri: `${url}/jwks` });
      else sendJson(response, 404, {});
    });
    known.clear();
    known.add(tenantA.issuer);
    known.add(loaded.url);
    // D2 for resolved issuers: the resolver accepts a trailing-slash spelling that tenant A's metadata contradicts.
    known.add(`${tenantA.issuer}/`);
    app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [{ resource, authorizationServers: [], issuerResolver: (issuer) => known.has(issuer) }],
        discovery: { timeoutMs: 1_000 },
      }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([tenantA?.close(), tenantB?.close(), untrusted?.close(), loaded?.close()]);
  });

  const mcp = () => `${app.url}/mcp`;
  const realToken = async (tenant: DevAuthorizationServer) => (await clientCredentialsToken(tenant, { resource, scope: 'read:notes' })).access_token;

  it('a known tenant is discovered on first use and its tokens accepted', async () => {
    const { status, body } = await callWithToken(mcp(), await realToken(tenantA));
    expect(status).toBe(200);
    expect(body.issuer).toBe(tenantA.issuer);
  });

  it('a tenant is refused until the resolver knows it, then accepted without a restart', async () => {
    const token = await realToken(tenantB);
    expect((await callWithToken(mcp(), token)).status).toBe(401);
    known.add(tenantB.issuer);
    const { status, body } = await callWithToken(mcp(), token);
    expect(status).toBe(200);
    expect(body.issuer).toBe(tenantB.issuer);
  });

  it('an untrusted iss never causes a network request', async () => {
    const token = await signAccessToken(keyA, { issuer: untrusted.url, audience: resource });
    const { status, challenge } = await callWithToken(mcp(), token);
    expect(status).toBe(401);
    expect(challenge?.params.error).toBe('invalid_token');
    expect(untrusted.requests).toEqual([]);
  });

  it('T13: keys of tenant A never validate a token claiming tenant B, and the other way round', async () => {
    known.add(tenantB.issuer);
    expect((await callWithToken(mcp(), await signAccessToken(keyA, { issuer: tenantB.issuer, audience: resource }))).status).toBe(401);
    expect((await callWithToken(mcp(), await signAccessToken(keyB, { issuer: tenantA.issuer, audience: resource }))).status).toBe(401);
    expect((await callWithToken(mcp(), await signAccessToken(keyB, { issuer: tenantB.issuer, audience: resource }))).status).toBe(200);
  });

  it('D2: an issuer the resolver accepts but whose metadata names another issuer is an invalid token, not an outage', async () => {
    const token = await signAccessToken(keyA, { issuer: `${tenantA.issuer}/`, audience: resource });
    const { status, challenge } = await callWithToken(mcp(), token);
    expect(status).toBe(401);
    expect(challenge?.params.error).toBe('invalid_token');
  });

  it('a flood of distinct untrusted issuers costs nothing: no request, no memory', async () => {
    const registry = app.app.get(AuthorizationServerRegistry);
    const tenantsBefore = registry.tenantCount;
    for (let index = 0; index < 100; index++) {
      const token = await signAccessToken(keyA, { issuer: `${untrusted.url}/tenant-${index}`, audience: resource });
      expect((await callWithToken(mcp(), token)).status).toBe(401);
    }
    expect(registry.tenantCount).toBe(tenantsBefore);
    expect(untrusted.requests).toEqual([]);
  });

  it('concurrent first requests for a new tenant share one discovery (single-flight)', async () => {
    const token = await signAccessToken(loadedKey, { issuer: loaded.url, audience: resource });
    const results = await Promise.all(Array.from({ length: 10 }, () => callWithToken(mcp(), token)));
    expect(results.map((result) => result.status)).toEqual(Array(10).fill(200));
    expect(loaded.requests.filter((path) => path.startsWith('/.well-known/'))).toEqual(['/.well-known/oauth-authorization-server']);
    expect(loaded.requests.filter((path) => path === '/jwks')).toEqual(['/jwks']);
  });

  it('the protected resource metadata advertises only configured servers, never resolved tenants', async () => {
    const document = (await (await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`)).json()) as { authorization_servers: string[] };
    expect(document.authorization_servers).toEqual([]);
  });
});
