import { Logger } from '@nestjs/common';
import type { MaybePromise } from '../common/maybe-promise.js';
import { AuthenticationFailure, AuthorizationServerUnavailableFailure, InvalidTokenFailure } from '../errors/authentication-failures.js';
import { MCP_AUTH_LOGGER_CONTEXT } from '../mcp-auth.constants.js';
import type { AuthorizationServerMetadata } from '../options/mcp-auth-options.interface.js';
import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../options/resolved-options.js';
import { InMemoryMcpAuthStore } from '../store/in-memory-mcp-auth-store.js';
import type { McpAuthStore } from '../store/mcp-auth-store.js';
import { discoverAuthorizationServer } from './discover-authorization-server.js';
import { TenantAuthorizationServers, type TrustedAuthorizationServer } from './tenant-authorization-servers.js';

type Entry =
  | { state: 'ready'; server: TrustedAuthorizationServer }
  | { state: 'pending'; promise: Promise<TrustedAuthorizationServer> }
  | { state: 'failed'; retryAt: number; reason: string };

/**
 * The trusted authorization servers and their discovered metadata. Filled at bootstrap: fail-fast by
 * default, or in lazy mode started in the background and retried on first use (single-flight, at most
 * once per `retryAfterSeconds`), so a late-starting authorization server is picked up without a restart.
 * Issuers that resources trust through an `issuerResolver` (tenants) are discovered on first use.
 */
export class AuthorizationServerRegistry {
  private readonly logger = new Logger(MCP_AUTH_LOGGER_CONTEXT);
  private readonly entries = new Map<string, Entry>();
  private readonly tenants: TenantAuthorizationServers;

  constructor(
    private readonly options: ResolvedMcpAuthOptions,
    store: McpAuthStore = new InMemoryMcpAuthStore(),
  ) {
    this.tenants = new TenantAuthorizationServers(options, store);
  }

  /**
   * The server a token's `iss` names, if `resource` trusts it: one of its configured servers (exact string
   * match, no normalisation), or one its `issuerResolver` accepts. Anything else is an invalid token, and
   * is refused before any network request (T13).
   */
  trustedServer(issuer: string, resource: ResolvedProtectedResource): MaybePromise<TrustedAuthorizationServer> {
    // A configured server already discovered comes back as it is: no promise on the request path.
    return resource.issuers.includes(issuer) ? this.configuredServer(issuer) : this.tenantServer(issuer, resource);
  }

  private async tenantServer(issuer: string, resource: ResolvedProtectedResource): Promise<TrustedAuthorizationServer> {
    const tenant = resource.issuerResolver && (await this.tenants.resolve(issuer, resource));
    if (!tenant) throw new InvalidTokenFailure('The token issuer is not trusted by this resource');
    return tenant;
  }

  /** The server that introspects the resource's opaque tokens (`tokenFormat` `opaque` or `mixed`). */
  async introspectionServer(resource: ResolvedProtectedResource): Promise<TrustedAuthorizationServer> {
    const issuer = resource.introspectionIssuer;
    if (issuer === undefined) throw new InvalidTokenFailure(`${resource.resource} does not accept opaque tokens`);
    return this.trustedServer(issuer, resource);
  }

  /** Tenant servers held in memory (for tests and diagnostics). */
  get tenantCount(): number {
    return this.tenants.size;
  }

  /** Discovers every trusted server. In fail-fast mode a failure rejects and the application does not start. */
  async initialize(): Promise<void> {
    const discoveries = [...this.options.authorizationServers.keys()].map((issuer) => this.discover(issuer));
    if (this.options.discovery.failFast) {
      await Promise.all(discoveries);
    } else {
      // Lazy mode: failures are logged and retried on first use.
      for (const discovery of discoveries) discovery.catch(() => undefined);
    }
  }

  /** The metadata of a trusted issuer, discovering it now if lazy discovery has not succeeded yet. */
  async metadataFor(issuer: string): Promise<Readonly<AuthorizationServerMetadata>> {
    return (await this.configuredServer(issuer)).metadata;
  }

  /** A configured server, discovering it now if lazy discovery has not succeeded yet. */
  private configuredServer(issuer: string): MaybePromise<TrustedAuthorizationServer> {
    const entry = this.entries.get(issuer);
    if (entry?.state === 'ready') return entry.server;
    if (entry?.state === 'pending') return this.awaitDiscovery(entry.promise);
    if (entry?.state === 'failed' && Date.now() < entry.retryAt) {
      throw new AuthorizationServerUnavailableFailure(`Authorization server ${issuer} is not discovered yet: ${entry.reason}`);
    }
    return this.awaitDiscovery(this.discover(issuer));
  }

  /** Where discovery of each configured issuer stands, for health checks: never starts a discovery. */
  discoveryStates(): Array<{ issuer: string; state: 'ready' | 'pending' | 'failed'; reason?: string; metadata?: Readonly<AuthorizationServerMetadata> }> {
    return [...this.options.authorizationServers.keys()].map((issuer) => {
      const entry = this.entries.get(issuer);
      if (entry?.state === 'ready') return { issuer, state: 'ready', metadata: entry.server.metadata };
      if (entry?.state === 'failed') return { issuer, state: 'failed', reason: entry.reason };
      return { issuer, state: 'pending' };
    });
  }

  /** Discovered metadata of every issuer that is ready, for diagnostics and the verifier's key prefetch. */
  readyServers(): Array<[issuer: string, metadata: Readonly<AuthorizationServerMetadata>]> {
    const ready: Array<[string, Readonly<AuthorizationServerMetadata>]> = [];
    for (const [issuer, entry] of this.entries) if (entry.state === 'ready') ready.push([issuer, entry.server.metadata]);
    return ready;
  }

  private discover(issuer: string): Promise<TrustedAuthorizationServer> {
    const server = this.options.authorizationServers.get(issuer)!;
    const resources = this.options.resources.filter((resource) => resource.issuers.includes(issuer)).map((resource) => resource.resource);
    const promise = discoverAuthorizationServer(server, {
      options: this.options.discovery,
      resources,
      allowInsecureHttp: this.options.allowInsecureHttp,
      requires: this.options.metadataRequirements.get(issuer),
    }).then(
      (discovered) => {
        const trusted: TrustedAuthorizationServer = { issuer, options: server, metadata: discovered.metadata };
        this.entries.set(issuer, { state: 'ready', server: trusted });
        for (const warning of discovered.warnings) this.logger.warn(warning);
        this.logger.log(`Discovered authorization server ${issuer} (${discovered.source})`);
        return trusted;
      },
      (error: Error) => {
        const retryAt = Date.now() + this.options.retryAfterSeconds * 1000;
        this.entries.set(issuer, { state: 'failed', retryAt, reason: error.message.split('\n')[0] ?? 'unknown' });
        if (!this.options.discovery.failFast) this.logger.error(`${error.message}\nWill retry on first use.`);
        throw error;
      },
    );
    this.entries.set(issuer, { state: 'pending', promise });
    return promise;
  }

  /** At request time a discovery failure is an outage (503), never a token error. */
  private async awaitDiscovery(promise: Promise<TrustedAuthorizationServer>): Promise<TrustedAuthorizationServer> {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof AuthenticationFailure) throw error;
      throw new AuthorizationServerUnavailableFailure((error instanceof Error && error.message.split('\n')[0]) || 'Discovery failed');
    }
  }
}
