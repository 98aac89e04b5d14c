import { InvalidTokenFailure } from '../errors/authentication-failures.js';
import { audienceFromClaims } from '../verification/token-claims.js';

export interface IntrospectionExpectations {
  /** The issuer of the server that answered. */
  issuer: string;
  /** The resource's accepted audiences. */
  audiences: readonly string[];
  clockToleranceSeconds: number;
  /** Seconds since the epoch. */
  now: number;
}

/**
 * Checks an active introspection response as strictly as a JWT (RFC 7662 §2.2, MCP token handling):
 * - `iss`, when given, is exactly the server asked (T7); when absent, it is that server;
 * - `aud` contains one of the resource's accepted audiences; a response without `aud` is refused (I3, T8);
 * - `exp` and `nbf`, when given, hold with the clock tolerance (T9);
 * - `token_type`, when given, is `Bearer`, or `DPoP` for a token bound to a key (`cnf.jkt`). The binding itself
 *   (`cnf`) is left to the guard, as for a JWT: it holds the token to its proof (RFC 9449 §7), and refuses one
 *   bound to something it cannot check (an mTLS `x5t#S256`) however it is presented.
 * Returns the claims with `iss` filled in.
 */
export function verifyIntrospectionClaims(
  claims: Readonly<Record<string, unknown>>,
  expected: IntrospectionExpectations,
): Record<string, unknown> {
  if (claims.iss !== undefined && claims.iss !== expected.issuer) {
    throw new InvalidTokenFailure('The introspected token was issued by another issuer');
  }
  const audience = audienceFromClaims(claims);
  if (!audience.some((value) => expected.audiences.includes(value))) {
    throw new InvalidTokenFailure(audience.length === 0 ? 'The introspected token has no audience' : 'The introspected token is for another audience');
  }
  const { exp, nbf, token_type: tokenType, cnf } = claims;
  if (exp !== undefined && (typeof exp !== 'number' || exp <= expected.now - expected.clockToleranceSeconds)) {
    throw new InvalidTokenFailure('The token has expired');
  }
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > expected.now + expected.clockToleranceSeconds)) {
    throw new InvalidTokenFailure('The token is not valid yet');
  }
  const type = typeof tokenType === 'string' ? tokenType.toLowerCase() : tokenType;
  const dpopBound = typeof cnf === 'object' && cnf !== null && 'jkt' in cnf;
  if (type !== undefined && type !== 'bearer' && !(type === 'dpop' && dpopBound)) {
    throw new InvalidTokenFailure('The introspected token is not an access token of a type this resource accepts');
  }
  return { ...claims, iss: expected.issuer };
}
