import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { McpAuthModule, type AuthorizationServerOptions, type IntrospectionClientOptions } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { authorizationCodeToken, clientCredentialsToken, fetchAuthorizationServerMetadata } from '../fixtures/dev-authorization-server.helpers.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { LogCapture } from '../fixtures/log-capture.js';
import { handlerRuns, startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';

const resource = 'http://127.0.0.1/mcp';
const otherResource = 'http://127.0.0.1/other';
const basicSecret = 'rs-basic-secret-0123456789abcdef';
const postSecret = 'rs-post-secret-0123456789abcdef';

/**
 * Opaque access tokens verified at the real oidc-provider introspection endpoint (RFC 7662), with each
 * client authentication method the resource server may be registered with.
 */
describe.each(ADAPTERS)('introspection against a real authorization server (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let key: TestSigningKey;
  let resourceServerKey: JWK;
  const apps: RunningApp[] = [];
  const logs = new LogCapture();

  beforeAll(async () => {
    key = await createSigningKey('RS256');
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    resourceServerKey = { ...(await exportJWK(privateKey)), kid: 'rs-key-1', alg: 'ES256' };
    as = await startDevAuthorizationServer({
      port: 0,
      signingJwk: key.privateJwk,
      introspection: true,
      resources: [
        { identifier: resource, scopes: ['read:notes', 'write:notes'], accessTokenFormat: 'opaque' },
        { identifier: otherResource, scopes: ['read:notes'], accessTokenFormat: 'opaque' },
      ],
      // The resource server's own registrations, one per authentication method.
      clients: [
        { client_id: 'rs-basic', client_secret: basicSecret, grant_types: [], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic' },
        { client_id: 'rs-post', client_secret: postSecret, grant_types: [], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_post' },
        {
          client_id: 'rs-jwt',
          grant_types: [],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'rs-key-1', alg: 'ES256' }] },
        },
      ],
    });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await as?.close();
  });

  beforeEach(() => {
    handlerRuns.count = 0;
  });

  async function appWith(introspection: IntrospectionClientOptions, tokenFormat: 'opaque' | 'mixed' = 'opaque', logger?: LogCapture) {
    const server: AuthorizationServerOptions = { issuer: as.issuer, introspection };
    const app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({ protectedResources: [{ resource, tokenFormat, authorizationServers: [server] }], retryAfterSeconds: 7 }),
      { logger },
    );
    apps.push(app);
    return app;
  }

  const opaqueToken = async (scope = 'read:notes', audience = resource) => (await clientCredentialsToken(as, { resource: audience, scope })).access_token;

  it.each([
    ['client_secret_basic', { clientId: 'rs-basic', clientSecret: basicSecret }],
    ['client_secret_post', { clientId: 'rs-post', clientSecret: postSecret, authMethod: 'client_secret_post' as const }],
  ])('I1: an opaque token is accepted after introspection with %s', async (_method, client) => {
    const app = await appWith(client);
    const token = await opaqueToken();
    expect(token.split('.')).toHaveLength(1);
    const { status, body } = await callWithToken(`${app.url}/mcp`, token);
    expect(status).toBe(200);
    expect(body).toMatchObject({ clientId: as.devClient.clientId, scopes: ['read:notes'], issuer: as.issuer, audience: [resource], principalType: 'client' });
    expect(body.serialised).not.toContain(token);
  });

  it('I1: an opaque token is accepted after introspection with private_key_jwt (RFC 7523)', async () => {
    const app = await appWith({ clientId: 'rs-jwt', privateKey: resourceServerKey });
    expect((await callWithToken(`${app.url}/mcp`, await opaqueToken())).status).toBe(200);
  });

  it('I1: the discovered metadata names the introspection endpoint the verifier uses', async () => {
    const metadata = await fetchAuthorizationServerMetadata(as.issuer);
    expect(metadata.introspection_endpoint).toBe(`${as.issuer}/token/introspection`);
  });

  describe('refusals', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await appWith({ clientId: 'rs-basic', clientSecret: basicSecret }, 'opaque', logs);
    });

    it('I2: a token the server does not know (active:false) → 401 invalid_token', async () => {
      const { status, challenge } = await callWithToken(`${app.url}/mcp`, 'NotATokenTheServerEverIssued0123456789abcd');
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
      expect(handlerRuns.count).toBe(0);
    });

    it('I2: a revoked token → 401 invalid_token', async () => {
      const token = await opaqueToken();
      expect((await callWithToken(`${app.url}/mcp`, token)).status).toBe(200);
      const { revocation_endpoint } = await fetchAuthorizationServerMetadata(as.issuer);
      const revoked = await fetch(revocation_endpoint as string, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${as.devClient.clientId}:${as.devClient.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token }),
      });
      expect(revoked.status).toBe(200);
      const { status, challenge } = await callWithToken(`${app.url}/mcp`, token);
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
    });

    it('I3: an active token for another resource (aud) → 401 invalid_token', async () => {
      const { status, challenge } = await callWithToken(`${app.url}/mcp`, await opaqueToken('read:notes', otherResource));
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
    });

    it('C8: an introspected token lacking the route scope → 403 insufficient_scope', async () => {
      const { status, challenge } = await callWithToken(`${app.url}/mcp`, await opaqueToken('read:notes'), 'POST');
      expect(status).toBe(403);
      expect(challenge?.params).toMatchObject({ error: 'insufficient_scope', scope: 'read:notes write:notes' });
    });

    it('a refresh token presented as an access token → 401', async () => {
      const tokens = await authorizationCodeToken(as, { resource, scope: 'read:notes' });
      const { status } = await callWithToken(`${app.url}/mcp`, tokens.refresh_token);
      expect(status).toBe(401);
    });

    it('a JWT is not an opaque token: the server refuses to introspect it (unsupported_token_type) → 401', async () => {
      const jwt = await signAccessToken(key, { issuer: as.issuer, audience: resource });
      const { status, challenge } = await callWithToken(`${app.url}/mcp`, jwt);
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
    });

    it('X2: no token reaches the log', async () => {
      const token = await opaqueToken();
      await callWithToken(`${app.url}/mcp`, token);
      await callWithToken(`${app.url}/mcp`, `${token}x`);
      expect(logs.text()).not.toContain(token);
    });
  });

  it('C15: credentials the server refuses (invalid_client) are an outage: 503 with Retry-After, logged, never invalid_token', async () => {
    const capture = new LogCapture();
    const app = await appWith({ clientId: 'rs-basic', clientSecret: 'not-the-secret' }, 'opaque', capture);
    const token = await opaqueToken();
    const { status, retryAfter, header, body } = await callWithToken(`${app.url}/mcp`, token);
    expect(status).toBe(503);
    expect(retryAfter).toBe('7');
    expect(header).toBeNull();
    expect(body.error).toBe('temporarily_unavailable');
    expect(capture.at('warn').join('\n')).toContain('HTTP 401 (invalid_client); check the introspection client credentials');
    expect(capture.text()).not.toContain(token);
  });

  it('mixed: JWTs are verified locally and opaque tokens introspected, for one resource', async () => {
    const app = await appWith({ clientId: 'rs-basic', clientSecret: basicSecret }, 'mixed');
    const jwt = await signAccessToken(key, { issuer: as.issuer, audience: resource, claims: { client_id: 'jwt-client' } });
    expect((await callWithToken(`${app.url}/mcp`, jwt)).body).toMatchObject({ clientId: 'jwt-client' });
    expect((await callWithToken(`${app.url}/mcp`, await opaqueToken())).body).toMatchObject({ clientId: as.devClient.clientId });
    // A forged JWT is refused by the JWT verifier, not sent to the authorization server for a second opinion.
    const forged = `${jwt.slice(0, jwt.lastIndexOf('.'))}.${'A'.repeat(342)}`;
    expect((await callWithToken(`${app.url}/mcp`, forged)).status).toBe(401);
    // An expired JWT stays refused too.
    const expired = await signAccessToken(key, { issuer: as.issuer, audience: resource, claims: { exp: Math.floor(Date.now() / 1000) - 60 } });
    expect((await callWithToken(`${app.url}/mcp`, expired)).status).toBe(401);
  });
});
