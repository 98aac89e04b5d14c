import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { protectedResourceMetadataUrl } from '../../../lib/index.js';
import type { DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../../fixtures/dev-authorization-server.helpers.js';
import { dpopOrigin, startDpopApp, startDpopAuthorizationServer, type DpopApp, type DpopResourcePath } from '../../fixtures/dpop-app.js';
import { dpopClient, type DPoPClient } from '../../fixtures/dpop-client.js';
import { ADAPTERS } from '../../fixtures/http-app.js';
import { challengesByScheme } from '../../fixtures/www-authenticate.js';

// The three DPoP modes as clients meet them: which scheme each accepts, the challenges of its 401s (K6), and
// what its protected resource metadata says (P11): `dpop_signing_alg_values_supported` whenever DPoP is on,
// `dpop_bound_access_tokens_required: true` in 'required' mode, no dpop_* field at all when it is off.

const DEFAULT_ALGS = 'RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA Ed25519';

describe.each(ADAPTERS)('DPoP modes (%s)', (adapter) => {
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

  const bearerToken = async (path: DpopResourcePath) => (await clientCredentialsToken(as, { resource: app.resource(path), scope: 'read:notes' })).access_token;
  const boundToken = async (path: DpopResourcePath) => (await alice.clientCredentials({ resource: app.resource(path), scope: 'read:notes' })).access_token;
  const metadataOf = async (path: DpopResourcePath) => (await fetch(protectedResourceMetadataUrl(app.resource(path)))).json() as Promise<Record<string, unknown>>;

  describe("'required'", () => {
    it('K6: a Bearer token → 401 with only a DPoP challenge, algs listed, resource_metadata given', async () => {
      const answer = await alice.call(app.resource('required'), await bearerToken('required'), { dpop: false });
      expect(answer.status).toBe(401);
      const challenges = challengesByScheme(answer.wwwAuthenticate);
      expect(Object.keys(challenges)).toEqual(['DPoP']);
      expect(challenges.DPoP).toMatchObject({ algs: DEFAULT_ALGS, resource_metadata: protectedResourceMetadataUrl(app.resource('required')) });
    });

    it('K6: no credentials → 401 with only a DPoP challenge, without error', async () => {
      const answer = await fetch(app.resource('required'));
      expect(answer.status).toBe(401);
      const challenges = challengesByScheme(answer.headers.get('www-authenticate'));
      expect(challenges).toEqual({
        DPoP: { scope: 'read:notes', resource_metadata: protectedResourceMetadataUrl(app.resource('required')), algs: DEFAULT_ALGS },
      });
    });

    it('K3: a DPoP-bound token presented as Bearer → 401 with the bare DPoP challenge: Bearer is not accepted here at all', async () => {
      const answer = await alice.call(app.resource('required'), await boundToken('required'), { dpop: false });
      expect(answer.status).toBe(401);
      const challenges = challengesByScheme(answer.wwwAuthenticate);
      expect(Object.keys(challenges)).toEqual(['DPoP']);
      expect(challenges.DPoP!.error).toBeUndefined();
    });

    it('K1: a DPoP-bound token with proofs → 200', async () => {
      const answer = await alice.call(app.resource('required'), await boundToken('required'));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ dpopThumbprint: alice.thumbprint });
    });

    it('P11: the metadata has dpop_signing_alg_values_supported and dpop_bound_access_tokens_required: true', async () => {
      const metadata = await metadataOf('required');
      expect(metadata.dpop_signing_alg_values_supported).toEqual(DEFAULT_ALGS.split(' '));
      expect(metadata.dpop_bound_access_tokens_required).toBe(true);
    });
  });

  describe("'allowed'", () => {
    it('P11: the metadata has dpop_signing_alg_values_supported and no dpop_bound_access_tokens_required: true', async () => {
      const metadata = await metadataOf('allowed');
      expect(metadata.dpop_signing_alg_values_supported).toEqual(DEFAULT_ALGS.split(' '));
      expect(metadata.dpop_bound_access_tokens_required ?? false).toBe(false);
    });
  });

  describe("'off'", () => {
    it('P11: the metadata has no dpop_* field', async () => {
      const metadata = await metadataOf('off');
      expect(Object.keys(metadata).filter((name) => name.startsWith('dpop_'))).toEqual([]);
    });

    it('a Bearer token → 200', async () => {
      expect((await alice.call(app.resource('off'), await bearerToken('off'), { dpop: false })).status).toBe(200);
    });

    it('K3: a DPoP-bound token presented as Bearer → 401 invalid_token, even with DPoP off', async () => {
      const answer = await alice.call(app.resource('off'), await boundToken('off'), { dpop: false });
      expect(answer.status).toBe(401);
      expect(challengesByScheme(answer.wwwAuthenticate)).toEqual({
        Bearer: expect.objectContaining({ error: 'invalid_token' }) as Record<string, string>,
      });
    });

    it('the DPoP scheme counts as no credentials → 401 with only a Bearer challenge, without error', async () => {
      const answer = await alice.call(app.resource('off'), await boundToken('off'));
      expect(answer.status).toBe(401);
      expect(challengesByScheme(answer.wwwAuthenticate)).toEqual({
        Bearer: { scope: 'read:notes', resource_metadata: protectedResourceMetadataUrl(app.resource('off')) },
      });
    });
  });
});
