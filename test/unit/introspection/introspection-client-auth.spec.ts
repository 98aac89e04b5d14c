import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientAuthentication, clientAuthMethod, signingAlgorithm } from '../../../lib/introspection/introspection-client-auth.js';

const ISSUER = 'https://as.example.com';

describe('clientAuthentication', () => {
  it('client_secret_basic form-encodes both parts before base64 (RFC 6749 §2.3.1)', async () => {
    const auth = await clientAuthentication({ clientId: 'rs:1', clientSecret: 'a b+c%' }, ISSUER);
    expect(auth.params).toEqual({});
    expect(Buffer.from(auth.headers.authorization!.slice(6), 'base64').toString()).toBe('rs%3A1:a+b%2Bc%25');
  });

  it('client_secret_post puts the credentials in the form', async () => {
    const auth = await clientAuthentication({ clientId: 'rs', clientSecret: 's', authMethod: 'client_secret_post' }, ISSUER);
    expect(auth).toEqual({ headers: {}, params: { client_id: 'rs', client_secret: 's' } });
  });

  it('private_key_jwt signs a one-time assertion for the issuer (RFC 7523)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const client = { clientId: 'rs', privateKey: { ...(await exportJWK(privateKey)), kid: 'k1' } };
    expect(clientAuthMethod(client)).toBe('private_key_jwt');
    const first = await clientAuthentication(client, ISSUER);
    const second = await clientAuthentication(client, ISSUER);
    expect(first.params.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = first.params.client_assertion!;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'ES256', kid: 'k1' });
    const { payload } = await jwtVerify(assertion, publicKey, { issuer: 'rs', subject: 'rs', audience: ISSUER });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.jti).not.toBe(decodeJti(second.params.client_assertion!));
  });

  it('picks the usual algorithm for the key type unless told', () => {
    expect(signingAlgorithm({ clientId: 'c' }, { kty: 'RSA' })).toBe('RS256');
    expect(signingAlgorithm({ clientId: 'c' }, { kty: 'EC', crv: 'P-384' })).toBe('ES384');
    expect(signingAlgorithm({ clientId: 'c' }, { kty: 'OKP', crv: 'Ed25519' })).toBe('EdDSA');
    expect(signingAlgorithm({ clientId: 'c' }, { kty: 'RSA', alg: 'PS256' })).toBe('PS256');
    expect(signingAlgorithm({ clientId: 'c', signingAlgorithm: 'RS512' }, { kty: 'RSA', alg: 'PS256' })).toBe('RS512');
  });
});

function decodeJti(jwt: string): unknown {
  return (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { jti: unknown }).jti;
}
