import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { IntrospectionClientOptions, Jwk } from '../options/mcp-auth-options.interface.js';

/** What client authentication adds to an introspection request. */
export interface ClientAuthentication {
  headers: Record<string, string>;
  params: Record<string, string>;
}

/** A client assertion is used once; a short life keeps a leaked one useless (RFC 7523 §3). */
const ASSERTION_LIFETIME_SECONDS = 60;

/** The method a client registration uses: explicit, else inferred from the credential it carries. */
export function clientAuthMethod(client: Pick<IntrospectionClientOptions, 'authMethod' | 'privateKey'>): NonNullable<IntrospectionClientOptions['authMethod']> {
  return client.authMethod ?? (client.privateKey ? 'private_key_jwt' : 'client_secret_basic');
}

/**
 * Authenticates this resource server to the introspection endpoint (RFC 7662 §2.1) as the authorization
 * server registered it: HTTP Basic (`client_secret_basic`, both parts form-encoded first, RFC 6749 §2.3.1),
 * form parameters (`client_secret_post`), or a signed client assertion (`private_key_jwt`, RFC 7523) whose
 * audience is the issuer identifier.
 */
export async function clientAuthentication(client: IntrospectionClientOptions, issuer: string): Promise<ClientAuthentication> {
  switch (clientAuthMethod(client)) {
    case 'client_secret_basic': {
      const credentials = `${formEncode(client.clientId)}:${formEncode(client.clientSecret ?? '')}`;
      return { headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }, params: {} };
    }
    case 'client_secret_post':
      return { headers: {}, params: { client_id: client.clientId, client_secret: client.clientSecret ?? '' } };
    case 'private_key_jwt':
      return {
        headers: {},
        params: {
          client_id: client.clientId,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: await clientAssertion(client, issuer),
        },
      };
  }
}

const importedKeys = new WeakMap<IntrospectionClientOptions, ReturnType<typeof importJWK>>();

async function clientAssertion(client: IntrospectionClientOptions, issuer: string): Promise<string> {
  const jwk = client.privateKey!;
  const alg = signingAlgorithm(client, jwk);
  let key = importedKeys.get(client);
  if (!key) {
    key = importJWK(jwk, alg);
    importedKeys.set(client, key);
  }
  return new SignJWT({})
    .setProtectedHeader(jwk.kid === undefined ? { alg } : { alg, kid: jwk.kid })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(issuer)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ASSERTION_LIFETIME_SECONDS}s`)
    .sign(await key);
}

/** The configured algorithm, the key's own, or the usual one for its type. */
export function signingAlgorithm(client: IntrospectionClientOptions, jwk: Jwk): string {
  if (client.signingAlgorithm) return client.signingAlgorithm;
  if (jwk.alg) return jwk.alg;
  if (jwk.kty === 'EC') return jwk.crv === 'P-384' ? 'ES384' : jwk.crv === 'P-521' ? 'ES512' : 'ES256';
  if (jwk.kty === 'OKP') return 'EdDSA';
  return 'RS256';
}

/** application/x-www-form-urlencoded encoding of one value (spaces as `+`). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
