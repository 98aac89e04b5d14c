import type { RequestHandler } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { BENCH_SCOPE } from '../protocol.js';

// The peers, each configured as securely as it allows and as close to our defaults as it allows: audience =
// the resource, issuer = the dev authorization server, asymmetric algorithms only, `exp` required, 5 s clock
// tolerance. They are imported lazily so that a server process only loads the peer it mounts (bootstrap
// times stay comparable), and only bench/ ever imports them.

/** What every peer gets: the resource it protects and the one issuer it trusts. */
export interface PeerSettings {
  resource: string;
  issuer: string;
}

/** The algorithms our module allows by default (asymmetric only), spelled out for the peers that take a list. */
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * `mcp-auth` 0.2 (Logto): `bearerAuth('jwt')` in resource-server mode with metadata fetched at start-up.
 * Its audience check and `exp` requirement are opt-in; both are turned on here.
 */
export async function mcpAuthMiddleware({ resource, issuer }: PeerSettings): Promise<RequestHandler[]> {
  const { MCPAuth, fetchServerConfig } = await import('mcp-auth');
  const authorizationServer = await fetchServerConfig(issuer, { type: 'oidc' });
  const mcpAuth = new MCPAuth({
    protectedResources: [{ metadata: { resource, authorizationServers: [authorizationServer], scopesSupported: [BENCH_SCOPE] } }],
  });
  return [
    mcpAuth.bearerAuth('jwt', {
      resource,
      audience: resource,
      requiredScopes: [BENCH_SCOPE],
      jwtVerify: {
        issuer,
        audience: resource,
        algorithms: ASYMMETRIC_ALGORITHMS,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      },
    }),
  ];
}

/**
 * Auth0's `express-oauth2-jwt-bearer` 1.10: discovery from `issuerBaseURL` (lazily, on the first request:
 * it has no way to prefetch), audience required by the library, algorithms limited to what the server's
 * metadata lists, then `requiredScopes`.
 */
export async function auth0Middleware({ resource, issuer }: PeerSettings): Promise<RequestHandler[]> {
  const { auth, requiredScopes } = await import('express-oauth2-jwt-bearer');
  return [auth({ issuerBaseURL: issuer, audience: resource, clockTolerance: CLOCK_TOLERANCE_SECONDS }), requiredScopes(BENCH_SCOPE)];
}

/**
 * The MCP TypeScript SDK v2 `requireBearerAuth` with the straightforward verifier its docs leave to the
 * user: the JWKS URI from the server's metadata at start-up, `createRemoteJWKSet` + `jwtVerify` with
 * issuer and audience. Verifier errors are rethrown as the SDK's `OAuthError`, which it needs to answer
 * 401 instead of 500.
 */
export async function mcpSdkMiddleware({ resource, issuer }: PeerSettings): Promise<RequestHandler[]> {
  const [{ requireBearerAuth }, { OAuthError, OAuthErrorCode }] = await Promise.all([
    import('@modelcontextprotocol/express'),
    import('@modelcontextprotocol/server'),
  ]);
  const response = await fetch(`${issuer}/.well-known/oauth-authorization-server`);
  if (!response.ok) throw new Error(`metadata of ${issuer} answered ${response.status}`);
  const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri: string };
  const keySet = createRemoteJWKSet(new URL(jwksUri));
  const verifier = {
    async verifyAccessToken(token: string) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          issuer,
          audience: resource,
          algorithms: ASYMMETRIC_ALGORITHMS,
          requiredClaims: ['exp'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        }));
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) throw new OAuthError(OAuthErrorCode.InvalidToken, 'Invalid token');
        throw error;
      }
      return {
        token,
        clientId: typeof payload.client_id === 'string' ? payload.client_id : '',
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
        expiresAt: payload.exp,
        resource: new URL(resource),
      };
    },
  };
  // No `expectedResource`: the verifier above would always report the resource it was built for, so the SDK's
  // check could never fail; the token's audience is what binds it to the resource (jose's `audience`).
  return [requireBearerAuth({ verifier, requiredScopes: [BENCH_SCOPE] })];
}
