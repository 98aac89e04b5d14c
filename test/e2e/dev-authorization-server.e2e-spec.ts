import { createServer } from 'node:net';

import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  startDevAuthorizationServer,
  type DevAuthorizationServer,
} from '../../sample/auth-server/dev-authorization-server.js';
import {
  AuthorizationServerError,
  authorizationCodeToken,
  clientCredentialsToken,
  completeDevLogin,
  fetchAuthorizationServerMetadata,
  refreshAccessToken,
  registerPublicClient,
  type AuthorizationServerMetadata,
} from '../fixtures/dev-authorization-server.helpers.js';

const MCP_RESOURCE = 'http://127.0.0.1:3000/mcp';
const NOTES_RESOURCE = 'http://127.0.0.1:3000/notes';
const TTL_SECONDS = 900;

describe('development authorization server', () => {
  let as: DevAuthorizationServer;
  let metadata: AuthorizationServerMetadata;

  // Verifies an access token the way a resource server will: signature from the published JWKS,
  // exact issuer, exact audience, RFC 9068 typ.
  async function verifyAccessToken(token: string, audience: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(metadata.jwks_uri)), {
      issuer: as.issuer,
      audience,
      typ: 'at+jwt',
    });
    return payload;
  }

  async function expectRefusal(promise: Promise<unknown>, error: string): Promise<void> {
    const refusal = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(refusal).toBeInstanceOf(AuthorizationServerError);
    expect((refusal as AuthorizationServerError).body.error).toBe(error);
  }

  beforeAll(async () => {
    as = await startDevAuthorizationServer({
      port: 0,
      accessTokenTtlSeconds: TTL_SECONDS,
      resources: [
        { identifier: MCP_RESOURCE, scopes: ['read:notes', 'write:notes'] },
        { identifier: NOTES_RESOURCE, scopes: ['read:notes', 'write:notes', 'delete:notes'] },
      ],
    });
    metadata = await fetchAuthorizationServerMetadata(as.issuer);
  });

  afterAll(async () => {
    await as?.close();
  });

  it('serves the same metadata at the RFC 8414 and the OIDC discovery locations, with the exact issuer', async () => {
    expect(as.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(as.issuer).not.toBe('http://127.0.0.1:0');

    const oauth = await fetch(`${as.issuer}/.well-known/oauth-authorization-server`);
    const oidc = await fetch(`${as.issuer}/.well-known/openid-configuration`);
    expect(oauth.status).toBe(200);
    expect(oidc.status).toBe(200);
    const oauthDocument = (await oauth.json()) as AuthorizationServerMetadata;
    expect(await oidc.json()).toEqual(oauthDocument);

    expect(oauthDocument.issuer).toBe(as.issuer);
    expect(oauthDocument.code_challenge_methods_supported).toEqual(['S256']);
    expect(oauthDocument.registration_endpoint).toBe(`${as.issuer}/reg`);
    expect(oauthDocument.jwks_uri).toMatch(new RegExp(`^${as.issuer}/`));
    expect(oauthDocument.scopes_supported).toEqual(
      expect.arrayContaining(['read:notes', 'write:notes', 'delete:notes']),
    );
    expect(oauthDocument['response_types_supported']).toEqual(['code']);
    expect([...(oauthDocument['grant_types_supported'] as string[])].sort()).toEqual(
      ['authorization_code', 'client_credentials', 'refresh_token'],
    );
    expect(oauthDocument['token_endpoint_auth_methods_supported']).toEqual(
      expect.arrayContaining(['none', 'client_secret_basic', 'client_secret_post']),
    );
  });

  it('issues client_credentials tokens as RFC 9068 JWTs bound to the requested resource', async () => {
    const basic = await clientCredentialsToken(as, { resource: MCP_RESOURCE, scope: 'read:notes delete:notes' });
    expect(decodeProtectedHeader(basic.access_token)).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    expect(basic.expires_in).toBe(TTL_SECONDS);
    // delete:notes belongs to the other resource only, so it is filtered out.
    expect(basic.scope).toBe('read:notes');

    const claims = await verifyAccessToken(basic.access_token, MCP_RESOURCE);
    expect(claims.aud).toBe(MCP_RESOURCE);
    expect(claims).toMatchObject({ scope: 'read:notes', client_id: 'dev-client', sub: 'dev-client', iss: as.issuer });
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(TTL_SECONDS);

    const post = await clientCredentialsToken(as, {
      resource: NOTES_RESOURCE,
      scope: 'read:notes delete:notes',
      authMethod: 'client_secret_post',
    });
    const notesClaims = await verifyAccessToken(post.access_token, NOTES_RESOURCE);
    expect(notesClaims.aud).toBe(NOTES_RESOURCE);
    expect(notesClaims['scope']).toBe('read:notes delete:notes');
  });

  it('defaults to the first configured resource when none is requested', async () => {
    const { access_token } = await clientCredentialsToken(as, { scope: 'write:notes' });
    expect((await verifyAccessToken(access_token, MCP_RESOURCE)).aud).toBe(MCP_RESOURCE);
  });

  it('refuses unknown resources and bad client secrets', async () => {
    await expectRefusal(
      clientCredentialsToken(as, { resource: 'http://127.0.0.1:3000/other', scope: 'read:notes' }),
      'invalid_target',
    );
    // The identifier is compared exactly: a trailing slash is another resource.
    await expectRefusal(clientCredentialsToken(as, { resource: `${MCP_RESOURCE}/`, scope: 'read:notes' }), 'invalid_target');
    await expectRefusal(
      authorizationCodeToken(as, { resource: 'http://127.0.0.1:3000/other', scope: 'read:notes' }),
      'invalid_target',
    );
    await expectRefusal(
      clientCredentialsToken(as, { resource: MCP_RESOURCE, scope: 'read:notes', clientSecret: 'wrong' }),
      'invalid_client',
    );
  });

  it('lets a script log in through plain HTML forms: authorization code + PKCE with resource', async () => {
    const tokens = await authorizationCodeToken(as, {
      resource: MCP_RESOURCE,
      scope: 'read:notes write:notes delete:notes',
      username: 'alice',
    });
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
    const claims = await verifyAccessToken(tokens.access_token, MCP_RESOURCE);
    expect(claims).toMatchObject({
      sub: 'alice',
      aud: MCP_RESOURCE,
      scope: 'read:notes write:notes',
      client_id: tokens.client_id,
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('uses dev-user when the login form is submitted unchanged, and serves a no-JS login page', async () => {
    const redirectUri = 'http://localhost:6274/oauth/callback';
    const { client_id } = await registerPublicClient(as.issuer, { redirectUri, scope: 'read:notes write:notes' });
    const authorizationUrl = new URL(metadata.authorization_endpoint);
    authorizationUrl.search = new URLSearchParams({
      response_type: 'code',
      client_id,
      redirect_uri: redirectUri,
      scope: 'read:notes',
      resource: MCP_RESOURCE,
      state: 'xyz',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbkRjHDsh_cM',
      code_challenge_method: 'S256',
    }).toString();

    const first = await fetch(authorizationUrl, { redirect: 'manual' });
    const interactionUrl = new URL(first.headers.get('location')!, as.issuer);
    const page = await fetch(interactionUrl, {
      headers: { cookie: first.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ') },
    });
    const html = await page.text();
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toMatch(/<form method="post" action="\/interaction\/[^"]+\/login">/);
    expect(html).toContain('name="username" value="dev-user"');
    expect(html).not.toMatch(/<script/i);

    const callback = new URL(await completeDevLogin(authorizationUrl.href));
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('xyz');
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('requires PKCE', async () => {
    const redirectUri = 'http://127.0.0.1:33418/callback';
    const { client_id } = await registerPublicClient(as.issuer, { redirectUri });
    const authorizationUrl = new URL(metadata.authorization_endpoint);
    authorizationUrl.search = new URLSearchParams({
      response_type: 'code',
      client_id,
      redirect_uri: redirectUri,
      scope: 'read:notes',
      resource: MCP_RESOURCE,
    }).toString();
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('issues and rotates refresh tokens without offline_access, re-scoped to the requested resource', async () => {
    const tokens = await authorizationCodeToken(as, { resource: MCP_RESOURCE, scope: 'read:notes write:notes' });
    expect(tokens.scope?.split(' ')).not.toContain('offline_access');

    const refreshed = await refreshAccessToken(as.issuer, {
      clientId: tokens.client_id,
      refreshToken: tokens.refresh_token,
      resource: MCP_RESOURCE,
    });
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(decodeProtectedHeader(refreshed.access_token).typ).toBe('at+jwt');
    const claims = await verifyAccessToken(refreshed.access_token, MCP_RESOURCE);
    expect(claims).toMatchObject({ aud: MCP_RESOURCE, scope: 'read:notes write:notes', sub: 'dev-user' });

    // Public clients get rotated refresh tokens; the old one is single-use.
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // Down-scoping on refresh is allowed.
    const narrowed = await refreshAccessToken(as.issuer, {
      clientId: tokens.client_id,
      refreshToken: refreshed.refresh_token!,
      resource: MCP_RESOURCE,
      scope: 'read:notes',
    });
    expect((await verifyAccessToken(narrowed.access_token, MCP_RESOURCE))['scope']).toBe('read:notes');

    // A resource that was not granted is refused.
    await expectRefusal(
      refreshAccessToken(as.issuer, {
        clientId: tokens.client_id,
        refreshToken: narrowed.refresh_token!,
        resource: NOTES_RESOURCE,
      }),
      'invalid_target',
    );
    await expectRefusal(
      refreshAccessToken(as.issuer, { clientId: tokens.client_id, refreshToken: tokens.refresh_token }),
      'invalid_grant',
    );
  });

  it('accepts the MCP SDK request shape: offline_access with prompt=consent', async () => {
    const tokens = await authorizationCodeToken(as, {
      resource: MCP_RESOURCE,
      scope: 'read:notes offline_access',
      prompt: 'consent',
    });
    // offline_access is not a scope of the resource, so the access token does not carry it.
    expect((await verifyAccessToken(tokens.access_token, MCP_RESOURCE))['scope']).toBe('read:notes');
    const refreshed = await refreshAccessToken(as.issuer, { clientId: tokens.client_id, refreshToken: tokens.refresh_token });
    expect((await verifyAccessToken(refreshed.access_token, MCP_RESOURCE))['scope']).toBe('read:notes');
  });

  it('binds authorization code tokens to the first resource when none is requested', async () => {
    const tokens = await authorizationCodeToken(as, { scope: 'read:notes' });
    expect((await verifyAccessToken(tokens.access_token, MCP_RESOURCE)).aud).toBe(MCP_RESOURCE);
  });
});

describe('development authorization server with ES256 and a fixed dev client', () => {
  it('signs access tokens with ES256, and close() frees the port and is idempotent', async () => {
    const as = await startDevAuthorizationServer({
      port: 0,
      signingAlgorithm: 'ES256',
      devClient: { clientId: 'my-client', clientSecret: 'my-secret' },
      resources: [{ identifier: MCP_RESOURCE, scopes: ['read:notes'] }],
    });
    try {
      expect(as.devClient).toEqual({ clientId: 'my-client', clientSecret: 'my-secret' });
      const metadata = await fetchAuthorizationServerMetadata(as.issuer);
      const { access_token } = await clientCredentialsToken(as, { resource: MCP_RESOURCE, scope: 'read:notes' });
      expect(decodeProtectedHeader(access_token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      const { payload } = await jwtVerify(access_token, createRemoteJWKSet(new URL(metadata.jwks_uri)), {
        issuer: as.issuer,
        audience: MCP_RESOURCE,
        algorithms: ['ES256'],
      });
      expect(payload['client_id']).toBe('my-client');

      // The ID token algorithm follows the only key there is, so the code flow works too.
      const tokens = await authorizationCodeToken(as, { resource: MCP_RESOURCE, scope: 'openid read:notes' });
      expect(decodeProtectedHeader(tokens.access_token).alg).toBe('ES256');
      expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    } finally {
      await Promise.all([as.close(), as.close()]);
      await as.close();
    }
    const port = Number(new URL(as.issuer).port);
    await expect(canListenOn(port)).resolves.toBe(true);
  });
});

function canListenOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
