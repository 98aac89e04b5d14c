import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../../fixtures/dev-authorization-server.helpers.js';
import { dpopOrigin, startDpopApp, startDpopAuthorizationServer, type DpopApp } from '../../fixtures/dpop-app.js';
import { dpopClient, type SentRequest } from '../../fixtures/dpop-client.js';
import { ADAPTERS } from '../../fixtures/http-app.js';
import { challengesByScheme } from '../../fixtures/www-authenticate.js';

// K4: a resource with server-issued nonces (RFC 9449 §9). openid-client's fetchProtectedResource does what a
// conforming client does on `use_dpop_nonce`: it retries once with the nonce, and keeps using the newest
// nonce the origin gave it. Both answers are seen through the client's recorded exchanges.

describe.each(ADAPTERS)('DPoP server nonce (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let origin: string;
  let app: DpopApp;
  let second: DpopApp;

  beforeAll(async () => {
    origin = await dpopOrigin();
    as = await startDpopAuthorizationServer(origin);
    app = await startDpopApp(adapter, as, origin);
    // A second replica of the same identifiers, sharing the nonce secret (DPOP_RESOURCES.nonce).
    second = await startDpopApp(adapter, as, origin, { listenPort: 0 });
  });

  afterAll(async () => {
    await second?.close();
    await app?.close();
    await as?.close();
  });

  const proofNonce = (request: SentRequest) => decodeJwt(request.headers.dpop!).nonce;
  const exchangesWith = (sent: readonly SentRequest[], url: string) => sent.filter((request) => request.url === url);

  it('K4: the first request → 401 DPoP error="use_dpop_nonce" with DPoP-Nonce; openid-client retries with it → 200', async () => {
    const alice = await dpopClient(as);
    const token = (await alice.clientCredentials({ resource: app.resource('nonce'), scope: 'read:notes' })).access_token;
    const answer = await alice.call(app.resource('nonce'), token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ dpopThumbprint: alice.thumbprint });

    const [first, retry, ...more] = exchangesWith(alice.sent, app.resource('nonce'));
    expect(more).toEqual([]);
    expect(first!.answer.status).toBe(401);
    expect(proofNonce(first!)).toBeUndefined();
    const challenge = challengesByScheme(first!.answer.wwwAuthenticate).DPoP;
    expect(challenge).toMatchObject({ error: 'use_dpop_nonce', algs: expect.stringContaining('ES256') });
    expect(first!.answer.dpopNonce).toMatch(/^[\x21-\x7E]+$/);
    expect(retry!.answer.status).toBe(200);
    expect(proofNonce(retry!)).toBe(first!.answer.dpopNonce);
    // A new proof, not the first one again.
    expect(retry!.headers.dpop).not.toBe(first!.headers.dpop);
  });

  it('K4: once the client holds a nonce, its next request goes through at once', async () => {
    const alice = await dpopClient(as);
    const token = (await alice.clientCredentials({ resource: app.resource('nonce'), scope: 'read:notes' })).access_token;
    await alice.call(app.resource('nonce'), token);
    const before = exchangesWith(alice.sent, app.resource('nonce')).length;
    expect((await alice.call(app.resource('nonce'), token)).status).toBe(200);
    const after = exchangesWith(alice.sent, app.resource('nonce'));
    expect(after.length - before).toBe(1);
    expect(proofNonce(after.at(-1)!)).toEqual(expect.any(String));
  });

  it('K4: a nonce from one instance is accepted by another sharing the nonce secret', async () => {
    const alice = await dpopClient(as);
    const token = (await alice.clientCredentials({ resource: app.resource('nonce'), scope: 'read:notes' })).access_token;
    expect((await alice.call(app.resource('nonce'), token)).status).toBe(200);
    // The client keeps nonces per origin (the resource identifier's), so it sends app's nonce to the second replica.
    expect((await alice.call(app.resource('nonce'), token, { via: second.url })).status).toBe(200);
    const [onSecond, ...more] = exchangesWith(alice.sent, `${second.url}/nonce`);
    expect(more).toEqual([]);
    expect(onSecond!.answer.status).toBe(200);
    expect(proofNonce(onSecond!)).toEqual(expect.any(String));
  });

  it('a resource without nonces never asks for one', async () => {
    const alice = await dpopClient(as);
    const token = (await alice.clientCredentials({ resource: app.resource('allowed'), scope: 'read:notes' })).access_token;
    expect((await alice.call(app.resource('allowed'), token)).status).toBe(200);
    expect(exchangesWith(alice.sent, app.resource('allowed')).map((request) => request.answer.status)).toEqual([200]);
  });

  it('a Bearer token on the nonce resource needs no nonce → 200', async () => {
    const alice = await dpopClient(as);
    const bearer = (await clientCredentialsToken(as, { resource: app.resource('nonce'), scope: 'read:notes' })).access_token;
    expect((await alice.call(app.resource('nonce'), bearer, { dpop: false })).status).toBe(200);
  });
});
