import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { McpAuthModule } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { handlerRuns, startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';
import { parseChallenges, type ParsedChallenge } from '../fixtures/www-authenticate.js';
import { createDpopKey, dpopProof, type DpopKey } from './fixtures/dpop-proof.js';

// RFC 9449 §4.3, each check on its own (K1–K8), against a guard that trusts a real authorization server
// (oidc-provider) publishing the key the test signs DPoP-bound tokens with. The resource identifier's origin
// is not the app's: the proof's htu must name the configured resource, whatever the request's Host says.
const RESOURCE = 'http://127.0.0.1/mcp';
const METADATA = 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp';
const NONCE_SECRET = 'a-nonce-secret-shared-by-every-instance';

interface Answer {
  status: number;
  challenges: ParsedChallenge[];
  nonce: string | null;
  body: Record<string, unknown>;
}

describe.each(ADAPTERS)('DPoP proofs (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let signingKey: TestSigningKey;
  let client: DpopKey;
  let allowed: RunningApp;
  let required: RunningApp;

  const boundToken = (key: DpopKey = client, scope = 'read:notes') =>
    signAccessToken(signingKey, { issuer: as.issuer, audience: RESOURCE, scope, claims: { cnf: { jkt: key.thumbprint } } });
  const bearerToken = () => signAccessToken(signingKey, { issuer: as.issuer, audience: RESOURCE });

  async function call(app: RunningApp, headers: Array<[string, string]>, method = 'GET'): Promise<Answer> {
    const response = await fetch(`${app.url}/mcp`, { method, headers });
    const header = response.headers.get('www-authenticate');
    return {
      status: response.status,
      challenges: header ? parseChallenges(header) : [],
      nonce: response.headers.get('dpop-nonce'),
      body: (await response.json()) as Record<string, unknown>,
    };
  }
  const withProof = async (app: RunningApp, token: string, overrides: Parameters<typeof dpopProof>[2] = {}, method = 'GET') =>
    call(app, [['authorization', `DPoP ${token}`], ['dpop', await dpopProof(client, { method, url: RESOURCE, accessToken: token }, overrides)]], method);
  const dpopChallenge = (answer: Answer) => answer.challenges.find((challenge) => challenge.scheme === 'DPoP');

  function expectInvalidProof(answer: Answer) {
    expect(answer.status).toBe(401);
    expect(dpopChallenge(answer)?.params).toMatchObject({ error: 'invalid_dpop_proof', resource_metadata: METADATA });
    expect(answer.body.error).toBe('invalid_dpop_proof');
  }

  beforeAll(async () => {
    signingKey = await createSigningKey('RS256');
    client = await createDpopKey('ES256');
    as = await startDevAuthorizationServer({ port: 0, signingJwk: signingKey.privateJwk, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes'] }] });
    const resource = (dpop: unknown) => McpAuthModule.forRoot({ protectedResources: [{ resource: RESOURCE, authorizationServers: [as.issuer], dpop: dpop as never }] });
    allowed = await startProtectedApp(adapter, resource({ mode: 'allowed', algorithms: ['ES256', 'EdDSA'] }));
    required = await startProtectedApp(adapter, resource({ mode: 'required', nonce: { secret: NONCE_SECRET } }));
  });

  afterAll(async () => {
    await allowed?.close();
    await required?.close();
    await as?.close();
  });

  it('K1: a DPoP-bound token with a valid proof is admitted, and the caller is known to be bound to the key', async () => {
    const before = handlerRuns.count;
    const answer = await withProof(allowed, await boundToken());
    expect(answer.status).toBe(200);
    expect(handlerRuns.count).toBe(before + 1);
    expect(JSON.parse(answer.body.serialised as string)).toMatchObject({ dpopThumbprint: client.thumbprint });
  });

  it('K1, K6: without credentials, an allowed resource challenges with Bearer and DPoP (algs), both with resource_metadata', async () => {
    const answer = await call(allowed, []);
    expect(answer.status).toBe(401);
    expect(answer.challenges).toEqual([
      { scheme: 'Bearer', params: { scope: 'read:notes', resource_metadata: METADATA } },
      { scheme: 'DPoP', params: { scope: 'read:notes', resource_metadata: METADATA, algs: 'ES256 EdDSA' } },
    ]);
  });

  it('K3: a DPoP-bound token presented as Bearer is refused (RFC 9449 §7.2), with the error on the Bearer challenge', async () => {
    const answer = await call(allowed, [['authorization', `Bearer ${await boundToken()}`]]);
    expect(answer.status).toBe(401);
    expect(answer.challenges[0]).toMatchObject({ scheme: 'Bearer', params: { error: 'invalid_token' } });
    expect(answer.challenges[1]).toMatchObject({ scheme: 'DPoP', params: { algs: 'ES256 EdDSA' } });
    expect(answer.challenges[1]!.params.error).toBeUndefined();
  });

  it('K3: a token bound some other way (mTLS cnf.x5t#S256) is usable neither as Bearer nor with a proof', async () => {
    const token = await signAccessToken(signingKey, { issuer: as.issuer, audience: RESOURCE, claims: { cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } } });
    expect((await call(allowed, [['authorization', `Bearer ${token}`]])).status).toBe(401);
    expectInvalidProof(await withProof(allowed, token));
  });

  it('K1: an unbound token is fine as Bearer, but not with the DPoP scheme', async () => {
    const token = await bearerToken();
    expect((await call(allowed, [['authorization', `Bearer ${token}`]])).status).toBe(200);
    const answer = await withProof(allowed, token);
    expect(answer.status).toBe(401);
    expect(dpopChallenge(answer)?.params.error).toBe('invalid_token');
  });

  it('K1: no DPoP header, or two of them, is an invalid proof', async () => {
    const token = await boundToken();
    expectInvalidProof(await call(allowed, [['authorization', `DPoP ${token}`]]));
    const proof = () => dpopProof(client, { method: 'GET', url: RESOURCE, accessToken: token });
    expectInvalidProof(await call(allowed, [['authorization', `DPoP ${token}`], ['dpop', await proof()], ['dpop', await proof()]]));
  });

  it('K1: typ other than dpop+jwt, an alg not accepted, no jwk, or a private jwk is refused', async () => {
    const token = await boundToken();
    expectInvalidProof(await withProof(allowed, token, { header: { typ: 'JWT' } }));
    const rsa = await createDpopKey('RS256');
    expectInvalidProof(await call(allowed, [['authorization', `DPoP ${token}`], ['dpop', await dpopProof(rsa, { method: 'GET', url: RESOURCE, accessToken: token })]]));
    expectInvalidProof(await withProof(allowed, token, { header: { jwk: undefined } }));
    expectInvalidProof(await withProof(allowed, token, { header: { jwk: client.privateJwk } }));
  });

  it('K1: a proof signed by another key than its jwk is refused', async () => {
    expectInvalidProof(await withProof(allowed, await boundToken(), { signWith: await createDpopKey('ES256') }));
  });

  it('K1: a proof by another key than the token is bound to (key mismatch) is refused', async () => {
    const other = await createDpopKey('ES256');
    const token = await boundToken(other);
    expectInvalidProof(await withProof(allowed, token));
  });

  it('K1: htm must be the request method, ath the hash of this token, jti present', async () => {
    const token = await boundToken();
    expectInvalidProof(await withProof(allowed, token, { claims: { htm: 'POST' } }));
    expectInvalidProof(await withProof(allowed, token, { claims: { ath: 'x'.repeat(43) } }));
    expectInvalidProof(await withProof(allowed, token, { omit: ['ath'] }));
    expectInvalidProof(await withProof(allowed, token, { omit: ['jti'] }));
  });

  it('K8: htu is the configured resource URL; the request Host and X-Forwarded-* are never used', async () => {
    const token = await boundToken();
    const spoofed = 'http://evil.example/mcp';
    const proof = await dpopProof(client, { method: 'GET', url: spoofed, accessToken: token });
    const answer = await call(allowed, [['authorization', `DPoP ${token}`], ['dpop', proof], ['x-forwarded-host', 'evil.example'], ['x-forwarded-proto', 'http']]);
    expectInvalidProof(answer);
    // Query and fragment are ignored (RFC 9449 §4.3 step 9); equivalent spellings of the URL are the same URL.
    expect((await withProof(allowed, token, { claims: { htu: `${RESOURCE}?page=2#top` } })).status).toBe(200);
    expect((await withProof(allowed, token, { claims: { htu: 'HTTP://127.0.0.1:80/mcp' } })).status).toBe(200);
    expectInvalidProof(await withProof(allowed, token, { claims: { htu: 'http://127.0.0.1/other' } }));
  });

  it('K2: iat more than 300 s away, either way, is refused', async () => {
    const token = await boundToken();
    const now = Math.floor(Date.now() / 1000);
    expectInvalidProof(await withProof(allowed, token, { claims: { iat: now - 302 } }));
    expectInvalidProof(await withProof(allowed, token, { claims: { iat: now + 303 } }));
    expect((await withProof(allowed, token, { claims: { iat: now - 290 } })).status).toBe(200);
  });

  it('K7: the same proof twice is a replay', async () => {
    const token = await boundToken();
    const headers: Array<[string, string]> = [['authorization', `DPoP ${token}`], ['dpop', await dpopProof(client, { method: 'GET', url: RESOURCE, accessToken: token })]];
    expect((await call(allowed, headers)).status).toBe(200);
    expectInvalidProof(await call(allowed, headers));
  });

  it('K5: audience is still checked for DPoP-bound tokens', async () => {
    const token = await signAccessToken(signingKey, { issuer: as.issuer, audience: 'http://127.0.0.1/other', claims: { cnf: { jkt: client.thumbprint } } });
    const answer = await withProof(allowed, token);
    expect(answer.status).toBe(401);
    expect(dpopChallenge(answer)?.params.error).toBe('invalid_token');
  });

  it('C9: a DPoP caller without a scope gets the 403 step-up in the DPoP scheme', async () => {
    const answer = await withProof(allowed, await boundToken(client, 'read:notes'), {}, 'POST');
    expect(answer.status).toBe(403);
    expect(answer.challenges).toEqual([
      { scheme: 'DPoP', params: { error: 'insufficient_scope', error_description: 'The access token lacks a required scope', scope: 'read:notes write:notes', resource_metadata: METADATA, algs: 'ES256 EdDSA' } },
    ]);
  });

  it('K4, K6: required mode answers Bearer with a DPoP challenge only, and asks for its nonce', async () => {
    const bearer = await call(required, [['authorization', `Bearer ${await bearerToken()}`]]);
    expect(bearer.status).toBe(401);
    expect(bearer.challenges.map((challenge) => challenge.scheme)).toEqual(['DPoP']);
    const token = await boundToken();
    const first = await withProof(required, token);
    expect(first.status).toBe(401);
    expect(dpopChallenge(first)?.params.error).toBe('use_dpop_nonce');
    expect(first.nonce).toMatch(/^[A-Za-z0-9_-]+$/);
    expect((await withProof(required, token, { claims: { nonce: first.nonce } })).status).toBe(200);
    const forged = await withProof(required, token, { claims: { nonce: `${first.nonce!.slice(0, -2)}AA` } });
    expect(dpopChallenge(forged)?.params.error).toBe('use_dpop_nonce');
  });

  it('P11, K6: the metadata advertises the proof algorithms, and that DPoP is required where it is', async () => {
    const metadata = async (app: RunningApp) => (await (await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(await metadata(allowed)).toMatchObject({ dpop_signing_alg_values_supported: ['ES256', 'EdDSA'] });
    expect((await metadata(allowed)).dpop_bound_access_tokens_required).toBeUndefined();
    expect(await metadata(required)).toMatchObject({ dpop_bound_access_tokens_required: true });
  });
});
