import { registerLoadedCopy } from './common/loaded-copies.js';

// The package ships an ESM and a CommonJS build; this is where a process that loaded both hears about it.
registerLoadedCopy(import.meta.url);

/** The module: `McpAuthModule.forRoot()` / `forRootAsync()`. */
export { McpAuthModule } from './mcp-auth.module.js';
/** Options accepted by `forRootAsync()` and the extras (`isGlobal`, `verifier`). */
export type { McpAuthModuleAsyncOptions, McpAuthModuleExtras } from './mcp-auth.module-definition.js';
/** Injection token of the raw options, for `provideInjectionTokensFrom` and tests. */
export { MCP_AUTH_MODULE_OPTIONS } from './mcp-auth.module-definition.js';
/** Injection token of the validated options with defaults applied. */
export { MCP_AUTH_RESOLVED_OPTIONS, PROTECTED_RESOURCE_WELL_KNOWN, DEFAULT_ALLOWED_ALGORITHMS } from './mcp-auth.constants.js';

/** Option types. */
export type {
  AuthorizationServerMetadata,
  AuthorizationServerOptions,
  ClaimsMapper,
  DiscoveryOptions,
  DpopMode,
  DpopOptions,
  IntrospectionAuthMethod,
  IntrospectionClientOptions,
  IntrospectionOptions,
  IssuerResolver,
  Jwk,
  JwtVerificationOptions,
  MappedClaims,
  McpAuthModuleOptions,
  McpOperationsOptions,
  ProtectedResourceOptions,
  TenantOptions,
  VerifyAccessTokenFunction,
} from './options/mcp-auth-options.interface.js';
/** The options after validation; what custom verifiers and guards receive. */
export type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from './options/resolved-options.js';

/** The guard that protects routes. */
export { BearerAuthGuard } from './guards/bearer-auth.guard.js';
/** What the guard puts on `req.user` (the shape MCP-Nest's `@ToolScopes()` / `@ToolRoles()` read). */
export { requestUserFromAuthInfo, type RequestUser } from './guards/request-user.js';
/** The request and response shapes the guard's protected seams work with (Express and Fastify alike). */
export type { HttpRequestLike, HttpResponseLike } from './http/request-access.js';
/** Node's request and response of a guarded exchange on Express or Fastify, for the MCP SDK's Node transport. */
export { nodeHttpExchange, type NodeHttpExchange } from './http/node-http-exchange.js';
/** Scopes a route or tool requires (class ∪ method, all of them). */
export { RequireScopes, RequiredScopes } from './decorators/require-scopes.decorator.js';
/** Roles a route requires (class ∪ method, all of them); a missing one is a 403 without a scope challenge. */
export { RequireRoles, RequiredRoles } from './decorators/require-roles.decorator.js';
/** The caller's verified identity, as a parameter decorator and as a type. */
export { AuthInfo } from './decorators/auth-info.decorator.js';
/** Names the protected resource a controller serves, when several are configured. */
export { ProtectedResource } from './decorators/protected-resource.decorator.js';
/** Names the MCP tool, resource (URI or URI template) or prompt a method implements, for per-operation authorization. */
export { McpTool, McpResource, McpPrompt, type McpOperationName } from './decorators/mcp-operation.decorator.js';
/** Filters MCP list results down to what the caller may use (`cacheScope: "private"`). */
export { McpOperationAccess } from './operations/mcp-operation-access.js';
export type { McpListResult } from './operations/list-filter.js';
export type { McpOperationKind } from './operations/mcp-operation.js';
/** The SEP-2243 `HeaderMismatch` JSON-RPC error code the guard answers with when `Mcp-Method` / `Mcp-Name` disagree with the body. */
export { HEADER_MISMATCH_ERROR_CODE } from './operations/header-mismatch.response.js';
/** The current caller from any provider during a request. */
export { McpAuthContext } from './context/mcp-auth-context.js';
/** Enters McpAuthContext for a guarded request; needed only next to a global guard (`APP_GUARD`). */
export { McpAuthContextInterceptor } from './context/mcp-auth-context.interceptor.js';
/** Scope challenges for MCP SDK v2 tools, from `@RequireScopes()`. */
export { McpToolScopes, type ToolScopeChallenge, type ToolScopeChallengeHandler } from './tools/mcp-tool-scopes.js';

