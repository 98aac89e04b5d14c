import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthorizationServerDiscoveryError, AuthorizationServerRegistry, McpAuthModule, type McpAuthModuleOptions } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { freePort } from '../fixtures/free-port.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { LogCapture } from '../fixtures/log-capture.js';
import { sendJson, startLoopbackServer, type LoopbackServer } from '../fixtures/loopback-server.js';
import { startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken } from '../fixtures/token-signer.js';

const resource = 'http://127.0.0.1/mcp';

function optionsTrusting(issuer: McpAuthModuleOptions['protectedResources'][0]['authorizationServers'][0], extra: Partial<McpAuthModuleOptions> = {}): McpAuthModuleOptions {
  return { protectedResources: [{ resource, authorizationServers: [issuer] }], discovery: { timeoutMs: 300, retryDelayMs: 10 }, ...extra };
}

/** Boots only the module (no HTTP server): enough to see discovery pass or fail at bootstrap. */
async function bootstrap(options: McpAuthModuleOptions, logger = new LogCapture()) {
  @Module({ imports: [McpAuthModule.forRoot(options)] })
  class DiscoveryTestModule {}
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryTestModule] }).setLogger(logger).compile();
  return { moduleRef, logger };
}

async function expectDiscoveryFailure(options: McpAuthModuleOptions): Promise<AuthorizationServerDiscoveryError> {
  const error = await bootstrap(options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AuthorizationServerDiscoveryError);
  return error as AuthorizationServerDiscoveryError;
}

function metadataFor(issuer: string, base: string, extra: Record<string, unknown> = {}) {
  return {
    issuer,
    jwks_uri: `${base}/jwks`,
    registration_endpoint: `${base}/register`,
    code_challenge_methods_supported: ['S256'],
    ...extra,
  };
}

/** The metadata requests a server saw, leaving out the best-effort JWKS prefetch that follows discovery. */
const metadataRequests = (server: LoopbackServer) => server.requests.filter((path) => path !== '/jwks');

