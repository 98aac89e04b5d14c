import { InvalidTokenFailure } from '../errors/authentication-failures.js';

/** What a verified JWT's claims must satisfy for one protected resource (RFC 9068 §4, RFC 7519 §4.1). */
export interface JwtClaimsPolicy {
  /** The one issuer whose key verified the signature: `iss` must equal it exactly (T7). */
  issuer: string;
  /** `aud` (a string or an array) must contain at least one of these (T8). */
  audiences: readonly string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds (T9). */
  clockToleranceSeconds: number;
  /** When set, `iat` is required and may be at most this old (T10). */
  maxTokenAgeSeconds?: number;
  /** Claims that must be present besides `iss`, `aud` and `exp`. */
  requiredClaims: readonly string[];
}

/**
 * Checks the registered claims of a JWT whose signature is already verified, at `nowSeconds`: `iss`, `aud`,
 * `exp` (required), `nbf`, `iat` (never in the future, and not too old under a maximum age), and every
 * required claim. Throws an {@link InvalidTokenFailure} in our own words; returns nothing when all hold.
 * Pure: the clock comes in as an argument.
 */
export function validateJwtClaims(claims: Readonly<Record<string, unknown>>, policy: JwtClaimsPolicy, nowSeconds: number): void {
  const maxAge = policy.maxTokenAgeSeconds;
  for (const claim of ['iss', 'aud', 'exp', ...(maxAge === undefined ? [] : ['iat']), ...policy.requiredClaims]) {
    // Own members only: a claim named like something every object inherits (`constructor`) is no exception.
    if (!Object.hasOwn(claims, claim) || claims[claim] === undefined) throw new InvalidTokenFailure(`The token lacks the required "${claim}" claim`);
  }
  if (claims.iss !== policy.issuer) throw notAccepted('iss');
  if (!audienceAccepted(claims.aud, policy.audiences)) throw notAccepted('aud');

  const tolerance = policy.clockToleranceSeconds;
  const { exp, nbf, iat } = claims;
  if (!isNumericDate(exp)) throw notAccepted('exp');
  if (exp <= nowSeconds - tolerance) throw new InvalidTokenFailure('The token has expired');
  if (nbf !== undefined && (!isNumericDate(nbf) || nbf > nowSeconds + tolerance)) throw notAccepted('nbf');
  if (iat !== undefined) {
    if (!isNumericDate(iat)) throw notAccepted('iat');
    if (iat > nowSeconds + tolerance) throw new InvalidTokenFailure('The token was issued in the future');
    if (maxAge !== undefined && nowSeconds - iat - tolerance > maxAge) throw new InvalidTokenFailure('The token has expired');
  }
}

function audienceAccepted(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud);
  return Array.isArray(aud) && aud.some((value) => typeof value === 'string' && accepted.includes(value));
}

/** RFC 7519 §2 NumericDate: seconds since the epoch, a finite JSON number. */
function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function notAccepted(claim: string): InvalidTokenFailure {
  return new InvalidTokenFailure(`The token's "${claim}" claim is not accepted`);
}