/** Verification: the swappable verifier, the default JWT one, and the MCP SDK adapter. */
export { AccessTokenVerifier } from './verification/access-token-verifier.js';
/** What `verifySyncIfPossible()` and the guard's `verifyToken()` return: the value now, or a promise of it. */
export type { MaybePromise } from './common/maybe-promise.js';
export { JwtAccessTokenVerifier } from './verification/jwt-access-token-verifier.js';
/** RFC 7662 introspection of opaque tokens, and the default verifier that picks JWT or introspection per resource. */
export { IntrospectionAccessTokenVerifier } from './introspection/introspection-access-token-verifier.js';
export { DefaultAccessTokenVerifier } from './verification/default-access-token-verifier.js';
export { McpSdkTokenVerifier, type OAuthTokenVerifier } from './verification/mcp-sdk-token-verifier.js';
/** Build an AuthInfo from verified claims (for custom verifiers). */
export { authInfoFromClaims, rolesFromClaims, scopesFromClaims } from './verification/token-claims.js';
/** Claim mapping presets: scopes, roles, client id and tenant read the same way from each provider's tokens. */
export { auth0Claims, cognitoClaims, entraIdClaims, keycloakClaims, oktaClaims } from './claims/provider-claim-mappers.js';
/** The discovered authorization servers. */
export { AuthorizationServerRegistry } from './discovery/authorization-server-registry.js';
export type { TrustedAuthorizationServer } from './discovery/tenant-authorization-servers.js';
/** An issuer resolver for tenants that differ by one path segment (`https://login.example.com/realms/{tenant}`). */
export { issuerTemplate } from './discovery/issuer-template.js';

/** State shared between instances: the swappable store, its in-memory default, and the Redis one. */
export { McpAuthStore } from './store/mcp-auth-store.js';
export { InMemoryMcpAuthStore, type InMemoryMcpAuthStoreOptions } from './store/in-memory-mcp-auth-store.js';
export { RedisMcpAuthStore, type RedisClientLike, type RedisMcpAuthStoreOptions } from './store/redis-mcp-auth-store.js';

/** Failures a verifier throws, mapped by the guard to 400 / 401 / 403 / 503. */
export {
  AuthenticationFailure,
  AuthorizationServerUnavailableFailure,
  InsufficientRoleFailure,
  InvalidDpopProofFailure,
  StoreUnavailableFailure,
  UseDpopNonceFailure,
  InsufficientScopeFailure,
  InvalidRequestFailure,
  InvalidTokenFailure,
  MissingCredentialsFailure,
} from './errors/authentication-failures.js';
/** Bootstrap errors. */
export { McpAuthOptionsError } from './errors/invalid-options.error.js';
/** A guarded route that belongs to no configured protected resource: fails `app.init()`. */
export { UnresolvedProtectedResourceError, type UnresolvedRoute } from './errors/unresolved-resource.error.js';
export { AuthorizationServerDiscoveryError, type DiscoveryAttempt } from './errors/discovery.error.js';

/** Pure helpers, for applications that build their own HTTP layer. */
export { buildBearerChallenge, buildDpopChallenge, type BearerChallenge, type DpopChallenge } from './http/www-authenticate.header.js';
/** A `@nestjs/terminus` health indicator: each trusted authorization server, discovered and with working keys. */
export { McpAuthHealthIndicator, type McpAuthHealthResult } from './health/mcp-auth-health.indicator.js';
export type { AuthorizationServerHealth } from './health/authorization-server-health.js';
/** Checks DPoP proofs (RFC 9449) for the guard: injectable into a guard of your own. */
export { DpopRequestBinding, type TokenScheme } from './dpop/dpop-request-binding.js';
export type { AccessTokenCredentials } from './guards/bearer-auth.guard.js';
export { buildProtectedResourceMetadata, type ProtectedResourceMetadata } from './protected-resource/protected-resource-metadata.js';
export { protectedResourceMetadataPath, protectedResourceMetadataUrl } from './protected-resource/metadata-url.js';
export { authorizationServerMetadataUrls } from './discovery/discovery-urls.js';