const servers: LoopbackServer[] = [];
async function loopback(handler: Parameters<typeof startLoopbackServer>[0]) {
  const server = await startLoopbackServer(handler);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('authorization server discovery at bootstrap', () => {
  it('D1 D3: a path issuer is found at the third URL of the probe order, tried in order', async () => {
    const server = await loopback((request, response, base) => {
      if (request.url === '/tenant/.well-known/openid-configuration') sendJson(response, 200, metadataFor(`${base}/tenant`, base));
      else sendJson(response, 404, {});
    });
    await bootstrap(optionsTrusting(`${server.url}/tenant`));
    expect(metadataRequests(server)).toEqual([
      '/.well-known/oauth-authorization-server/tenant',
      '/.well-known/openid-configuration/tenant',
      '/tenant/.well-known/openid-configuration',
    ]);
  });

  it('D1: a root issuer is probed with RFC 8414 first, then OIDC', async () => {
    const server = await loopback((request, response, base) => {
      if (request.url === '/.well-known/openid-configuration') sendJson(response, 200, metadataFor(base, base));
      else sendJson(response, 404, {});
    });
    await bootstrap(optionsTrusting(server.url));
    expect(metadataRequests(server)).toEqual(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']);
  });

  it('D2: a document with a different issuer is discarded and the next URL is tried', async () => {
    const server = await loopback((request, response, base) => {
      if (request.url === '/.well-known/oauth-authorization-server') sendJson(response, 200, metadataFor(`${base}/`, base));
      else sendJson(response, 200, metadataFor(base, base));
    });
    const { moduleRef } = await bootstrap(optionsTrusting(server.url));
    // The second document, whose issuer matches, is the one kept.
    expect(await moduleRef.get(AuthorizationServerRegistry).metadataFor(server.url)).toMatchObject({ issuer: server.url });
    expect(metadataRequests(server)).toHaveLength(2);
  });

  it('D2: a wrong issuer everywhere fails bootstrap with a named error listing each URL and why', async () => {
    const server = await loopback((_request, response) => sendJson(response, 200, metadataFor('https://impostor.example', 'https://impostor.example')));
    const error = await expectDiscoveryFailure(optionsTrusting(server.url));
    expect(error.code).toBe('MCP_AUTH_DISCOVERY_FAILED');
    expect(error.attempts.map((attempt) => attempt.url)).toEqual([
      `${server.url}/.well-known/oauth-authorization-server`,
      `${server.url}/.well-known/openid-configuration`,
    ]);
    expect(error.message).toContain(`"issuer" is "https://impostor.example", expected exactly "${server.url}"`);
  });

  it('404 everywhere fails at once, without retries, naming the URLs', async () => {
    const server = await loopback((_request, response) => sendJson(response, 404, {}));
    const error = await expectDiscoveryFailure(optionsTrusting(server.url, { discovery: { retries: 3, retryDelayMs: 10 } }));
    expect(server.requests).toHaveLength(2);
    expect(error.message).toContain(`${server.url}/.well-known/oauth-authorization-server: HTTP 404`);
    expect(error.message).toContain(`${server.url}/.well-known/openid-configuration: HTTP 404`);
  });

  // A hanging server, invalid JSON and 5xx at bootstrap, fail-fast and lazy: test/security/fault-injection.e2e-spec.ts.

  it('retries with backoff after a 5xx and succeeds when the server recovers', async () => {
    let failures = 2;
    const server = await loopback((_request, response, base) => {
      if (failures-- > 0) sendJson(response, 503, {});
      else sendJson(response, 200, metadataFor(base, base));
    });
    await bootstrap(optionsTrusting(server.url, { discovery: { retries: 2, retryDelayMs: 10 } }));
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('D4: metadata without jwks_uri is unusable', async () => {
    const server = await loopback((_request, response, base) => sendJson(response, 200, { issuer: base }));
    const error = await expectDiscoveryFailure(optionsTrusting(server.url));
    expect(error.message).toContain('"jwks_uri" is missing');
  });

  it('split horizon: a custom metadata URL is fetched, and its issuer must still be the public one', async () => {
    const publicIssuer = 'https://login.example.com/realms/notes';
    const server = await loopback((_request, response, base) => sendJson(response, 200, metadataFor(publicIssuer, base)));
    await bootstrap(optionsTrusting({ issuer: publicIssuer, metadataUrl: `${server.url}/internal/metadata` }));
    expect(metadataRequests(server)).toEqual(['/internal/metadata']);
  });

  it('manual metadata: nothing is fetched at all', async () => {
    const server = await loopback((_request, response) => sendJson(response, 500, {}));
    const issuer = 'https://login.example.com';
    await bootstrap(optionsTrusting({ issuer, metadata: { issuer, jwks_uri: `${server.url}/jwks` } }, { jwt: {} }));
    // Only the best-effort JWKS prefetch may have reached the server.
    expect(metadataRequests(server)).toEqual([]);
  });

  it('an async transform hook can complete incomplete metadata before it is validated', async () => {
    const server = await loopback((_request, response, base) => sendJson(response, 200, { issuer: base }));
    const { moduleRef } = await bootstrap(
      optionsTrusting(server.url, {
        discovery: {
          timeoutMs: 300,
          transformMetadata: async (metadata, issuer) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return { ...metadata, jwks_uri: `${issuer}/jwks` };
          },
        },
      }),
    );
    expect(await moduleRef.get(AuthorizationServerRegistry).metadataFor(server.url)).toEqual({ issuer: server.url, jwks_uri: `${server.url}/jwks` });
  });

  it('D5 D6 D9: a weak but usable authorization server earns warnings, not a failure', async () => {
    const server = await loopback((_request, response, base) =>
      sendJson(response, 200, { issuer: base, jwks_uri: `${base}/jwks`, protected_resources: ['https://other.example/mcp'] }),
    );
    const { logger } = await bootstrap(optionsTrusting(server.url));
    const warnings = logger.at('warn').join('\n');
    expect(warnings).toContain('does not list S256');
    expect(warnings).toContain('neither a registration_endpoint nor client_id_metadata_document_supported');
    expect(warnings).toContain(`lists protected_resources without ${resource}`);
  });

  it('D7: an http issuer on a non-loopback host is refused unless explicitly allowed', async () => {
    const error = await bootstrap(optionsTrusting('http://login.example.com')).catch((thrown: Error) => thrown);
    expect((error as Error).message).toContain('protectedResources[0].authorizationServers[0].issuer: must use https');
  });
});


describe.each(ADAPTERS)('lazy discovery (%s)', (adapter) => {
  let app: RunningApp | undefined;
  let as: DevAuthorizationServer | undefined;

  afterEach(async () => {
    await app?.close();
    await as?.close();
  });

  it('D8: the app starts before its authorization server, answers 503 meanwhile, then accepts tokens', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const logger = new LogCapture();
    app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [{ resource, authorizationServers: [issuer] }],
        discovery: { failFast: false, timeoutMs: 300, retries: 0 },
        retryAfterSeconds: 0,
      }),
      { logger },
    );
    const key = await createSigningKey();
    const token = await signAccessToken(key, { issuer, audience: resource });

    const before = await fetch(`${app.url}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    expect(before.status).toBe(503);
    expect(before.headers.get('retry-after')).toBe('0');
    expect(logger.at('error').join('\n')).toContain('Will retry on first use');

    as = await startDevAuthorizationServer({ port, signingJwk: key.privateJwk, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    const after = await fetch(`${app.url}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(200);
  });
});
