import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { McpAuthModule, startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';
import { parseBearerChallenge } from '../fixtures/www-authenticate.js';

const resource = 'http://127.0.0.1/mcp';

async function get(url: string, token: string) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const header = response.headers.get('www-authenticate');
  const text = await response.text();
  return { status: response.status, challenge: header ? parseBearerChallenge(header) : undefined, text, body: JSON.parse(text) };
}

describe.each(ADAPTERS)('opt-in verification policies (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let key: TestSigningKey;
  let app: RunningApp;
  const sign = (options: Partial<Parameters<typeof signAccessToken>[1]> = {}) =>
    signAccessToken(key, { issuer: as.issuer, audience: resource, ...options });

  beforeAll(async () => {
    key = await createSigningKey('ES256');
    as = await startDevAuthorizationServer({ port: 0, signingJwk: key.privateJwk, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [{ resource, authorizationServers: [as.issuer] }],
        jwt: { typ: 'strict', requiredClaims: ['sub', 'client_id', 'iat', 'jti'], maxTokenAgeSeconds: 600, algorithms: ['ES256'] },
        showErrorDetails: true,
      }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  it('ES256 tokens from the real authorization server pass the strict policy', async () => {
    const { access_token } = await clientCredentialsToken(as, { resource, scope: 'read:notes' });
    expect((await get(`${app.url}/mcp`, access_token)).status).toBe(200);
  });

  it.each([['JWT'], ['jwt'], [undefined]])('T6: strict mode refuses typ %s', async (typ) => {
    const { status, challenge } = await get(`${app.url}/mcp`, await sign({ header: { typ } }));
    expect(status).toBe(401);
    expect(challenge?.params.error).toBe('invalid_token');
  });

  it('T6: strict mode accepts application/at+jwt', async () => {
    expect((await get(`${app.url}/mcp`, await sign({ header: { typ: 'application/at+jwt' } }))).status).toBe(200);
  });

  it.each(['sub', 'client_id', 'iat', 'jti'])('T10: a token without the required %s claim is refused', async (claim) => {
    const { status, challenge } = await get(`${app.url}/mcp`, await sign({ omit: [claim] }));
    expect(status).toBe(401);
    expect(challenge?.params.error_description).toContain(claim);
  });

  it('maxTokenAge: a token issued longer ago than allowed is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { status } = await get(`${app.url}/mcp`, await sign({ claims: { iat: now - 3600, exp: now + 60 } }));
    expect(status).toBe(401);
  });

  it('T5: an algorithm outside the configured allow-list is refused even if otherwise valid', async () => {
    const rsa = await createSigningKey('RS256', key.kid);
    const { status, challenge } = await get(`${app.url}/mcp`, await signAccessToken(rsa, { issuer: as.issuer, audience: resource }));
    expect(status).toBe(401);
    // Refused by the allow-list itself, before any key is looked at (the key would not fit either).
    expect(challenge?.params.error_description).toBe('The token algorithm is not allowed');
  });

  it('C11: detailed descriptions still satisfy the RFC 6750 grammar (no quotes, no token)', async () => {
    const token = await sign({ audience: 'https://"quoted"\\audience.example' });
    const { status, challenge, text } = await get(`${app.url}/mcp`, token);
    expect(status).toBe(401);
    // The parser rejects `"` and `\` inside values; the detail names the claim without quoting it.
    expect(challenge?.params.error_description).toBe("The token's aud claim is not accepted");
    expect(text).not.toContain(token);
  });
});
