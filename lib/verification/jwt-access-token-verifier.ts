import { Inject, Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { thenMaybe, type MaybePromise } from '../common/maybe-promise.js';
import { AuthorizationServerRegistry } from '../discovery/authorization-server-registry.js';
import type { TrustedAuthorizationServer } from '../discovery/tenant-authorization-servers.js';
import { InvalidTokenFailure } from '../errors/authentication-failures.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../options/resolved-options.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import type { AuthInfo } from './auth-info.interface.js';
import { decodeCompactJws, isCompactJws, type DecodedCompactJws } from './compact-jws.js';
import { IssuerKeySets, type KeySetHealth } from './issuer-key-sets.js';
import { verifyJwsSignature } from './jws-signature.js';
import { validateJwtClaims } from './jwt-claims-validation.js';
import { authInfoFromClaims } from './token-claims.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

// RFC 9068 §4: `at+jwt` (or its full media type) marks an access token. `JWT` and no `typ` are accepted
// in lenient mode only because many providers (Auth0, Entra, Keycloak) still issue them.
const STRICT_TYP = new Set(['at+jwt', 'application/at+jwt']);
const LENIENT_TYP = new Set([...STRICT_TYP, 'jwt', 'application/jwt']);

/** Whether a JOSE header's `typ` passes the `typ` policy (T6); shared with `nestjs-mcp-auth doctor`. */
export function isAcceptedTokenType(typ: unknown, policy: 'strict' | 'lenient'): boolean {
  if (typ === undefined) return policy === 'lenient';
  return typeof typ === 'string' && (policy === 'strict' ? STRICT_TYP : LENIENT_TYP).has(typ.toLowerCase());
}
// Claims defined for OpenID Connect ID tokens only (OIDC Core §2, §3.1.3.6, §3.3.2.11; FAPI `s_hash`).
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash', 's_hash'];

/**
 * Verifies JWT access tokens (RFC 9068, RFC 8725) against the trusted issuers' JWKS:
 * asymmetric allow-listed algorithms only (T5), `typ` policy (T6), `iss` exactly one trusted issuer with
 * the key set chosen by it (T7, T13), `aud` containing an accepted audience (T8), `exp` required and
 * `nbf` / `iat` checked with a small tolerance (T9), optional maximum age and required claims (T10).
 * Cheap structural checks run first, so garbage never reaches the network or the crypto.
 */
@Injectable()
export class JwtAccessTokenVerifier extends AccessTokenVerifier {
  private readonly keySets: IssuerKeySets;
  private readonly cache: VerifiedTokenCache | undefined;
  private readonly algorithms: ReadonlySet<string>;

  constructor(
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
    private readonly registry: AuthorizationServerRegistry,
  ) {
    super();
    this.algorithms = new Set(options.jwt.algorithms);
    this.keySets = new IssuerKeySets({
      timeoutMs: options.discovery.timeoutMs,
      cooldownSeconds: options.jwt.jwksCooldownSeconds,
      cacheMaxAgeSeconds: options.jwt.jwksCacheMaxAgeSeconds,
      failureBackoffSeconds: Math.min(options.retryAfterSeconds, 5),
      // Tenants come and go at run time: their key sets are capped like their metadata.
      maxIssuers: options.authorizationServers.size + options.tenants.maxTenants,
    });
    this.cache = options.jwt.cache && new VerifiedTokenCache(options.jwt.cache);
  }

  /**
   * Fetches now the keys of every discovered issuer whose JWTs some resource verifies with them, so the first
   * request does not wait. Issuers only introspected, or only seen by `verifyAccessToken`, are left alone.
   * Best-effort.
   */
  async prefetchKeys(): Promise<void> {
    const withKeys = this.registry
      .readyServers()
      .filter(([issuer, metadata]) => metadata.jwks_uri !== undefined && this.options.metadataRequirements.get(issuer)?.jwks);
    await Promise.all(withKeys.map(([issuer, metadata]) => this.keySets.prefetch(issuer, metadata.jwks_uri!)));
  }

  /** How an issuer's keys stand, from the last fetches (never a request): for health checks. */
  keySetHealth(issuer: string): KeySetHealth | undefined {
    return this.keySets.health(issuer);
  }

  /** Refetches an issuer's keys now (a health check whose view is stale); whether it worked. */
  refreshKeys(issuer: string, jwksUri: string): Promise<boolean> {
    return this.keySets.prefetch(issuer, jwksUri);
  }

  async verify(token: string, resource: ResolvedProtectedResource): Promise<AuthInfo> {
    return this.verifySyncIfPossible(token, resource);
  }

  /**
   * Synchronous for a token verified recently (the cache); a new one is a promise, settled once its signature
   * has been checked on the thread pool. The steps before that (structure, header, issuer, key) take no
   * promise when the issuer's metadata and key are at hand.
   */
  override verifySyncIfPossible(token: string, resource: ResolvedProtectedResource): MaybePromise<AuthInfo> {
    if (!this.cache) return this.verifyJwt(token, resource);
    const key = this.cache.keyFor(token, resource.resource);
    const cached = this.cache.get(key, token);
    if (cached) return cached;
    return thenMaybe(this.verifyJwt(token, resource), (auth) => {
      this.cache!.set(key, auth, this.cacheDeadline(auth));
      return auth;
    });
  }

  /** When a verified token stops being valid: its `exp`, or sooner its maximum age. In milliseconds. */
  private cacheDeadline(auth: AuthInfo): number {
    const expiresAt = (auth.expiresAt ?? 0) * 1000;
    const { iat } = auth.claims;
    const maxAge = this.options.jwt.maxTokenAgeSeconds;
    return maxAge !== undefined && typeof iat === 'number' ? Math.min(expiresAt, (iat + maxAge) * 1000) : expiresAt;
  }

  private verifyJwt(token: string, resource: ResolvedProtectedResource): MaybePromise<AuthInfo> {
    // Three canonical base64url parts: not a JWE (five), not unsigned (empty signature), no re-spelled part.
    if (!isCompactJws(token)) throw new InvalidTokenFailure('The token is not a canonically encoded compact JWS');
    const jws = decodeCompactJws(token);
    if (!jws) throw new InvalidTokenFailure('The token is not a well-formed JWT');
    const alg = this.checkHeader(jws.header);
    const issuer = jws.claims.iss;
    if (typeof issuer !== 'string') throw new InvalidTokenFailure('The token names no issuer');
    // The issuer picks the key set, and an untrusted issuer is refused before any network request (T13):
    // a configured one, or one the resource's issuerResolver accepts (a tenant).
    return thenMaybe(this.registry.trustedServer(issuer, resource), (trusted) => {
      const jwksUri = trusted.metadata.jwks_uri;
      if (jwksUri === undefined) throw new InvalidTokenFailure('The token issuer publishes no keys');
      const key = this.keySets.keyFor(issuer, jwksUri, { alg, kid: jws.header.kid as string | undefined });
      return thenMaybe(key, (resolved) => this.checkSignatureAndClaims(token, jws, alg, resolved, trusted, resource));
    });
  }

  private async checkSignatureAndClaims(
    token: string,
    jws: DecodedCompactJws,
    alg: string,
    key: KeyObject,
    server: TrustedAuthorizationServer,
    resource: ResolvedProtectedResource,
  ): Promise<AuthInfo> {
    if (!(await verifyJwsSignature(alg, key, jws.signingInput, jws.signature))) throw new InvalidTokenFailure('The token signature is invalid');
    const { claims } = jws;
    const { jwt } = this.options;
    validateJwtClaims(
      claims,
      {
        issuer: server.issuer,
        audiences: resource.audiences,
        clockToleranceSeconds: jwt.clockToleranceSeconds,
        maxTokenAgeSeconds: jwt.maxTokenAgeSeconds,
        requiredClaims: jwt.requiredClaims,
      },
      Math.floor(Date.now() / 1000),
    );
    // An OpenID Connect ID token is not an access token (RFC 9068 §5, RFC 8725 §3.12). `nonce` is optional
    // in the code flow, so the hash claims only ID tokens carry count as well.
    if (ID_TOKEN_CLAIMS.some((claim) => claim in claims)) throw new InvalidTokenFailure('The token is an ID token, not an access token');
    return authInfoFromClaims(token, claims, resource, server.options.mapClaims ?? this.options.mapClaims);
  }

  /** Checks the JOSE header (T5, T6) and returns its algorithm. */
  private checkHeader(header: Readonly<Record<string, unknown>>): string {
    const { alg, typ, cty } = header;
    if (typeof alg !== 'string' || !this.algorithms.has(alg)) throw new InvalidTokenFailure('The token algorithm is not allowed');
    if (!isAcceptedTokenType(typ, this.options.jwt.typ)) {
      throw new InvalidTokenFailure('The token type is not an access token type');
    }
    if (typeof cty === 'string' && cty.toUpperCase() === 'JWT') throw new InvalidTokenFailure('Nested JWTs are not accepted');
    // RFC 7515 §4.1.11: extensions listed in `crit` must be understood; we understand none (and RFC 7797's
    // unencoded payload, the usual one, is never allowed in a JWT).
    if (header.crit !== undefined) throw new InvalidTokenFailure('The token header has critical extensions');
    if (header.kid !== undefined && typeof header.kid !== 'string') throw new InvalidTokenFailure('The token key id is not a string');
    return alg;
  }
}
