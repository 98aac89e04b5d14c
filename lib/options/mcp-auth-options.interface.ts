import type { McpAuthStore } from '../store/mcp-auth-store.js';
import type { ResolvedProtectedResource } from './resolved-options.js';

/**
 * A JSON Web Key (RFC 7517): what jose's `JWK` and Web Crypto's `JsonWebKey` hold, so either can be passed.
 * Declared here, not imported from jose: jose is ESM-only, and TypeScript refuses a type import of an ES module
 * in the CommonJS build's declarations (TS1541 under `module: node16`).
 */
export interface Jwk {
  kty?: string;
  kid?: string;
  alg?: string;
  crv?: string;
  use?: string;
  [parameter: string]: unknown;
}

/**
 * Authorization server metadata (RFC 8414 / OpenID Connect Discovery). Only the fields this library reads
 * are typed; every other field of the document is kept as-is.
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  registration_endpoint?: string;
  scopes_supported?: string[];
  code_challenge_methods_supported?: string[];
  client_id_metadata_document_supported?: boolean;
  protected_resources?: string[];
  [field: string]: unknown;
}

/** A trusted authorization server, when a plain issuer string is not enough. */
export interface AuthorizationServerOptions {
  /** The issuer identifier, compared byte-for-byte with the metadata's `issuer` and every token's `iss`. */
  issuer: string;
  /**
   * Fetch the metadata from this URL instead of the well-known URLs derived from the issuer, for
   * split-horizon deployments where the public issuer is not reachable from inside the cluster.
   * The document's `issuer` must still equal {@link issuer}.
   */
  metadataUrl?: string;
  /** Use this metadata as-is and never fetch it (no discovery). Its `issuer` must equal {@link issuer}. */
  metadata?: AuthorizationServerMetadata;
  /**
   * How this resource server authenticates to the server's RFC 7662 introspection endpoint, to verify
   * opaque tokens (resources with `tokenFormat: 'opaque'` or `'mixed'`).
   */
  introspection?: IntrospectionClientOptions;
  /** Claim mapping for tokens of this server (a preset such as `keycloakClaims()`); overrides the global `mapClaims`. */
  mapClaims?: ClaimsMapper;
}

/** Client authentication methods for the introspection endpoint (RFC 7662 §2.1, RFC 7523). */
export type IntrospectionAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** This resource server's client registration at an authorization server, used to call its introspection endpoint. */
export interface IntrospectionClientOptions {
  clientId: string;
  /** Default: `client_secret_basic` with a `clientSecret`, `private_key_jwt` with a `privateKey`. */
  authMethod?: IntrospectionAuthMethod;
  /** For `client_secret_basic` and `client_secret_post`. */
  clientSecret?: string;
  /** For `private_key_jwt`: the private JWK (with `kid` when the server holds several keys of the client). */
  privateKey?: Jwk;
  /** JWS algorithm of the client assertion. Default: the key's `alg`, else RS256 (RSA), ES256 (P-256) or EdDSA. */
  signingAlgorithm?: string;
  /** Call this URL instead of the discovered `introspection_endpoint` (split-horizon deployments). */
  endpoint?: string;
}

/** Maps a provider's claims onto scopes, roles, client id, subject and tenant (see the presets). */
export type ClaimsMapper = (claims: Readonly<Record<string, unknown>>) => MappedClaims;

/**
 * Decides at run time whether an issuer the resource does not list is trusted (tenants created after
 * deployment). Called with the token's `iss` only after the token parsed; `true` trusts it with default
 * discovery, an {@link AuthorizationServerOptions} (same `issuer`) trusts it with those options, anything
 * else refuses it. Must be cheap and must not fetch the issuer: {@link issuerTemplate} builds a safe one.
 */
export type IssuerResolver = (
  issuer: string,
) => boolean | AuthorizationServerOptions | undefined | Promise<boolean | AuthorizationServerOptions | undefined>;

