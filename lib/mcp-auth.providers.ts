import { Logger, type Provider } from '@nestjs/common';
import { AuthorizationServerRegistry } from './discovery/authorization-server-registry.js';
import { MCP_AUTH_LOGGER_CONTEXT, MCP_AUTH_RESOLVED_OPTIONS } from './mcp-auth.constants.js';
import { MCP_AUTH_MODULE_OPTIONS } from './mcp-auth.module-definition.js';
import type { McpAuthModuleOptions } from './options/mcp-auth-options.interface.js';
import { resolveMcpAuthOptions, type ResolvedMcpAuthOptions } from './options/resolved-options.js';
import { AccessTokenVerifier } from './verification/access-token-verifier.js';
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

/** Discovery is bootstrap I/O, so it lives in an async factory: the app starts only once it is done (or lazy). */
export const authorizationServerRegistryProvider: Provider = {
  provide: AuthorizationServerRegistry,
  useFactory: async (options: ResolvedMcpAuthOptions): Promise<AuthorizationServerRegistry> => {
    const registry = new AuthorizationServerRegistry(options);
    await registry.initialize();
    return registry;
  },
  inject: [MCP_AUTH_RESOLVED_OPTIONS],
};

/**
 * The default verifier checks JWTs. Its keys are fetched here, best-effort, so the first request does not
 * wait for the JWKS; a failure is only logged, and the keys are fetched again on first use.
 */
export const accessTokenVerifierProvider: Provider = {
  provide: AccessTokenVerifier,
  useFactory: async (options: ResolvedMcpAuthOptions, registry: AuthorizationServerRegistry): Promise<AccessTokenVerifier> => {
    const verifier = new JwtAccessTokenVerifier(options, registry);
    await verifier.prefetchKeys();
    return verifier;
  },
  inject: [MCP_AUTH_RESOLVED_OPTIONS, AuthorizationServerRegistry],
};
