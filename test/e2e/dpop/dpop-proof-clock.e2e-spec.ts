import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { dpopOrigin, startDpopApp, startDpopAuthorizationServer, type DpopApp } from '../../fixtures/dpop-app.js';
import { dpopClient, type DPoPClient } from '../../fixtures/dpop-client.js';
import { ADAPTERS } from '../../fixtures/http-app.js';
import { challengesByScheme } from '../../fixtures/www-authenticate.js';

// K2: a proof's iat must lie within ±300 s of the resource's clock (SEP-1932; proofMaxAgeSeconds' default).
// The proofs come from openid-client itself, its clock set off with its own `clockSkew` setting, as a client
// on a machine with a wrong clock would send them; the token is obtained with a correct clock and the same key.

describe.each(ADAPTERS)('DPoP proof iat window (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let app: DpopApp;
  let alice: DPoPClient;
  let token: string;

  beforeAll(async () => {
    const origin = await dpopOrigin();
    as = await startDpopAuthorizationServer(origin);
    app = await startDpopApp(adapter, as, origin);
    alice = await dpopClient(as);
    token = (await alice.clientCredentials({ resource: app.resource('allowed'), scope: 'read:notes' })).access_token;
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  /** Calls the allowed resource with a proof whose iat is `skew` seconds off; returns the answer and the iat sent. */
  async function callWithSkew(skew: number) {
    const skewed = await dpopClient(as, { keyPair: alice.keyPair, clockSkewSeconds: skew });
    const answer = await skewed.call(app.resource('allowed'), token);
    const iat = decodeJwt(skewed.sent.at(-1)!.headers.dpop!).iat!;
    return { answer, offset: iat - Math.floor(Date.now() / 1000) };
  }

  it.each([-301, 303])('K2: iat %i s off → 401 DPoP invalid_dpop_proof', async (skew) => {
    const { answer, offset } = await callWithSkew(skew);
    // The proof really carried the skewed iat (give or take the second the call took).
    expect(Math.abs(offset - skew)).toBeLessThanOrEqual(2);
    expect(answer.status).toBe(401);
    expect(challengesByScheme(answer.wwwAuthenticate).DPoP).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it.each([-250, 250])('K2: iat %i s off, within the window → 200', async (skew) => {
    const { answer } = await callWithSkew(skew);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ dpopThumbprint: alice.thumbprint });
  });
});