/** One protected resource (RFC 9728): a URL clients call, with the authorization servers it trusts. */
export interface ProtectedResourceOptions {
  /**
   * The canonical resource identifier, e.g. `https://api.example.com/mcp`. Served byte-identical as the
   * PRM `resource`, accepted as the token audience, and used to derive the metadata URL.
   */
  resource: string;
  /** The trusted authorization servers (issuer identifiers), discovered at bootstrap. At least one. */
  authorizationServers: Array<string | AuthorizationServerOptions>;
  /**
   * Extra accepted audiences, for authorization servers that stamp another identifier (`api://…`,
   * a trailing-slash variant). The resource identifier is always accepted; nothing is fuzzy-matched.
   */
  audiences?: string[];
  /** Scopes this resource understands; advertised in the PRM and used in challenges without route scopes. */
  scopesSupported?: string[];
  /** Human-readable name (RFC 9728 `resource_name`). */
  resourceName?: string;
  /** RFC 9728 `resource_documentation`. */
  resourceDocumentation?: string;
  /** RFC 9728 `resource_policy_uri`. */
  resourcePolicyUri?: string;
  /** RFC 9728 `resource_tos_uri`. */
  resourceTosUri?: string;
  /** RFC 9728 `jwks_uri`: the resource server's own keys (never the AS's). Must be https. */
  jwksUri?: string;
  /** RFC 9728 `resource_signing_alg_values_supported`; `none` is refused. */
  resourceSigningAlgValuesSupported?: string[];
  /** RFC 9728 `authorization_details_types_supported`. */
  authorizationDetailsTypesSupported?: string[];
  /** RFC 9728 `tls_client_certificate_bound_access_tokens`. */
  tlsClientCertificateBoundAccessTokens?: boolean;
  /** Further metadata fields, passed through into the PRM document unchanged (RFC 9728 §3.2). */
  additionalMetadata?: Record<string, unknown>;
  /**
   * What access tokens look like: `jwt` (default, verified locally against the issuer's JWKS), `opaque`
   * (RFC 7662 introspection), or `mixed` (compact JWS tokens as JWTs, anything else introspected).
   * `opaque` and `mixed` need exactly one of {@link authorizationServers} with `introspection` credentials.
   */
  tokenFormat?: 'jwt' | 'opaque' | 'mixed';
  /**
   * Trust further issuers decided at run time (tenants), besides {@link authorizationServers}, which are
   * the ones advertised in the metadata. See {@link IssuerResolver} and `issuerTemplate()`.
   */
  issuerResolver?: IssuerResolver;
  /**
   * The MCP operations of this resource that no provider method of yours implements, and the scopes each
   * needs (besides the route's). Methods that do are named with `@McpTool()`, `@McpResource()` and
   * `@McpPrompt()` and keep their `@RequireScopes()`; MCP-Nest's `@Tool()` + `@ToolScopes()` are read as they are.
   */
  mcp?: McpOperationsOptions;
  /**
   * DPoP (RFC 9449, MCP SEP-1932): sender-constrained tokens, usable only with proofs signed by the client's
   * key. `'off'` (default): Bearer only. `'allowed'`: Bearer and DPoP. `'required'`: DPoP only. In every mode a
   * token bound to a key (`cnf.jkt`) is accepted only with a valid proof for that key, never as Bearer.
   */
  dpop?: DpopMode | DpopOptions;
}

/** Which authorization schemes a resource accepts: `Bearer`, `DPoP`, or both. */
export type DpopMode = 'off' | 'allowed' | 'required';

/** DPoP policy of one protected resource. */
export interface DpopOptions {
  mode: DpopMode;
  /** JWS algorithms accepted for proofs, asymmetric only. Default: the RS, PS and ES families, EdDSA and Ed25519. */
  algorithms?: string[];
  /** How far a proof's `iat` may lie from now, either way, in seconds. Default 300 (SEP-1932). */
  proofMaxAgeSeconds?: number;
  /**
   * Require a server-provided nonce in proofs (RFC 9449 §8): `true` with a key of this process, or `{ secret }`
   * shared by every instance (at least 32 characters), so a nonce from one is accepted by all. A nonce is valid
   * for `lifetimeSeconds` (default 300).
   */
  nonce?: boolean | { secret: string; lifetimeSeconds?: number };
}

/**
 * Per-operation authorization of an MCP endpoint: `BearerAuthGuard` reads each JSON-RPC call of the request
 * body (`tools/call`, `resources/read`, `prompts/get`) and requires these scopes on top of the route's.
 */
export interface McpOperationsOptions {
  /** Tool name → scopes a `tools/call` of it needs. */
  tools?: Record<string, string[]>;
  /** Resource URI or RFC 6570 URI template (`notes://{id}`) → scopes a `resources/read` of it needs. */
  resources?: Record<string, string[]>;
  /** Prompt name → scopes a `prompts/get` of it needs. */
  prompts?: Record<string, string[]>;
  /**
   * Answer `server/discover` (MCP 2026-07-28) without a token. Default `false`: it needs what any request to
   * the route needs, so an anonymous caller learns nothing but the 401 challenge that leads it to sign in.
   */
  publicDiscover?: boolean;
}

/** How authorization server metadata is discovered. */
export interface DiscoveryOptions {
  /** Per-request timeout in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Retries after the first failed round over all candidate URLs. Default 2. */
  retries?: number;
  /** Delay before the first retry in milliseconds; doubled for every further retry. Default 250. */
  retryDelayMs?: number;
  /**
   * `true` (default): bootstrap fails with a named error if an authorization server can't be discovered.
   * `false`: the application starts anyway and discovery is retried on first use (tokens meanwhile get 503).
   */
  failFast?: boolean;
  /**
   * Adjust a discovered document before it is validated and frozen, for providers that publish incomplete
   * metadata. May be async. The `issuer` must stay the configured one.
   */
  transformMetadata?: (
    metadata: AuthorizationServerMetadata,
    issuer: string,
  ) => AuthorizationServerMetadata | Promise<AuthorizationServerMetadata>;
}

