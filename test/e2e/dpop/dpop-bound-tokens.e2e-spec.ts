import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../../fixtures/dev-authorization-server.helpers.js';
import { dpopOrigin, startDpopApp, startDpopAuthorizationServer, type DpopApp } from '../../fixtures/dpop-app.js';
import { dpopClient, type DPoPClient } from '../../fixtures/dpop-client.js';
import { ADAPTERS } from '../../fixtures/http-app.js';
import { challengesByScheme } from '../../fixtures/www-authenticate.js';

// DPoP-bound tokens from the real dev authorization server, used by openid-client 6 (fresh proof per
// request through fetchProtectedResource) against a resource in 'allowed' mode: the binding is honoured
// (K1), cannot be thrown away by presenting the token as Bearer (K3) or by signing with another key, the
// audience still counts (K5), htu comes from the configured identifier and never from Host or
// X-Forwarded-* (K8), and a step-up answers in the DPoP scheme.

describe.each(ADAPTERS)('DPoP-bound tokens end to end (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let app: DpopApp;
  let alice: DPoPClient;

  beforeAll(async () => {
    const origin = await dpopOrigin();
    as = await startDpopAuthorizationServer(origin);
    app = await startDpopApp(adapter, as, origin);
    alice = await dpopClient(as);
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  const boundToken = async (path: 'allowed' | 'opaque' | 'required' = 'allowed', scope = 'read:notes', owner = alice) =>
    (await owner.clientCredentials({ resource: app.resource(path), scope })).access_token;

  it('K1: a DPoP-bound JWT with openid-client proofs → 200, AuthInfo.dpopThumbprint = the RFC 7638 thumbprint of the key', async () => {
    const token = await boundToken();
    const answer = await alice.call(app.resource('allowed'), token);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      resource: app.resource('allowed'),
      subject: as.devClient.clientId,
      scopes: ['read:notes'],
      dpopThumbprint: alice.thumbprint,
    });
    // Sent with the DPoP scheme and one proof, as RFC 9449 §7.1 has it.
    const sent = alice.sent.at(-1)!;
    expect(sent.headers.authorization).toBe(`DPoP ${token}`);
    expect(sent.headers.dpop).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('K1: the same token keeps working, each request with a fresh proof', async () => {
    const token = await boundToken();
    for (let request = 0; request < 3; request += 1) {
      expect((await alice.call(app.resource('allowed'), token)).status).toBe(200);
    }
  });

  it('K1: an opaque DPoP-bound token verified by introspection (cnf.jkt in the response) → 200 with the thumbprint', async () => {
    const token = await boundToken('opaque');
    const answer = await alice.call(app.resource('opaque'), token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ resource: app.resource('opaque'), dpopThumbprint: alice.thumbprint });
  });

  it('K1: a DPoP token from the authorization code flow → 200 for its user', async () => {
    const tokens = await alice.authorizationCode({ resource: app.resource('allowed'), scope: 'read:notes', username: 'alice' });
    const answer = await alice.call(app.resource('allowed'), tokens.access_token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ subject: 'alice', dpopThumbprint: alice.thumbprint });
  });

  it('a plain Bearer token on the allowed resource → 200, no thumbprint', async () => {
    const token = (await clientCredentialsToken(as, { resource: app.resource('allowed'), scope: 'read:notes' })).access_token;
    const answer = await alice.call(app.resource('allowed'), token, { dpop: false });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ dpopThumbprint: null });
  });

  it.each(['allowed', 'opaque'] as const)('K3: the bound token presented as Bearer (%s) → 401 invalid_token', async (path) => {
    const token = await boundToken(path);
    const answer = await alice.call(app.resource(path), token, { dpop: false });
    expect(alice.sent.at(-1)!.headers.authorization).toBe(`Bearer ${token}`);
    expect(answer.status).toBe(401);
    expect(challengesByScheme(answer.wwwAuthenticate).Bearer).toMatchObject({ error: 'invalid_token' });
  });

  it.each(['allowed', 'opaque'] as const)('K1: proofs signed by another key than the token is bound to (%s) → 401 DPoP invalid_dpop_proof', async (path) => {
    const token = await boundToken(path);
    const mallory = await dpopClient(as);
    const answer = await mallory.call(app.resource(path), token);
    expect(answer.status).toBe(401);
    const challenges = challengesByScheme(answer.wwwAuthenticate);
    expect(challenges.DPoP).toMatchObject({ error: 'invalid_dpop_proof', algs: expect.stringContaining('ES256') });
    expect(challenges.DPoP!.resource_metadata).toBe(`${new URL(app.resource(path)).origin}/.well-known/oauth-protected-resource/${path}`);
  });

  it('K5: a DPoP-bound token for another resource → 401 invalid_token, the proof notwithstanding', async () => {
    const token = await boundToken('required');
    const answer = await alice.call(app.resource('allowed'), token);
    expect(answer.status).toBe(401);
    expect(challengesByScheme(answer.wwwAuthenticate).DPoP).toMatchObject({ error: 'invalid_token' });
  });

  it('K8: a proof whose htu names a spoofed Host → 401 invalid_dpop_proof; the real identifier with the same spoofed headers → 200', async () => {
    const token = await boundToken();
    const spoofed = 'http://evil.example';
    const spoofHeaders = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
    const forged = await alice.call(`${spoofed}/allowed`, token, { via: app.url, host: 'evil.example', headers: spoofHeaders });
    expect(forged.status).toBe(401);
    expect(challengesByScheme(forged.wwwAuthenticate).DPoP).toMatchObject({ error: 'invalid_dpop_proof' });
    // Same headers, proof for the configured identifier: accepted, so the spoofed headers were simply not used.
    const genuine = await alice.call(app.resource('allowed'), token, { host: 'evil.example', headers: spoofHeaders });
    expect(genuine.status).toBe(200);
  });

  it('K8: a proof for X-Forwarded-Host/-Proto alone (Host untouched) → 401 invalid_dpop_proof', async () => {
    const token = await boundToken();
    const answer = await alice.call('https://proxy.example/allowed', token, {
      via: app.url,
      headers: { 'x-forwarded-host': 'proxy.example', 'x-forwarded-proto': 'https' },
    });
    expect(answer.status).toBe(401);
    expect(challengesByScheme(answer.wwwAuthenticate).DPoP).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('step-up: read:notes on a write:notes route → 403 DPoP insufficient_scope; a new DPoP token with write:notes → 200', async () => {
    const readOnly = await boundToken('allowed', 'read:notes');
    const refused = await alice.call(app.resource('allowed'), readOnly, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(403);
    const challenges = challengesByScheme(refused.wwwAuthenticate);
    expect(Object.keys(challenges)).toEqual(['DPoP']);
    expect(challenges.DPoP).toMatchObject({
      error: 'insufficient_scope',
      scope: 'read:notes write:notes',
      resource_metadata: `${new URL(app.resource('allowed')).origin}/.well-known/oauth-protected-resource/allowed`,
      algs: expect.stringContaining('ES256'),
    });
    const stepped = await boundToken('allowed', challenges.DPoP!.scope);
    const written = await alice.call(app.resource('allowed'), stepped, { method: 'POST', body: '{}' });
    expect(written.status).toBe(201);
    expect(written.body).toMatchObject({ written: true, scopes: ['read:notes', 'write:notes'], dpopThumbprint: alice.thumbprint });
  });

  it('K6: 401 without credentials on the allowed resource → a Bearer and a DPoP challenge, both with resource_metadata', async () => {
    const answer = await fetch(app.resource('allowed'));
    expect(answer.status).toBe(401);
    const challenges = challengesByScheme(answer.headers.get('www-authenticate'));
    expect(Object.keys(challenges)).toEqual(['Bearer', 'DPoP']);
    const metadata = `${new URL(app.resource('allowed')).origin}/.well-known/oauth-protected-resource/allowed`;
    expect(challenges.Bearer).toEqual({ scope: 'read:notes', resource_metadata: metadata });
    expect(challenges.DPoP).toMatchObject({ scope: 'read:notes', resource_metadata: metadata, algs: expect.stringContaining('ES256') });
    expect(challenges.DPoP!.error).toBeUndefined();
  });
});
