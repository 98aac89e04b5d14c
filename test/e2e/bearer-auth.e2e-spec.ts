import { request as httpRequest, Agent } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { authorizationCodeToken, clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { handlerRuns, McpAuthModule, startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';
import { parseBearerChallenge } from '../fixtures/www-authenticate.js';

/** GET or POST with an optional bearer token; returns status, parsed challenge (if any) and body. */
async function call(url: string, options: { token?: string; authorization?: string; method?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, { method: options.method ?? 'GET', headers });
  const header = response.headers.get('www-authenticate');
  return {
    status: response.status,
    header,
    challenge: header ? parseBearerChallenge(header) : undefined,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe.each(ADAPTERS)('BearerAuthGuard against a real authorization server (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let otherAs: DevAuthorizationServer;
  let key: TestSigningKey;
  let app: RunningApp;
  let resource: string;
  let tokenFor: (options?: Parameters<typeof signAccessToken>[1] extends infer O ? Partial<O> : never) => Promise<string>;

  beforeAll(async () => {
    key = await createSigningKey('RS256');
    // The app's port is needed for the resource identifier before the AS knows its resources; reserve it
    // by starting the app once the AS is up, with the resource pointing at the app's own URL.
    resource = 'http://127.0.0.1/mcp';
    as = await startDevAuthorizationServer({
      port: 0,
      signingJwk: key.privateJwk,
      resources: [
        { identifier: resource, scopes: ['read:notes', 'write:notes', 'notes:admin'] },
        { identifier: 'http://127.0.0.1/other', scopes: ['read:notes'] },
      ],
    });
    otherAs = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [
          {
            resource,
            authorizationServers: [as.issuer, otherAs.issuer],
            scopesSupported: ['read:notes', 'write:notes'],
            audiences: ['api://notes'],
          },
        ],
        scopeHierarchy: { 'notes:admin': ['write:notes'], 'write:notes': ['read:notes'] },
      }),
    );
    tokenFor = (options = {}) => signAccessToken(key, { issuer: as.issuer, audience: resource, ...options });
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
    await otherAs?.close();
  });

  beforeEach(() => {
    handlerRuns.count = 0;
  });

  const mcp = () => `${app.url}/mcp`;

  describe('tokens issued by the real authorization server', () => {
    it('accepts a client_credentials RFC 9068 token and injects AuthInfo (X4)', async () => {
      const { access_token } = await clientCredentialsToken(as, { resource, scope: 'read:notes' });
      const { status, body } = await call(mcp(), { token: access_token });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        clientId: as.devClient.clientId,
        scopes: ['read:notes'],
        issuer: as.issuer,
        audience: [resource],
        resource,
        resourceMetadataUrl: 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp',
        principalType: 'client',
      });
      expect(handlerRuns.count).toBe(1);
    });

    it('accepts an authorization-code token for a person, visible through McpAuthContext too (X3)', async () => {
      const { access_token } = await authorizationCodeToken(as, { resource, scope: 'read:notes', username: 'alice' });
      const { status, body } = await call(mcp(), { token: access_token });
      expect(status).toBe(200);
      expect(body).toMatchObject({ subject: 'alice', contextSubject: 'alice', principalType: 'user' });
    });

    it('X1/X2: the injected AuthInfo does not serialise the raw token', async () => {
      const { access_token } = await clientCredentialsToken(as, { resource, scope: 'read:notes' });
      const { body } = await call(mcp(), { token: access_token });
      expect(body.serialised).not.toContain(access_token);
      expect(body.serialised).not.toContain(access_token.split('.')[2]);
    });

    it('T16: refuses an OpenID Connect ID token presented as an access token', async () => {
      const tokens = await authorizationCodeToken(as, { resource, scope: 'openid read:notes' });
      expect(tokens.id_token).toBeTypeOf('string');
      const { status, challenge } = await call(mcp(), { token: tokens.id_token });
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
    });

    it('T8: refuses a token minted for another resource', async () => {
      const { access_token } = await clientCredentialsToken(as, { resource: 'http://127.0.0.1/other', scope: 'read:notes' });
      const { status, challenge } = await call(mcp(), { token: access_token });
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
      expect(handlerRuns.count).toBe(0);
    });
  });

  describe('challenges', () => {
    it('C1 C2 C3 C4 C5: no credentials → 401 with resource_metadata and scope, no error', async () => {
      const { status, challenge, body } = await call(mcp());
      expect(status).toBe(401);
      expect(challenge?.scheme).toBe('Bearer');
      expect(challenge?.params).toEqual({
        resource_metadata: 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp',
        scope: 'read:notes',
      });
      expect(body.error).toBe('unauthorized');
      expect(handlerRuns.count).toBe(0);
    });

    it('C5: an unsupported scheme (Basic) is treated as no credentials', async () => {
      const { status, challenge } = await call(mcp(), { authorization: 'Basic dXNlcjpwYXNz' });
      expect(status).toBe(401);
      // The bare challenge, present and without `error`.
      expect(challenge?.params).toEqual({
        resource_metadata: 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp',
        scope: 'read:notes',
      });
    });

    it('C3: the resource_metadata URL of the challenge is served by the app', async () => {
      const { challenge } = await call(mcp());
      const path = new URL(challenge!.params.resource_metadata!).pathname;
      const response = await fetch(`${app.url}${path}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { resource: string }).resource).toBe(resource);
    });

    it('C6: a bad token → 401 invalid_token with a generic description and a JSON body', async () => {
      const { status, challenge, body } = await call(mcp(), { token: 'not.a.jwt' });
      expect(status).toBe(401);
      expect(challenge?.params).toMatchObject({ error: 'invalid_token', error_description: 'The access token is invalid' });
      expect(challenge?.params.resource_metadata).toBe('http://127.0.0.1/.well-known/oauth-protected-resource/mcp');
      expect(body).toEqual({ error: 'invalid_token', error_description: 'The access token is invalid' });
    });

    it('C7: two Authorization headers → 400 invalid_request', async () => {
      const token = await tokenFor();
      const { status, header } = await new Promise<{ status: number; header: string }>((resolve, reject) => {
        const request = httpRequest(mcp(), {
          // Raw header list: Node's client sends both, and the Host header must then be given by hand.
          headers: ['Host', new URL(app.url).host, 'Authorization', `Bearer ${token}`, 'Authorization', `Bearer ${token}`],
        });
        request.on('response', (response) => {
          response.resume();
          resolve({ status: response.statusCode!, header: String(response.headers['www-authenticate']) });
        });
        request.on('error', reject);
        request.end();
      });
      expect(status).toBe(400);
      expect(parseBearerChallenge(header).params.error).toBe('invalid_request');
      expect(handlerRuns.count).toBe(0);
    });

    it('C7: malformed Bearer credentials (trailing junk) → 400 invalid_request', async () => {
      const { status, challenge } = await call(mcp(), { authorization: `Bearer ${await tokenFor()} junk` });
      expect(status).toBe(400);
      expect(challenge?.params.error).toBe('invalid_request');
    });

    it('C8 C9: missing scope → 403 insufficient_scope naming every scope the route needs', async () => {
      const { status, challenge, body } = await call(mcp(), { token: await tokenFor({ scope: 'read:notes' }), method: 'POST' });
      expect(status).toBe(403);
      expect(challenge?.params).toMatchObject({
        error: 'insufficient_scope',
        scope: 'read:notes write:notes',
        resource_metadata: 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp',
      });
      expect(body.error).toBe('insufficient_scope');
      expect(handlerRuns.count).toBe(0);
    });

    it('C6: expiry is checked before scope (expired and under-scoped → 401, not 403)', async () => {
      const token = await tokenFor({ scope: 'read:notes', claims: { exp: Math.floor(Date.now() / 1000) - 60 } });
      const { status, challenge } = await call(mcp(), { token, method: 'POST' });
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
    });
  });

  describe('token validation', () => {
    it('T1: no handler runs for any refused token', async () => {
      const refused = [
        await tokenFor({ audience: 'https://elsewhere.example' }),
        await tokenFor({ claims: { exp: Math.floor(Date.now() / 1000) - 3600 } }),
        await tokenFor({ issuer: 'http://127.0.0.1:1' }),
      ];
      for (const token of refused) expect((await call(mcp(), { token })).status).toBe(401);
      expect(handlerRuns.count).toBe(0);
    });

    it('T2: a token in the query string is ignored', async () => {
      const { status, challenge } = await call(`${mcp()}?access_token=${await tokenFor()}`);
      expect(status).toBe(401);
      expect(challenge?.params).toEqual({
        resource_metadata: 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp',
        scope: 'read:notes',
      });
    });

    it.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])('T3: scheme %s is accepted', async (scheme) => {
      const { status } = await call(mcp(), { authorization: `${scheme} ${await tokenFor()}` });
      expect(status).toBe(200);
    });

    // Forged, re-headed and mis-claimed tokens (T4 T5 T6 T7 T8 T9) are in test/security/token-attacks.e2e-spec.ts,
    // against loopback issuers whose keys the test owns.

    it.each([
      ['an audience array containing ours', { audience: ['https://a.example', 'http://127.0.0.1/mcp'] }],
      ['a configured alias', { audience: 'api://notes' }],
    ])('T8: %s is accepted', async (_name, options) => {
      expect((await call(mcp(), { token: await tokenFor(options) })).status).toBe(200);
    });

    it('T11: scopes read from scp (array) when scope is absent', async () => {
      const token = await tokenFor({ omit: ['scope'], claims: { scp: ['read:notes', 'write:notes'] } });
      expect((await call(mcp(), { token, method: 'POST' })).status).toBe(201);
    });

    it('T12: a broader scope satisfies narrower ones through the hierarchy', async () => {
      const token = await tokenFor({ scope: 'notes:admin' });
      expect((await call(mcp(), { token })).status).toBe(200);
      expect((await call(mcp(), { token, method: 'POST' })).status).toBe(201);
      expect((await call(`${mcp()}/admin`, { token })).status).toBe(200);
      const writer = await tokenFor({ scope: 'write:notes' });
      expect((await call(`${mcp()}/admin`, { token: writer })).status).toBe(403);
    });

    it('T13: a token claiming the second issuer but signed by the first issuer key is refused', async () => {
      const token = await tokenFor({ issuer: otherAs.issuer });
      const { status, challenge } = await call(mcp(), { token });
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
    });

    it('T13: the second trusted issuer’s own tokens are accepted', async () => {
      const { access_token } = await clientCredentialsToken(otherAs, { resource, scope: 'read:notes' });
      expect((await call(mcp(), { token: access_token })).status).toBe(200);
    });

    it('T15: every request on one keep-alive connection is authenticated on its own', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const token = await tokenFor();
      const get = (authorization?: string) =>
        new Promise<{ status: number; reusedSocket: boolean }>((resolve, reject) => {
          const request = httpRequest(mcp(), { agent, headers: authorization ? { authorization } : {} });
          request.on('response', (response) => {
            response.resume();
            response.on('end', () => resolve({ status: response.statusCode!, reusedSocket: request.reusedSocket }));
          });
          request.on('error', reject);
          request.end();
        });
      try {
        expect(await get(`Bearer ${token}`)).toEqual({ status: 200, reusedSocket: false });
        // The same connection, no credentials: nothing carried over from the request before.
        expect(await get()).toEqual({ status: 401, reusedSocket: true });
      } finally {
        agent.destroy();
      }
    });
  });
});
