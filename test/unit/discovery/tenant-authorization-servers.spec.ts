import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantAuthorizationServers } from '../../../lib/discovery/tenant-authorization-servers.js';
import { AuthorizationServerUnavailableFailure, InvalidTokenFailure } from '../../../lib/errors/authentication-failures.js';
import type { IssuerResolver } from '../../../lib/options/mcp-auth-options.interface.js';
import { resolveMcpAuthOptions } from '../../../lib/options/resolved-options.js';
import { InMemoryMcpAuthStore } from '../../../lib/store/in-memory-mcp-auth-store.js';
import { sendJson, startLoopbackServer, type LoopbackServer } from '../../fixtures/loopback-server.js';

const RESOURCE = 'http://127.0.0.1/mcp';

describe('TenantAuthorizationServers', () => {
  let tenant: LoopbackServer;
  let closed: string;

  beforeAll(async () => {
    tenant = await startLoopbackServer((request, response, url) => {
      if (request.url === '/.well-known/oauth-authorization-server') sendJson(response, 200, { issuer: url, jwks_uri: `${url}/jwks` });
      else sendJson(response, 404, {});
    });
    // A port nobody listens on any more: an unreachable tenant.
    const gone = await startLoopbackServer(() => undefined);
    closed = gone.url;
    await gone.close();
  });

  afterAll(async () => {
    await tenant?.close();
  });

  function tenantsWith(issuerResolver: IssuerResolver, store = new InMemoryMcpAuthStore(), maxTenants = 100) {
    const options = resolveMcpAuthOptions({
      protectedResources: [{ resource: RESOURCE, authorizationServers: [], issuerResolver }],
      discovery: { timeoutMs: 500 },
      tenants: { maxTenants },
      retryAfterSeconds: 30,
    });
    return { tenants: new TenantAuthorizationServers(options, store), resource: options.resources[0]!, store };
  }

  it('refuses what the resolver refuses, remembering nothing', async () => {
    const { tenants, resource } = tenantsWith(() => false);
    for (let index = 0; index < 50; index++) expect(await tenants.resolve(`https://t${index}.example.com`, resource)).toBeUndefined();
    expect(tenants.size).toBe(0);
  });

  it('a refusal is not remembered: once the resolver accepts, the same issuer resolves', async () => {
    const issuer = 'https://late.example.com';
    let accept = false;
    const { tenants, resource } = tenantsWith((candidate) => accept && { issuer: candidate, metadata: { issuer: candidate, jwks_uri: `${candidate}/keys` } });
    expect(await tenants.resolve(issuer, resource)).toBeUndefined();
    accept = true;
    const server = await tenants.resolve(issuer, resource);
    expect(server?.issuer).toBe(issuer);
    expect(server?.metadata).toEqual({ issuer, jwks_uri: `${issuer}/keys` });
  });

  it('options returned for another issuer are refused (T13)', async () => {
    const { tenants, resource } = tenantsWith(() => ({ issuer: tenant.url }));
    expect(await tenants.resolve('https://other.example.com', resource)).toBeUndefined();
  });

  it('options returned by the resolver are used as they are: configured metadata is never fetched', async () => {
    // The tenant's issuer is a live loopback server that would answer discovery: any fetch would be counted.
    const issuer = tenant.url;
    const { tenants, resource } = tenantsWith((candidate) => ({ issuer: candidate, metadata: { issuer: candidate, jwks_uri: `${candidate}/keys` } }));
    const before = tenant.requests.length;
    const server = await tenants.resolve(issuer, resource);
    expect(server?.metadata).toEqual({ issuer, jwks_uri: `${issuer}/keys` });
    expect(Object.isFrozen(server?.metadata)).toBe(true);
    expect(tenant.requests.length).toBe(before);
  });

  it('a resolver that throws is an outage (503), not an invalid token', async () => {
    const { tenants, resource } = tenantsWith(() => {
      throw new Error('tenant database unreachable');
    });
    await expect(tenants.resolve(tenant.url, resource)).rejects.toBeInstanceOf(AuthorizationServerUnavailableFailure);
  });

  it('an unreachable tenant is an outage (503), and is not asked again before retryAfterSeconds', async () => {
    const { tenants, resource } = tenantsWith(() => true);
    await expect(tenants.resolve(closed, resource)).rejects.toBeInstanceOf(AuthorizationServerUnavailableFailure);
    await expect(tenants.resolve(closed, resource)).rejects.toBeInstanceOf(AuthorizationServerUnavailableFailure);
    // A tenant that answers 503 counts its requests, so a second attempt within retryAfterSeconds would show.
    const failing = await startLoopbackServer((_request, response) => sendJson(response, 503, {}));
    try {
      await expect(tenants.resolve(failing.url, resource)).rejects.toBeInstanceOf(AuthorizationServerUnavailableFailure);
      const asked = failing.requests.length;
      expect(asked).toBeGreaterThan(0);
      await expect(tenants.resolve(failing.url, resource)).rejects.toBeInstanceOf(AuthorizationServerUnavailableFailure);
      expect(failing.requests.length).toBe(asked);
    } finally {
      await failing.close();
    }
  });

  it('a tenant without usable metadata (404 everywhere) is an invalid token', async () => {
    const { tenants, resource } = tenantsWith(() => true);
    await expect(tenants.resolve(`${tenant.url}/missing`, resource)).rejects.toBeInstanceOf(InvalidTokenFailure);
  });

  it('metadata read back from the store is checked again: a document for another issuer is ignored (D2)', async () => {
    const store = new InMemoryMcpAuthStore();
    await store.set(`as-metadata:${tenant.url}`, JSON.stringify({ issuer: 'https://evil.example.com', jwks_uri: 'https://evil.example.com/jwks' }), 60_000);
    const { tenants, resource } = tenantsWith(() => true, store);
    const before = tenant.requests.length;
    const server = await tenants.resolve(tenant.url, resource);
    expect(server?.metadata.jwks_uri).toBe(`${tenant.url}/jwks`);
    expect(tenant.requests.length - before).toBe(1);
    expect(JSON.parse((await store.get(`as-metadata:${tenant.url}`))!)).toMatchObject({ issuer: tenant.url });
  });

  it('holds at most maxTenants servers', async () => {
    const { tenants, resource } = tenantsWith((issuer) => ({ issuer, metadata: { issuer, jwks_uri: `${issuer}/keys` } }), undefined, 5);
    for (let index = 0; index < 20; index++) await tenants.resolve(`https://t${index}.example.com`, resource);
    expect(tenants.size).toBe(5);
  });
});
