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
 * - `token_type`, when given, is `Bearer`, and a sender-constrained token (`cnf`) is refused: it was
 *   presented as a plain bearer token (RFC 9449 §7.2, K3).
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
  if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) {
    throw new InvalidTokenFailure('The introspected token is not a bearer access token');
  }
  if (cnf !== undefined) throw new InvalidTokenFailure('A sender-constrained token was presented as a bearer token');
  return { ...claims, iss: expected.issuer };
}
