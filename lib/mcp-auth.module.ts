import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { McpAuthContext } from './context/mcp-auth-context.js';
import { McpAuthContextBinder } from './context/mcp-auth-context.binder.js';
import { AuthorizationServerRegistry } from './discovery/authorization-server-registry.js';
import { BearerAuthGuard } from './guards/bearer-auth.guard.js';
import { RouteResourceResolver } from './guards/route-resource-resolver.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from './mcp-auth.constants.js';
import { ConfigurableMcpAuthModule } from './mcp-auth.module-definition.js';
import { IntrospectionAccessTokenVerifier } from './introspection/introspection-access-token-verifier.js';
import {
  accessTokenVerifierProvider,
  authorizationServerRegistryProvider,
  resolvedOptionsProvider,
  storeProvider,
} from './mcp-auth.providers.js';
import { DpopRequestBinding } from './dpop/dpop-request-binding.js';
import { McpAuthHealthIndicator } from './health/mcp-auth-health.indicator.js';
import { McpOperationAccess } from './operations/mcp-operation-access.js';
import { McpOperationCatalogue } from './operations/mcp-operation-catalogue.js';
import { ProtectedResourceMetadataRoutes } from './protected-resource/protected-resource-metadata.routes.js';
import { McpToolScopes } from './tools/mcp-tool-scopes.js';
import { ToolMethodEnforcer } from './tools/tool-method-enforcer.js';
import { McpAuthStore } from './store/mcp-auth-store.js';
import { AccessTokenVerifier } from './verification/access-token-verifier.js';
import { JwtAccessTokenVerifier } from './verification/jwt-access-token-verifier.js';
import { McpSdkTokenVerifier } from './verification/mcp-sdk-token-verifier.js';

/**
 * Makes the application an OAuth 2.1 protected resource for MCP: discovers the trusted authorization
 * servers at bootstrap, serves RFC 9728 metadata, and provides `BearerAuthGuard`, `McpAuthContext` and
 * `McpToolScopes` to the modules that import it.
 *
 * ```ts
 * McpAuthModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({
 *     protectedResources: [{ resource: 'https://api.example.com/mcp', authorizationServers: [config.get('ISSUER')] }],
 *   }),
 * })
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    resolvedOptionsProvider,
    storeProvider,
    authorizationServerRegistryProvider,
    JwtAccessTokenVerifier,
    IntrospectionAccessTokenVerifier,
    accessTokenVerifierProvider,
    BearerAuthGuard,
    McpAuthContext,
    McpToolScopes,
    McpSdkTokenVerifier,
    // What each MCP operation (tool, resource, prompt) needs, read by the guard on every JSON-RPC call.
    McpOperationCatalogue,
    McpOperationAccess,
    // DPoP proofs (RFC 9449): checked against the request, bound to the token's key, used once (McpAuthStore).
    DpopRequestBinding,
    // For @nestjs/terminus: the authorization servers' state, from what the guard already knows.
    McpAuthHealthIndicator,
    ToolMethodEnforcer,
    ProtectedResourceMetadataRoutes,
    // Makes the verified caller current (McpAuthContext) in the handlers of routes that use BearerAuthGuard.
    McpAuthContextBinder,
    // Resolves each route's protected resource at init: a guarded route that fits none fails app.init().
    RouteResourceResolver,
  ],
  exports: [
    MCP_AUTH_RESOLVED_OPTIONS,
    McpAuthStore,
    AuthorizationServerRegistry,
    AccessTokenVerifier,
    JwtAccessTokenVerifier,
    IntrospectionAccessTokenVerifier,
    BearerAuthGuard,
    McpAuthContext,
    McpToolScopes,
    McpSdkTokenVerifier,
    McpOperationCatalogue,
    McpOperationAccess,
    DpopRequestBinding,
    McpAuthHealthIndicator,
  ],
})
export class McpAuthModule extends ConfigurableMcpAuthModule {}
