import { Logger } from '@nestjs/common';
import { AuthorizationServerUnavailableFailure, InvalidTokenFailure, type AuthenticationFailure } from '../errors/authentication-failures.js';
import { AuthorizationServerDiscoveryError } from '../errors/discovery.error.js';
import { MCP_AUTH_LOGGER_CONTEXT } from '../mcp-auth.constants.js';
import type { AuthorizationServerMetadata, AuthorizationServerOptions } from '../options/mcp-auth-options.interface.js';
import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../options/resolved-options.js';
import { BoundedTtlMap } from '../common/bounded-ttl-map.js';
import type { McpAuthStore } from '../store/mcp-auth-store.js';
import { StoreCache } from '../store/store-cache.js';
import { discoverAuthorizationServer } from './discover-authorization-server.js';
import { assessAuthorizationServerMetadata } from './metadata-validation.js';
import { deepFreeze } from '../common/deep-freeze.js';

/** A trusted authorization server as a token meets it: its options and its validated metadata. */
export interface TrustedAuthorizationServer {
  readonly issuer: string;
  readonly options: AuthorizationServerOptions;
  readonly metadata: Readonly<AuthorizationServerMetadata>;
}

type ServerEntry =
  | { state: 'ready'; server: TrustedAuthorizationServer }
  | { state: 'pending'; promise: Promise<TrustedAuthorizationServer> }
  | { state: 'failed'; failure: AuthenticationFailure };

/** Tenants need only what verifying a JWT needs. */
const TENANT_REQUIREMENTS = { jwks: true, introspection: false };

/**
 * Authorization servers trusted at run time through a resource's `issuerResolver` (tenants):
 * - the resolver decides first, so an issuer it refuses never causes a request, and refusals are not
 *   remembered: a flood of made-up issuers costs no memory;
 * - an accepted issuer's metadata is discovered on first use (single-flight), exact-issuer-checked (D2),
 *   kept for `tenants.metadataTtlSeconds` and shared through the store, so other instances skip discovery;
 * - everything held in memory is capped at `tenants.maxTenants`, least recently used first out.
 * A tenant whose discovery answers definitively without usable metadata (404, another issuer) is an
 * invalid token; one that can't be reached is an outage (503). Both are remembered for `retryAfterSeconds`.
 */
export class TenantAuthorizationServers {
  private readonly logger = new Logger(MCP_AUTH_LOGGER_CONTEXT);
  /** Positive trust decisions, per resource and issuer. */
  private readonly trusted: BoundedTtlMap<string, AuthorizationServerOptions>;
  private readonly servers: BoundedTtlMap<string, ServerEntry>;
  private readonly sharedMetadata: StoreCache<AuthorizationServerMetadata>;
  private readonly ttlMs: number;

  constructor(
    private readonly options: ResolvedMcpAuthOptions,
    store: McpAuthStore,
  ) {
    this.trusted = new BoundedTtlMap(options.tenants.maxTenants);
    this.servers = new BoundedTtlMap(options.tenants.maxTenants);
    this.sharedMetadata = new StoreCache(store, 'as-metadata:', isMetadataDocument);
    this.ttlMs = options.tenants.metadataTtlSeconds * 1000;
  }

  /** Servers held in memory (for tests and diagnostics). */
  get size(): number {
    return this.servers.size;
  }

  /** The tenant server for `issuer` if the resource's resolver trusts it, else `undefined`. */
  async resolve(issuer: string, resource: ResolvedProtectedResource): Promise<TrustedAuthorizationServer | undefined> {
    const trustKey = `${resource.resource}\n${issuer}`;
    let server = this.trusted.get(trustKey);
    if (!server) {
      server = await this.decide(issuer, resource);
      if (!server) return undefined;
      this.trusted.set(trustKey, server, this.ttlMs);
    }
    return this.serverFor(server, resource);
  }

  private async decide(issuer: string, resource: ResolvedProtectedResource): Promise<AuthorizationServerOptions | undefined> {
    let decision: Awaited<ReturnType<NonNullable<ResolvedProtectedResource['issuerResolver']>>>;
    try {
      decision = await resource.issuerResolver?.(issuer);
    } catch (error) {
      // The resolver is application code (a tenant lookup); its failure is an outage, not a bad token.
      this.logger.warn(`The issuerResolver of ${resource.resource} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new AuthorizationServerUnavailableFailure('The issuer resolver failed');
    }
    if (decision === true) return { issuer };
    // Options for another issuer would let one tenant's token borrow another's keys: refused (T13).
    if (typeof decision === 'object' && decision !== null && decision.issuer === issuer) return decision;
    return undefined;
  }

  private serverFor(server: AuthorizationServerOptions, resource: ResolvedProtectedResource): Promise<TrustedAuthorizationServer> {
    const entry = this.servers.get(server.issuer);
    if (entry?.state === 'ready') return Promise.resolve(entry.server);
    if (entry?.state === 'pending') return entry.promise;
    if (entry?.state === 'failed') return Promise.reject(entry.failure);
    const promise = this.load(server, resource).then(
      (trusted) => {
        this.servers.set(server.issuer, { state: 'ready', server: trusted }, this.ttlMs);
        return trusted;
      },
      (failure: AuthenticationFailure) => {
        this.servers.set(server.issuer, { state: 'failed', failure }, Math.max(1, this.options.retryAfterSeconds) * 1000);
        throw failure;
      },
    );
    this.servers.set(server.issuer, { state: 'pending', promise }, this.ttlMs);
    return promise;
  }

  /** Metadata from the shared store when another instance discovered it, else discovered now. */
  private async load(server: AuthorizationServerOptions, resource: ResolvedProtectedResource): Promise<TrustedAuthorizationServer> {
    const assessment = { issuer: server.issuer, resources: [resource.resource], allowInsecureHttp: this.options.allowInsecureHttp, requires: TENANT_REQUIREMENTS };
    const shared = await this.sharedMetadata.get(server.issuer);
    // What comes back from the store is checked like a fresh document: the store is not trusted with D2.
    if (shared && assessAuthorizationServerMetadata(shared, assessment).problems.length === 0) {
      return { issuer: server.issuer, options: server, metadata: deepFreeze(shared) };
    }
    try {
      const discovered = await discoverAuthorizationServer(server, {
        // On the request path: one round only; a failure is remembered and retried after retryAfterSeconds.
        options: { ...this.options.discovery, retries: 0 },
        resources: assessment.resources,
        allowInsecureHttp: this.options.allowInsecureHttp,
        requires: TENANT_REQUIREMENTS,
      });
      for (const warning of discovered.warnings) this.logger.warn(warning);
      this.logger.log(`Discovered tenant authorization server ${server.issuer} (${discovered.source})`);
      await this.sharedMetadata.set(server.issuer, discovered.metadata, this.ttlMs);
      return { issuer: server.issuer, options: server, metadata: discovered.metadata };
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? 'discovery failed') : 'discovery failed';
      if (error instanceof AuthorizationServerDiscoveryError && !error.unreachable) {
        this.logger.warn(`Tenant issuer ${server.issuer} was accepted by the issuerResolver but has no usable metadata: ${error.message}`);
        throw new InvalidTokenFailure(`The token issuer has no usable metadata: ${reason}`);
      }
      throw new AuthorizationServerUnavailableFailure(reason);
    }
  }
}

function isMetadataDocument(value: unknown): value is AuthorizationServerMetadata {
  return typeof value === 'object' && value !== null && typeof (value as { issuer?: unknown }).issuer === 'string';
}
