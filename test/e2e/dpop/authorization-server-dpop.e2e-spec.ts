import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken, fetchAuthorizationServerMetadata } from '../../fixtures/dev-authorization-server.helpers.js';
import { dpopClient, lastSentTo, resend } from '../../fixtures/dpop-client.js';

// The embedded development authorization server issues RFC 9449 DPoP-bound tokens to a client that sends a
// proof (here openid-client 6, a certified client), and plain Bearer tokens to one that does not: what the
// resource-side DPoP tests and the sample stand on. No Nest app, so no adapters.

const JWT_RESOURCE = 'http://127.0.0.1:3000/mcp';
const OPAQUE_RESOURCE = 'http://127.0.0.1:3000/opaque';
const RS_CLIENT = { clientId: 'rs', clientSecret: 'rs-secret-0123456789abcdef0123' };

describe('the development authorization server and DPoP', () => {
  let as: DevAuthorizationServer;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({
      port: 0,
      introspection: true,
      resources: [
        { identifier: JWT_RESOURCE, scopes: ['read:notes', 'write:notes'] },
        { identifier: OPAQUE_RESOURCE, scopes: ['read:notes'], accessTokenFormat: 'opaque' },
      ],
      clients: [
        { client_id: RS_CLIENT.clientId, client_secret: RS_CLIENT.clientSecret, grant_types: [], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic' },
      ],
    });
  });

  afterAll(async () => {
    await as?.close();
  });

  async function verifiedAccessToken(token: string, audience: string) {
    const { jwks_uri } = await fetchAuthorizationServerMetadata(as.issuer);
    return jwtVerify(token, createRemoteJWKSet(new URL(jwks_uri)), { issuer: as.issuer, audience, typ: 'at+jwt' });
  }

  it('advertises the DPoP proof algorithms it accepts (RFC 9449 §5.1)', async () => {
    const metadata = await fetchAuthorizationServerMetadata(as.issuer);
    expect(metadata.dpop_signing_alg_values_supported).toEqual(['ES256', 'Ed25519', 'EdDSA']);
  });

  it('client_credentials with a DPoP proof: token_type DPoP, an at+jwt whose cnf.jkt is the key thumbprint', async () => {
    const dpop = await dpopClient(as);
    const tokens = await dpop.clientCredentials({ resource: JWT_RESOURCE, scope: 'read:notes' });
    expect(tokens.token_type).toBe('dpop');
    const { payload, protectedHeader } = await verifiedAccessToken(tokens.access_token, JWT_RESOURCE);
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload.cnf).toEqual({ jkt: dpop.thumbprint });
    // The thumbprint the fixture computes with jose is the one openid-client computes itself.
    expect(await client.getDPoPHandle(dpop.config, dpop.keyPair).calculateThumbprint()).toBe(dpop.thumbprint);
    // The request really carried a proof, and the token is presented with the DPoP scheme thereafter.
    expect(lastSentTo(dpop.sent, `${as.issuer}/token`).headers.dpop).toMatch(/^ey/);
  });

  it('client_credentials without a proof: a Bearer token with no confirmation, as before', async () => {
    const tokens = await clientCredentialsToken(as, { resource: JWT_RESOURCE, scope: 'read:notes' });
    expect(tokens.token_type).toBe('Bearer');
    const { payload } = await verifiedAccessToken(tokens.access_token, JWT_RESOURCE);
    expect(payload.cnf).toBeUndefined();
  });

  it('each client key gives its own binding', async () => {
    const [first, second] = [await dpopClient(as), await dpopClient(as)];
    const a = await first.clientCredentials({ resource: JWT_RESOURCE, scope: 'read:notes' });
    const b = await second.clientCredentials({ resource: JWT_RESOURCE, scope: 'read:notes' });
    expect(first.thumbprint).not.toBe(second.thumbprint);
    expect((await verifiedAccessToken(a.access_token, JWT_RESOURCE)).payload.cnf).toEqual({ jkt: first.thumbprint });
    expect((await verifiedAccessToken(b.access_token, JWT_RESOURCE)).payload.cnf).toEqual({ jkt: second.thumbprint });
  });

  it('an opaque DPoP-bound token: its introspection response carries cnf.jkt and token_type DPoP (RFC 9449 §6.2)', async () => {
    const dpop = await dpopClient(as);
    const tokens = await dpop.clientCredentials({ resource: OPAQUE_RESOURCE, scope: 'read:notes' });
    expect(tokens.token_type).toBe('dpop');
    expect(() => decodeProtectedHeader(tokens.access_token)).toThrow();
    const introspection = await fetch(`${as.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${RS_CLIENT.clientId}:${RS_CLIENT.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(await introspection.json()).toMatchObject({ active: true, aud: OPAQUE_RESOURCE, token_type: 'DPoP', cnf: { jkt: dpop.thumbprint } });
  });

  it('authorization code + PKCE with DPoP at the token endpoint: the token is bound too', async () => {
    const dpop = await dpopClient(as);
    const tokens = await dpop.authorizationCode({ resource: JWT_RESOURCE, scope: 'read:notes', username: 'alice' });
    expect(tokens.token_type).toBe('dpop');
    const { payload } = await verifiedAccessToken(tokens.access_token, JWT_RESOURCE);
    expect(payload).toMatchObject({ sub: 'alice', cnf: { jkt: dpop.thumbprint } });
  });

  it('a token request proof replayed is refused (allowReplay off)', async () => {
    const dpop = await dpopClient(as);
    await dpop.clientCredentials({ resource: JWT_RESOURCE, scope: 'read:notes' });
    const replay = await resend(lastSentTo(dpop.sent, `${as.issuer}/token`));
    expect(replay.status).toBe(400);
    // oidc-provider does not say why an invalid_grant is invalid (its description stays generic).
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('the development authorization server with dpopNonce', () => {
  let as: DevAuthorizationServer;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, dpopNonce: true, resources: [{ identifier: JWT_RESOURCE, scopes: ['read:notes'] }] });
  });

  afterAll(async () => {
    await as?.close();
  });

  it('asks for a nonce first (use_dpop_nonce + DPoP-Nonce); openid-client retries with it and gets a bound token', async () => {
    const dpop = await dpopClient(as);
    const tokens = await dpop.clientCredentials({ resource: JWT_RESOURCE, scope: 'read:notes' });
    const tokenRequests = dpop.sent.filter((request) => request.url === `${as.issuer}/token`);
    expect(tokenRequests.map((request) => request.answer.status)).toEqual([400, 200]);
    const nonce = tokenRequests[0]!.answer.dpopNonce;
    expect(nonce).toEqual(expect.any(String));
    expect(JSON.parse(Buffer.from(tokenRequests[1]!.headers.dpop!.split('.')[1]!, 'base64url').toString())).toMatchObject({ nonce });
    expect(tokens.token_type).toBe('dpop');
  });

  it('a client without DPoP still gets a Bearer token, no nonce involved', async () => {
    const tokens = await clientCredentialsToken(as, { resource: JWT_RESOURCE, scope: 'read:notes' });
    expect(tokens.token_type).toBe('Bearer');
  });
});
