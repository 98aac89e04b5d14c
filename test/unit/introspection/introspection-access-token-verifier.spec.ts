import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizationServerRegistry } from '../../../lib/discovery/authorization-server-registry.js';
import { IntrospectionAccessTokenVerifier } from '../../../lib/introspection/introspection-access-token-verifier.js';
import { resolveMcpAuthOptions } from '../../../lib/options/resolved-options.js';
import { InMemoryMcpAuthStore } from '../../../lib/store/in-memory-mcp-auth-store.js';
import { sendJson, startLoopbackServer, type LoopbackServer } from '../../fixtures/loopback-server.js';

const RESOURCE = 'http://127.0.0.1/mcp';

/** The cache's lifetime rules, with the store's clock moved by hand instead of waiting. */
describe('IntrospectionAccessTokenVerifier cache (I4)', () => {
  let as: LoopbackServer;
  let exp = 0;
  let clock = Date.now();
  const introspections = () => as.requests.length;

  beforeAll(async () => {
    as = await startLoopbackServer((_request, response, url) => {
      sendJson(response, 200, { active: true, iss: url, aud: RESOURCE, exp, scope: 'read:notes', client_id: 'c' });
    });
  });

  afterAll(async () => {
    await as?.close();
  });

  async function verifierWith(maxTtlSeconds: number) {
    const options = resolveMcpAuthOptions({
      protectedResources: [
        {
          resource: RESOURCE,
          tokenFormat: 'opaque',
          authorizationServers: [
            { issuer: as.url, metadata: { issuer: as.url, introspection_endpoint: `${as.url}/i` }, introspection: { clientId: 'rs', clientSecret: 's' } },
          ],
        },
      ],
      introspection: { cache: { maxTtlSeconds } },
    });
    const store = new InMemoryMcpAuthStore({ now: () => clock });
    const registry = new AuthorizationServerRegistry(options, store);
    await registry.initialize();
    return { verifier: new IntrospectionAccessTokenVerifier(options, registry, store), resource: options.resources[0]!, store };
  }

  it('an entry lives no longer than the token: past exp it is introspected again', async () => {
    const { verifier, resource } = await verifierWith(3_600);
    exp = Math.floor(Date.now() / 1000) + 30;
    const before = introspections();
    await verifier.verify('token-a', resource);
    // exp is whole seconds, so the entry lives 29-30 s: well inside, then well past it.
    clock += 25_000;
    await verifier.verify('token-a', resource);
    expect(introspections() - before).toBe(1);
    clock += 6_000;
    await verifier.verify('token-a', resource);
    expect(introspections() - before).toBe(2);
  });

  it('an entry lives no longer than maxTtlSeconds, whatever exp says', async () => {
    const { verifier, resource } = await verifierWith(10);
    exp = Math.floor(Date.now() / 1000) + 3_600;
    const before = introspections();
    await verifier.verify('token-b', resource);
    clock += 8_000;
    await verifier.verify('token-b', resource);
    expect(introspections() - before).toBe(1);
    clock += 3_000;
    await verifier.verify('token-b', resource);
    expect(introspections() - before).toBe(2);
  });

  it('keys are SHA-256 hashes: neither the keys nor the values contain the token', async () => {
    const { verifier, resource, store } = await verifierWith(60);
    exp = Math.floor(Date.now() / 1000) + 60;
    const token = 'token-c-0123456789abcdef';
    const auth = await verifier.verify(token, resource);
    expect(auth.token).toBe(token);
    const key = await import('node:crypto').then(({ createHash }) => createHash('sha256').update(as.url).update('\n').update(token).digest('base64url'));
    expect(await store.get(`introspection:${key}`)).toBeDefined();
    for (const value of store.values()) expect(value).not.toContain(token);
  });

  it('concurrent requests with one token share one introspection', async () => {
    const { verifier, resource } = await verifierWith(60);
    exp = Math.floor(Date.now() / 1000) + 60;
    const before = introspections();
    await Promise.all(Array.from({ length: 5 }, () => verifier.verify('token-d', resource)));
    expect(introspections() - before).toBe(1);
  });
});
