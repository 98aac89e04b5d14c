import { createRemoteJWKSet, errors, type JWTHeaderParameters, type FlattenedJWSInput } from 'jose';
import { AuthorizationServerUnavailableFailure, InvalidTokenFailure } from '../errors/authentication-failures.js';

/** Resolves the verification key for a token's header, as `jose.jwtVerify` expects. */
export type KeyResolver = ReturnType<typeof createRemoteJWKSet>;

/** The key jose verifies with. */
type VerificationKey = Awaited<ReturnType<KeyResolver>>;

export interface KeySetOptions {
  timeoutMs: number;
  cooldownSeconds: number;
  cacheMaxAgeSeconds: number;
  /** After a failed JWKS fetch, answer 503 without refetching for this long, so an outage isn't amplified. */
  failureBackoffSeconds: number;
  /** Most key sets held; the least recently created goes first. Default: no limit. */
  maxIssuers?: number;
}

/**
 * One remote JWKS per trusted issuer, created from the `jwks_uri` of its validated metadata and never from
 * anything in a token (`jku`, `x5u` and embedded `jwk` are ignored: RFC 8725 §3.10). jose caches the set,
 * refetches on an unknown `kid` at most once per cooldown (T14), and single-flights concurrent fetches.
 * A fetch that fails is an outage (503), not an invalid token.
 */
export class IssuerKeySets {
  private readonly keySets = new Map<string, { jwksUri: string; resolver: KeyResolver; failedUntil: number }>();

  constructor(private readonly options: KeySetOptions) {}

  /** The key resolver for an issuer, turning fetch failures into {@link AuthorizationServerUnavailableFailure}. */
  resolverFor(issuer: string, jwksUri: string): (header: JWTHeaderParameters, token: FlattenedJWSInput) => Promise<VerificationKey> {
    const entry = this.entryFor(issuer, jwksUri);
    return async (header, token) => {
      if (Date.now() < entry.failedUntil && !entry.resolver.fresh) {
        throw new AuthorizationServerUnavailableFailure(`The JWKS of ${issuer} failed recently; not refetching yet`);
      }
      try {
        return (await entry.resolver(header, token));
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
          throw new InvalidTokenFailure('No key of the issuer matches the token header');
        }
        entry.failedUntil = Date.now() + this.options.failureBackoffSeconds * 1000;
        throw new AuthorizationServerUnavailableFailure(`The JWKS of ${issuer} could not be fetched (${describe(error)})`);
      }
    };
  }

  /** Fetches an issuer's keys ahead of the first request. Best-effort: returns whether it worked. */
  async prefetch(issuer: string, jwksUri: string): Promise<boolean> {
    try {
      await this.entryFor(issuer, jwksUri).resolver.reload();
      return true;
    } catch {
      return false;
    }
  }

  private entryFor(issuer: string, jwksUri: string) {
    let entry = this.keySets.get(issuer);
    if (!entry || entry.jwksUri !== jwksUri) {
      entry = {
        jwksUri,
        failedUntil: 0,
        resolver: createRemoteJWKSet(new URL(jwksUri), {
          timeoutDuration: this.options.timeoutMs,
          cooldownDuration: this.options.cooldownSeconds * 1000,
          cacheMaxAge: this.options.cacheMaxAgeSeconds * 1000,
        }),
      };
      this.keySets.delete(issuer);
      if (this.keySets.size >= (this.options.maxIssuers ?? Infinity)) this.keySets.delete(this.keySets.keys().next().value!);
      this.keySets.set(issuer, entry);
    }
    return entry;
  }
}

/** A short, safe reason for logs: jose's error code or the network error code, never a response body. */
function describe(error: unknown): string {
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC' ? error.message : error.code;
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (error instanceof Error ? error.name : 'unknown error');
}
