import { Inject, Injectable } from '@nestjs/common';
import { AuthorizationServerRegistry } from '../discovery/authorization-server-registry.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { JwtAccessTokenVerifier } from '../verification/jwt-access-token-verifier.js';
import { assessAuthorizationServer, keysAreFailing, type AuthorizationServerHealth } from './authorization-server-health.js';

/** A health indicator result, in the shape `@nestjs/terminus` reads (`{ [key]: { status, … } }`). */
export type McpAuthHealthResult<Key extends string = string> = Record<
  Key,
  { status: 'up' | 'down'; authorizationServers: Record<string, AuthorizationServerHealth> }
>;

/**
 * A health indicator for `@nestjs/terminus`: up when every configured authorization server is discovered and
 * its keys (where JWTs are verified with them) were fetched fine the last time they were fetched. It answers
 * from what the guard already knows, so a health check costs no request to the authorization server, except
 * that a key set found stale or failing is refetched, at most once per `jwt.jwksCooldownSeconds`, so that
 * a JWKS that went away (or came back) is noticed even without traffic.
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.mcpAuth.isHealthy('mcp-auth')]); }
 * ```
 */
@Injectable()
export class McpAuthHealthIndicator {
  private readonly lastRefresh = new Map<string, number>();

  constructor(
    private readonly registry: AuthorizationServerRegistry,
    private readonly jwt: JwtAccessTokenVerifier,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
  ) {}

  async isHealthy<const Key extends string = 'mcp-auth'>(key: Key = 'mcp-auth' as Key): Promise<McpAuthHealthResult<Key>> {
    const authorizationServers: Record<string, AuthorizationServerHealth> = {};
    for (const { issuer, state, reason, metadata } of this.registry.discoveryStates()) {
      const usesKeys = this.options.metadataRequirements.get(issuer)?.jwks === true;
      if (state === 'ready' && usesKeys && metadata?.jwks_uri) await this.refreshIfDue(issuer, metadata.jwks_uri);
      authorizationServers[issuer] = assessAuthorizationServer({
        discovery: state,
        discoveryError: reason,
        usesKeys,
        keys: this.jwt.keySetHealth(issuer),
      });
    }
    const status = Object.values(authorizationServers).every((server) => server.status === 'up') ? 'up' : 'down';
    return { [key]: { status, authorizationServers } } as McpAuthHealthResult<Key>;
  }

  private async refreshIfDue(issuer: string, jwksUri: string): Promise<void> {
    const keys = this.jwt.keySetHealth(issuer);
    if (keys && keys.fresh && !keysAreFailing(keys)) return;
    const now = Date.now();
    if (now - (this.lastRefresh.get(issuer) ?? 0) < this.options.jwt.jwksCooldownSeconds * 1000) return;
    this.lastRefresh.set(issuer, now);
    await this.jwt.refreshKeys(issuer, jwksUri);
  }
}
