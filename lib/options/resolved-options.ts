import { randomBytes } from 'node:crypto';
import { DEFAULT_ALLOWED_ALGORITHMS } from '../mcp-auth.constants.js';
import { McpAuthOptionsError } from '../errors/invalid-options.error.js';
import { protectedResourceMetadataPath, protectedResourceMetadataUrl } from '../protected-resource/metadata-url.js';
import { compileScopeHierarchy, type CompiledScopeHierarchy } from '../scopes/scope-matching.js';
import type {
  AuthorizationServerOptions,
  DiscoveryOptions,
  DpopMode,
  DpopOptions,
  JwtVerificationOptions,
  McpAuthModuleOptions,
  ClaimsMapper,
  IssuerResolver,
  ProtectedResourceOptions,
  TenantOptions,
  VerifyAccessTokenFunction,
} from './mcp-auth-options.interface.js';
import type { McpAuthStore } from '../store/mcp-auth-store.js';
import { toAuthorizationServerOptions, validateMcpAuthOptions } from './validate-options.js';

/** A protected resource with everything derived from it computed once. */
export interface ResolvedProtectedResource {
  readonly options: ProtectedResourceOptions;
  /** The canonical identifier, byte-identical to the configuration. */
  readonly resource: string;
  /** Accepted `aud` values: the identifier first, then configured aliases. */
  readonly audiences: readonly string[];
  /** Issuers trusted by this resource, in configuration order. */
  readonly issuers: readonly string[];
  /** Scopes advertised (without `offline_access`). */
  readonly scopesSupported: readonly string[];
  readonly metadataPath: string;
  readonly metadataUrl: string;
  readonly resourceUrl: URL;
  /** `jwt` (default), `opaque` or `mixed`. */
  readonly tokenFormat: 'jwt' | 'opaque' | 'mixed';
  /** The issuer whose introspection endpoint verifies this resource's opaque tokens (opaque and mixed only). */
  readonly introspectionIssuer?: string;
  /** Decides about issuers not in {@link issuers} at run time (tenants). */
  readonly issuerResolver?: IssuerResolver;
  /** DPoP policy (RFC 9449), defaults applied. */
  readonly dpop: ResolvedDpopPolicy;
}

/** A resource's DPoP policy with its defaults applied. */
export interface ResolvedDpopPolicy {
  readonly mode: DpopMode;
  /** Proof algorithms accepted, asymmetric only. */
  readonly algorithms: readonly string[];
  /** How far a proof's `iat` may lie from now, either way. */
  readonly proofMaxAgeSeconds: number;
  /** Server-provided nonces, when required: the key that makes and checks them, and how long one lasts. */
  readonly nonce?: { readonly secret: Uint8Array; readonly lifetimeSeconds: number };
}

/** What a server's metadata must offer, given how the resources that trust it verify tokens (D4). */
export interface MetadataRequirements {
  /** A `jwks_uri`, for resources that accept JWTs. */
  jwks: boolean;
  /** An `introspection_endpoint`, for the server that introspects opaque tokens (unless an endpoint is configured). */
  introspection: boolean;
}

/** The module options after validation, with defaults applied in this one place. */
export interface ResolvedMcpAuthOptions {
  readonly resources: readonly ResolvedProtectedResource[];
  /** Every trusted authorization server, de-duplicated by issuer. */
  readonly authorizationServers: ReadonlyMap<string, AuthorizationServerOptions>;
  readonly discovery: Required<Omit<DiscoveryOptions, 'transformMetadata'>> & Pick<DiscoveryOptions, 'transformMetadata'>;
  readonly jwt: Required<Omit<JwtVerificationOptions, 'maxTokenAgeSeconds' | 'cache'>> &
    Pick<JwtVerificationOptions, 'maxTokenAgeSeconds'> & {
      /** The verified-token cache, or `undefined` when turned off. */
      cache: { maxEntries: number; maxTtlSeconds: number } | undefined;
    };
  readonly scopeHierarchy: CompiledScopeHierarchy;
  readonly mapClaims?: ClaimsMapper;
  /** What each trusted server's metadata must offer. */
  readonly metadataRequirements: ReadonlyMap<string, MetadataRequirements>;
  readonly introspection: {
    timeoutMs: number;
    /** The introspection cache, or `undefined` when off (the default). */
    cache: { maxTtlSeconds: number } | undefined;
  };
  readonly tenants: Required<TenantOptions>;
  /** The shared store given in the options; the in-memory one is used without it. */
  readonly store?: McpAuthStore;
  readonly verifyAccessToken?: VerifyAccessTokenFunction;
  readonly showErrorDetails: boolean;
  readonly allowInsecureHttp: boolean;
  readonly retryAfterSeconds: number;
  /** Whether decisions go to OpenTelemetry when it is installed. */
  readonly telemetry: boolean;
  /** Things worth a warning at bootstrap (never fatal). */
  readonly warnings: readonly string[];
}