/** How access-token JWTs are verified. Secure defaults; every relaxation is explicit. */
export interface JwtVerificationOptions {
  /** Accepted JWS algorithms. Default: RS*, PS*, ES*, EdDSA. `none` and HMAC are always refused. */
  algorithms?: string[];
  /** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds. Default 5. */
  clockToleranceSeconds?: number;
  /** Refuse tokens whose `iat` is older than this many seconds. Off by default. */
  maxTokenAgeSeconds?: number;
  /**
   * `typ` header policy. `lenient` (default) accepts `at+jwt`, `application/at+jwt`, `JWT` or no `typ`;
   * `strict` accepts only the RFC 9068 values.
   */
  typ?: 'lenient' | 'strict';
  /** Claims that must be present besides `exp`, `iss` and `aud` (e.g. the RFC 9068 set). Default none. */
  requiredClaims?: string[];
  /** Minimum seconds between two JWKS refetches triggered by an unknown `kid`. Default 30. */
  jwksCooldownSeconds?: number;
  /** Seconds after which a cached JWKS is refreshed on use. Default 600. */
  jwksCacheMaxAgeSeconds?: number;
  /**
   * Remember verified tokens (keyed by a SHA-256 of the token, never the token itself) so a token sent on
   * every request is checked cryptographically once. An entry never outlives the token's `exp`. Scopes are
   * still checked on every request. Default `{ maxEntries: 10000, maxTtlSeconds: 300 }`; `false` turns it off.
   */
  cache?: false | { maxEntries?: number; maxTtlSeconds?: number };
}

/** What a claims mapper may override in the `AuthInfo` built from a token. */
export interface MappedClaims {
  scopes?: string[];
  roles?: string[];
  clientId?: string;
  subject?: string;
  tenant?: string;
}

/** RFC 7662 introspection of opaque tokens. */
export interface IntrospectionOptions {
  /** Timeout of one introspection request, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /**
   * Remember active introspection results in the store (keyed by a SHA-256 of the token, never the
   * token), for at most `maxTtlSeconds` and never past the token's `exp`. Off by default (`false`):
   * a revoked token is then refused at once. Inactive results are never remembered.
   */
  cache?: false | { maxTtlSeconds?: number };
}

/** Authorization servers trusted through an `issuerResolver` (tenants). */
export interface TenantOptions {
  /** How long a tenant's discovered metadata is used before it is discovered again. Default 3600. */
  metadataTtlSeconds?: number;
  /** Most tenants kept in memory at once; the least recently used are forgotten. Default 1000. */
  maxTenants?: number;
}

/**
 * Your own verification, as a function: return the token's claims (`iss`, `sub`, `client_id`, `scope`,
 * `exp`, …) and the library builds the `AuthInfo` (claim mapping included); throw `InvalidTokenFailure`
 * for a bad token. It must check the audience itself (`resource.audiences`). Any other error is logged
 * without the token and answered 503.
 */
export type VerifyAccessTokenFunction = (
  token: string,
  resource: ResolvedProtectedResource,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Options of {@link McpAuthModule}. */
export interface McpAuthModuleOptions {
  /** The protected resources this application serves. At least one. */
  protectedResources: ProtectedResourceOptions[];
  /** Discovery behaviour shared by every authorization server. */
  discovery?: DiscoveryOptions;
  /** JWT verification policy. */
  jwt?: JwtVerificationOptions;
  /**
   * Scope hierarchy: each key is a broader scope that implies the listed narrower ones (transitively),
   * e.g. `{ 'notes:admin': ['write:notes'], 'write:notes': ['read:notes'] }` (MCP 2026-07-28).
   */
  scopeHierarchy?: Record<string, string[]>;
  /**
   * Where the token's claim `scope` (space-separated string) or `scp` (array or string) is not where a
   * provider puts scopes or the client id, map them here (Auth0 `permissions`, Keycloak roles, Entra `appid`).
   */
  mapClaims?: ClaimsMapper;
  /** Opaque-token introspection (RFC 7662). */
  introspection?: IntrospectionOptions;
  /** Authorization servers trusted at run time through a resource's `issuerResolver`. */
  tenants?: TenantOptions;
  /**
   * Where state shared between instances lives (introspection results, tenant metadata). Default: an
   * in-memory store. Pass a `RedisMcpAuthStore` when running several instances.
   */
  store?: McpAuthStore;
  /** Verify tokens with your own function instead of the built-in verifiers (see {@link VerifyAccessTokenFunction}). */
  verifyAccessToken?: VerifyAccessTokenFunction;
  /** Put the reason of a rejection in `error_description`. Default false: a generic description only. */
  showErrorDetails?: boolean;
  /**
   * Allow `http://` issuers and endpoints on non-loopback hosts. Never in production. Loopback
   * (`127.0.0.1`, `localhost`, `[::1]`) is always allowed, for development.
   */
  allowInsecureHttp?: boolean;
  /** Seconds advertised in `Retry-After` when the authorization server can't be reached. Default 5. */
  retryAfterSeconds?: number;
}
