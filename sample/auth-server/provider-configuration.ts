import { randomBytes } from 'node:crypto';

import type { JWK } from 'jose';
import type { ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';

import type { DevResource } from './dev-authorization-server.js';
import type { OidcProviderModule } from './load-oidc-provider.js';
import { createMemoryAdapterFactory } from './memory-adapter.js';
import type { DevSigningAlgorithm } from './signing-keys.js';
import { escapeHtml } from './html.js';

export interface ProviderConfigurationInput {
  resources: readonly DevResource[];
  accessTokenTtlSeconds: number;
  signingAlgorithm: DevSigningAlgorithm;
  signingJwk: JWK;
  devClient: { clientId: string; clientSecret: string };
  /** Enable introspection (confidential clients only) and revocation (a client's own tokens). */
  introspection: boolean;
  /** Clients registered besides the dev client. */
  extraClients: readonly ClientMetadata[];
  /** Require a server-issued nonce in DPoP proofs at the token endpoint (RFC 9449 §8). */
  dpopNonce: boolean;
  errors: OidcProviderModule['errors'];
}

// Loopback redirect URIs the confidential dev client may use for the authorization code flow.
// It is registered as a native client, for which oidc-provider ignores the port of loopback
// redirect URIs (RFC 8252 §7.3), so these cover e.g. MCP Inspector's http://localhost:6274/oauth/callback.
const DEV_CLIENT_REDIRECT_URIS = [
  'http://127.0.0.1/callback',
  'http://localhost/callback',
  'http://127.0.0.1/oauth/callback',
  'http://localhost/oauth/callback',
];

const DAY_SECONDS = 24 * 60 * 60;

/**
 * The oidc-provider configuration of the development authorization server.
 *
 * Every default that oidc-provider flags as "you SHOULD/MUST change" is set explicitly, which both
 * gives the behaviour the MCP authorization spec needs and keeps the server silent at run time.
 */
export function buildProviderConfiguration(input: ProviderConfigurationInput): Configuration {
  const { resources, accessTokenTtlSeconds, signingAlgorithm, signingJwk, devClient, introspection, extraClients, dpopNonce, errors } = input;
  const byIdentifier = new Map(resources.map((resource) => [resource.identifier, resource]));
  const resourceScopes = [...new Set(resources.flatMap((resource) => resource.scopes))];
  const defaultResource = resources[0]?.identifier;

  const devClientMetadata: ClientMetadata = {
    client_id: devClient.clientId,
    client_secret: devClient.clientSecret,
    client_name: 'Development client',
    application_type: 'native',
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: DEV_CLIENT_REDIRECT_URIS,
    // Basic or post: oidc-provider accepts either secret method for a client registered with one of them.
    token_endpoint_auth_method: 'client_secret_basic',
  };

  return {
    adapter: createMemoryAdapterFactory(),
    clients: [devClientMetadata, ...extraClients],
    jwks: { keys: [signingJwk] },
    // Random per run: signs the session and interaction cookies (unsigned cookies draw a warning).
    cookies: { keys: [randomBytes(32).toString('base64url')] },

    // Resource scopes are listed as provider scopes too, so that they appear in `scopes_supported`
    // and clients may register with a `scope` naming them (the MCP SDK does). The consent step
    // grants whatever oidc-provider reports missing, so this double role needs no special casing.
    scopes: ['openid', 'offline_access', ...resourceScopes],
    claims: { openid: ['sub'] },
    // A registered `scope` caps what a client may ask for later, and the MCP SDK registers with the scope
    // of the first challenge it meets (`read:notes`). Step-up (a 403 insufficient_scope asking for
    // `write:notes`) then needs a new authorization request for more, so at registration the client's
    // scope is widened to every resource scope this server issues. ctx is only set for registration.
    extraClientMetadata: {
      properties: ['scope'],
      validator: (ctx, key, value, metadata) => {
        if (ctx === undefined || key !== 'scope' || typeof value !== 'string') return;
        metadata.scope = [...new Set([...value.split(' ').filter(Boolean), ...resourceScopes])].join(' ');
      },
    },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),

    // OAuth 2.1: the authorization code flow only (no implicit or hybrid response types).
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      // The key store holds exactly one key, so ID tokens have to use its algorithm.
      id_token_signed_response_alg: signingAlgorithm,
    },
    // OAuth 2.1: PKCE for every authorization code request, public or confidential client.
    // oidc-provider 9 only implements S256, so plain is refused regardless.
    pkce: { required: () => true },

    // MCP (2026-07-28) says clients should not need offline_access to get a refresh token, so any
    // client allowed the refresh_token grant gets one from the authorization code grant.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Without offline_access oidc-provider would tie codes and refresh tokens to the login session;
    // a refresh token is meant to outlive it.
    expiresWithSession: () => false,
    rotateRefreshToken: true,

    ttl: {
      AccessToken: accessTokenTtlSeconds,
      ClientCredentials: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * DAY_SECONDS,
      Interaction: 3600,
      Session: 14 * DAY_SECONDS,
      Grant: 14 * DAY_SECONDS,
    },

    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },

    // A development server is driven from arbitrary local origins (MCP Inspector, test pages).
    clientBasedCORS: () => true,

    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // RFC 9449 DPoP (on by default in oidc-provider 9, stated here because the sample relies on it): a token
      // request carrying a `DPoP` proof gets a `token_type: DPoP` access token bound to the proof's key
      // (`cnf.jkt` in the JWT, and in the introspection response of an opaque token); a request without one
      // gets a plain Bearer token, unless the client registered `dpop_bound_access_tokens: true`. Proof
      // algorithms: oidc-provider's default `dPoPSigningAlgValues` (ES256, Ed25519, EdDSA). Replayed proofs are
      // refused. A nonce is opt-in: required, it makes every client's first token request a `use_dpop_nonce`
      // round trip, which tests of that round trip want and nothing else does.
      dPoP: {
        enabled: true,
        allowReplay: false,
        ...(dpopNonce ? { nonceSecret: randomBytes(32), requireNonce: () => true } : {}),
      },
      // A resource server asks about opaque tokens with its own confidential client; public clients may not.
      introspection: { enabled: introspection, allowedPolicy: (_ctx, client) => client.clientAuthMethod !== 'none' },
      revocation: { enabled: introspection, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      // Open dynamic client registration (RFC 7591) without an initial access token, as MCP clients expect.
      registration: { enabled: true },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // Policy: a request without `resource` gets the first configured resource, so clients that
        // predate RFC 8707 still receive a usable audience-bound token. At the token endpoint
        // `oneOf` lists the granted resources when several were; prefer the first configured one.
        defaultResource: (_ctx, _client, oneOf) => {
          if (oneOf === undefined) return defaultResource;
          return oneOf.find((identifier) => identifier === defaultResource) ?? oneOf[0];
        },
        // Token requests that omit `resource` reuse the one granted at authorization, even with
        // `openid` (by default oidc-provider would then issue an opaque userinfo-only token).
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          // Exact string match: the audience is compared byte for byte by resource servers.
          const resource = byIdentifier.get(resourceIndicator);
          if (resource === undefined) {
            throw new errors.InvalidTarget('resource indicator is not known to this authorization server');
          }
          return {
            audience: resource.identifier,
            scope: resource.scopes.join(' '),
            accessTokenTTL: accessTokenTtlSeconds,
            // RFC 9068 JWT (typ at+jwt) by default: resource servers verify locally via JWKS. Opaque tokens
            // are for resource servers that introspect.
            ...(resource.accessTokenFormat === 'opaque'
              ? { accessTokenFormat: 'opaque' as const }
              : { accessTokenFormat: 'jwt' as const, jwt: { sign: { alg: signingAlgorithm } } }),
          };
        },
      },
    },

    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html>
<html><head><meta charset="utf-8"><title>Error</title></head>
<body><h1>${escapeHtml(out.error)}</h1><p>${escapeHtml(out.error_description ?? '')}</p></body></html>`;
    },
  };
}
