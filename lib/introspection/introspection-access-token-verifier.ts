import { Inject, Injectable } from '@nestjs/common';
import { tokenHash } from '../common/token-hash.js';
import { AuthorizationServerUnavailableFailure, InvalidTokenFailure } from '../errors/authentication-failures.js';
import { AuthorizationServerRegistry } from '../discovery/authorization-server-registry.js';
import type { TrustedAuthorizationServer } from '../discovery/tenant-authorization-servers.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../options/resolved-options.js';
import { McpAuthStore } from '../store/mcp-auth-store.js';
import { StoreCache } from '../store/store-cache.js';
import { AccessTokenVerifier } from '../verification/access-token-verifier.js';
import type { AuthInfo } from '../verification/auth-info.interface.js';
import { authInfoFromClaims } from '../verification/token-claims.js';
import { introspectToken, type IntrospectionResult } from './introspect-token.js';
import { verifyIntrospectionClaims } from './introspection-claims.js';

type Claims = Record<string, unknown>;

/**
 * Verifies opaque access tokens with the RFC 7662 introspection endpoint of the resource's introspecting
 * authorization server (from its discovered metadata, or a configured URL), authenticated as the client
 * configured for it. The answer is checked like a JWT (issuer, audience, expiry: I1–I3).
 *
 * With `introspection.cache` on, active answers are kept in the store under a SHA-256 of the issuer and
 * token (never the token, and with any claim that repeats the token dropped), for at most `maxTtlSeconds`
 * and never past `exp`; a token without `exp` is not kept (I4). Inactive answers are never kept. Concurrent
 * requests with the same token share one introspection.
 */
@Injectable()
export class IntrospectionAccessTokenVerifier extends AccessTokenVerifier {
  private readonly cache: StoreCache<Claims> | undefined;
  private readonly inFlight = new Map<string, Promise<IntrospectionResult>>();

  constructor(
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
    private readonly registry: AuthorizationServerRegistry,
    store: McpAuthStore,
  ) {
    super();
    this.cache = options.introspection.cache && new StoreCache(store, 'introspection:', isClaims);
  }

  async verify(token: string, resource: ResolvedProtectedResource): Promise<AuthInfo> {
    const server = await this.registry.introspectionServer(resource);
    const claims = verifyIntrospectionClaims(await this.activeClaims(token, server), {
      issuer: server.issuer,
      audiences: resource.audiences,
      clockToleranceSeconds: this.options.jwt.clockToleranceSeconds,
      now: Date.now() / 1000,
    });
    return authInfoFromClaims(token, claims, resource, server.options.mapClaims ?? this.options.mapClaims);
  }

  private async activeClaims(token: string, server: TrustedAuthorizationServer): Promise<Claims> {
    const key = tokenHash(server.issuer, token);
    const cached = await this.cache?.get(key);
    if (cached) return cached;

    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.introspect(token, server).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const result = await pending;
    if (!result.active) throw new InvalidTokenFailure('The authorization server reports the token inactive');
    const claims = withoutToken(result.claims, token);
    if (this.cache && typeof claims.exp === 'number') {
      const ttlMs = Math.min(claims.exp * 1000 - Date.now(), this.options.introspection.cache!.maxTtlSeconds * 1000);
      await this.cache.set(key, claims, ttlMs);
    }
    return claims;
  }

  private introspect(token: string, server: TrustedAuthorizationServer): Promise<IntrospectionResult> {
    const client = server.options.introspection!;
    const endpoint = client.endpoint ?? server.metadata.introspection_endpoint;
    if (!endpoint) {
      return Promise.reject(new AuthorizationServerUnavailableFailure(`${server.issuer} publishes no introspection_endpoint`));
    }
    return introspectToken({ endpoint, token, issuer: server.issuer, client, timeoutMs: this.options.introspection.timeoutMs });
  }
}

/** The claims without any value equal to the raw token, so that nothing stored or logged can hold it. */
function withoutToken(claims: Claims, token: string): Claims {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== token));
}

function isClaims(value: unknown): value is Claims {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as Claims).active === true;
}
