import { Logger, type Provider } from '@nestjs/common';
import { AuthorizationServerRegistry } from './discovery/authorization-server-registry.js';
import { DecisionTelemetry, loadOpenTelemetry } from './events/decision-telemetry.js';
import { MCP_AUTH_TELEMETRY } from './events/mcp-auth-events.js';
import { IntrospectionAccessTokenVerifier } from './introspection/introspection-access-token-verifier.js';
import { MCP_AUTH_LOGGER_CONTEXT, MCP_AUTH_RESOLVED_OPTIONS } from './mcp-auth.constants.js';
import { MCP_AUTH_MODULE_OPTIONS } from './mcp-auth.module-definition.js';
import type { McpAuthModuleOptions } from './options/mcp-auth-options.interface.js';
import { resolveMcpAuthOptions, type ResolvedMcpAuthOptions } from './options/resolved-options.js';
import { InMemoryMcpAuthStore } from './store/in-memory-mcp-auth-store.js';
import { McpAuthStore } from './store/mcp-auth-store.js';
import { AccessTokenVerifier } from './verification/access-token-verifier.js';
import { CustomAccessTokenVerifier } from './verification/custom-access-token-verifier.js';
import { DefaultAccessTokenVerifier } from './verification/default-access-token-verifier.js';
import { JwtAccessTokenVerifier } from './verification/jwt-access-token-verifier.js';

/** Options are validated once, here, at the module boundary; an invalid field fails bootstrap. */
export const resolvedOptionsProvider: Provider = {
  provide: MCP_AUTH_RESOLVED_OPTIONS,
  useFactory: (options: McpAuthModuleOptions): ResolvedMcpAuthOptions => {
    const resolved = resolveMcpAuthOptions(options);
    const logger = new Logger(MCP_AUTH_LOGGER_CONTEXT);
    for (const warning of resolved.warnings) logger.warn(warning);
    return resolved;
  },
  inject: [MCP_AUTH_MODULE_OPTIONS],
};

/** The shared store: the one given in the options, else one in this process. */
export const storeProvider: Provider = {
  provide: McpAuthStore,
  useFactory: (options: ResolvedMcpAuthOptions): McpAuthStore => options.store ?? new InMemoryMcpAuthStore(),
  inject: [MCP_AUTH_RESOLVED_OPTIONS],
};

/** Discovery is bootstrap I/O, so it lives in an async factory: the app starts only once it is done (or lazy). */
export const authorizationServerRegistryProvider: Provider = {
  provide: AuthorizationServerRegistry,
  useFactory: async (options: ResolvedMcpAuthOptions, store: McpAuthStore): Promise<AuthorizationServerRegistry> => {
    const registry = new AuthorizationServerRegistry(options, store);
    await registry.initialize();
    return registry;
  },
  inject: [MCP_AUTH_RESOLVED_OPTIONS, McpAuthStore],
};

/**
 * The verifier the guard uses: per resource JWT, introspection or both ({@link DefaultAccessTokenVerifier}),
 * or the application's `verifyAccessToken` function. The `verifier` extra replaces this provider.
 *
 * Only when the built-in verifiers are behind the guard are the JWT keys fetched here, best-effort, so the
 * first request does not wait for the JWKS (a failure is only logged; the keys are fetched on first use).
 * An application's own verifier may never use them, so it causes no start-up requests.
 */
export const accessTokenVerifierProvider: Provider = {
  provide: AccessTokenVerifier,
  useFactory: async (
    options: ResolvedMcpAuthOptions,
    jwt: JwtAccessTokenVerifier,
    introspection: IntrospectionAccessTokenVerifier,
  ): Promise<AccessTokenVerifier> => {
    if (options.verifyAccessToken) return CustomAccessTokenVerifier.fromFunction(options.verifyAccessToken, options);
    await jwt.prefetchKeys();
    return new DefaultAccessTokenVerifier(jwt, introspection);
  },
  inject: [MCP_AUTH_RESOLVED_OPTIONS, JwtAccessTokenVerifier, IntrospectionAccessTokenVerifier],
};

/** OpenTelemetry for decisions, when `@opentelemetry/api` is installed and `telemetry` is not switched off. */
export const telemetryProvider: Provider = {
  provide: MCP_AUTH_TELEMETRY,
  useFactory: async (options: ResolvedMcpAuthOptions): Promise<DecisionTelemetry | undefined> => {
    if (!options.telemetry) return undefined;
    const api = await loadOpenTelemetry();
    return api && DecisionTelemetry.forRegisteredSdk(api);
  },
  inject: [MCP_AUTH_RESOLVED_OPTIONS],
};