/** Validates the options and applies defaults; throws {@link McpAuthOptionsError} naming every bad field. */
export function resolveMcpAuthOptions(options: McpAuthModuleOptions): ResolvedMcpAuthOptions {
  const problems = validateMcpAuthOptions(options);
  if (problems.length > 0) throw new McpAuthOptionsError(problems);

  const warnings: string[] = [];
  const authorizationServers = new Map<string, AuthorizationServerOptions>();
  const metadataRequirements = new Map<string, MetadataRequirements>();
  const resources = options.protectedResources.map((resource): ResolvedProtectedResource => {
    const servers = resource.authorizationServers.map(toAuthorizationServerOptions);
    const tokenFormat = resource.tokenFormat ?? 'jwt';
    const introspecting = tokenFormat === 'jwt' ? undefined : servers.find((server) => server.introspection);
    for (const server of servers) {
      authorizationServers.set(server.issuer, mergedServer(authorizationServers.get(server.issuer), server));
      const required = metadataRequirements.get(server.issuer) ?? { jwks: false, introspection: false };
      required.jwks ||= tokenFormat !== 'opaque' && options.verifyAccessToken === undefined;
      required.introspection ||= server === introspecting && !server.introspection?.endpoint;
      metadataRequirements.set(server.issuer, required);
    }
    if (servers.length === 0) {
      warnings.push(
        `Protected resource ${resource.resource} lists no authorization server, so its metadata advertises none and MCP clients cannot find one; list the default tenant's issuer`,
      );
    }
    if (resource.scopesSupported?.includes('offline_access')) {
      warnings.push(
        `Protected resource ${resource.resource}: "offline_access" is left out of scopes_supported and challenges (MCP 2026-07-28)`,
      );
    }
    return {
      options: resource,
      resource: resource.resource,
      audiences: [resource.resource, ...(resource.audiences ?? []).filter((audience) => audience !== resource.resource)],
      issuers: servers.map((server) => server.issuer),
      scopesSupported: (resource.scopesSupported ?? []).filter((scope) => scope !== 'offline_access'),
      metadataPath: protectedResourceMetadataPath(resource.resource),
      metadataUrl: protectedResourceMetadataUrl(resource.resource),
      resourceUrl: new URL(resource.resource),
      tokenFormat,
      introspectionIssuer: introspecting?.issuer,
      issuerResolver: resource.issuerResolver,
      dpop: resolveDpopPolicy(resource.dpop),
    };
  });

  if (options.allowInsecureHttp) {
    warnings.push('allowInsecureHttp is on: http issuers and endpoints are accepted on any host. Never use this in production.');
  }

  return {
    resources,
    authorizationServers,
    discovery: {
      timeoutMs: options.discovery?.timeoutMs ?? 5_000,
      retries: options.discovery?.retries ?? 2,
      retryDelayMs: options.discovery?.retryDelayMs ?? 250,
      failFast: options.discovery?.failFast ?? true,
      transformMetadata: options.discovery?.transformMetadata,
    },
    jwt: {
      algorithms: options.jwt?.algorithms ?? [...DEFAULT_ALLOWED_ALGORITHMS],
      clockToleranceSeconds: options.jwt?.clockToleranceSeconds ?? 5,
      maxTokenAgeSeconds: options.jwt?.maxTokenAgeSeconds,
      typ: options.jwt?.typ ?? 'lenient',
      requiredClaims: options.jwt?.requiredClaims ?? [],
      jwksCooldownSeconds: options.jwt?.jwksCooldownSeconds ?? 30,
      jwksCacheMaxAgeSeconds: options.jwt?.jwksCacheMaxAgeSeconds ?? 600,
      cache:
        options.jwt?.cache === false
          ? undefined
          : { maxEntries: options.jwt?.cache?.maxEntries ?? 10_000, maxTtlSeconds: options.jwt?.cache?.maxTtlSeconds ?? 300 },
    },
    scopeHierarchy: compileScopeHierarchy(options.scopeHierarchy),
    mapClaims: options.mapClaims,
    metadataRequirements,
    introspection: {
      timeoutMs: options.introspection?.timeoutMs ?? 5_000,
      cache:
        options.introspection?.cache === undefined || options.introspection.cache === false
          ? undefined
          : { maxTtlSeconds: options.introspection.cache.maxTtlSeconds ?? 300 },
    },
    tenants: {
      metadataTtlSeconds: options.tenants?.metadataTtlSeconds ?? 3_600,
      maxTenants: options.tenants?.maxTenants ?? 1_000,
    },
    store: options.store,
    verifyAccessToken: options.verifyAccessToken,
    showErrorDetails: options.showErrorDetails ?? false,
    allowInsecureHttp: options.allowInsecureHttp ?? false,
    retryAfterSeconds: options.retryAfterSeconds ?? 5,
    telemetry: options.telemetry ?? true,
    warnings,
  };
}

/** DPoP is off unless a resource asks for it: it needs the public URL as resource identifier and a shared store. */
function resolveDpopPolicy(option: DpopMode | DpopOptions | undefined): ResolvedDpopPolicy {
  const options: DpopOptions = typeof option === 'string' ? { mode: option } : (option ?? { mode: 'off' });
  const nonce = options.nonce;
  return {
    mode: options.mode,
    algorithms: options.algorithms ?? [...DEFAULT_ALLOWED_ALGORITHMS],
    proofMaxAgeSeconds: options.proofMaxAgeSeconds ?? 300,
    nonce:
      nonce === undefined || nonce === false
        ? undefined
        : nonce === true
          ? // One process: a key of its own. Several instances share `secret` so that each accepts the others' nonces.
            { secret: randomBytes(32), lifetimeSeconds: 300 }
          : { secret: new TextEncoder().encode(nonce.secret), lifetimeSeconds: nonce.lifetimeSeconds ?? 300 },
  };
}

/**
 * One issuer named by several resources is one server: the first entry's settings, completed by a later
 * entry's introspection client when the first had none (else the resource that introspects would find none).
 */
function mergedServer(first: AuthorizationServerOptions | undefined, next: AuthorizationServerOptions): AuthorizationServerOptions {
  if (!first) return next;
  return first.introspection || !next.introspection ? first : { ...first, introspection: next.introspection };
}
