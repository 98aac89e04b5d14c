import { HttpException } from '@nestjs/common';
import { AuthenticationFailure, AuthorizationServerUnavailableFailure, InvalidTokenFailure } from '../errors/authentication-failures.js';

/** What an error thrown by application verification code turns into, and what to log about it. */
export interface VerifierErrorOutcome {
  /** Thrown on to the guard: one of our failures, or an `HttpException` the application chose. */
  error: AuthenticationFailure | HttpException;
  /** A line for the error log, without the token; only for errors nobody meant to send to a client. */
  log?: string;
}

// jose error codes that say something about the token (→ 401) or about fetching keys (→ 503). Matched by
// code, not class, because application code may bundle its own copy of jose.
const JOSE_TOKEN_ERRORS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWE_INVALID',
  'ERR_JWE_DECRYPTION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);
const JOSE_OUTAGE_ERRORS = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/**
 * Maps whatever a custom verifier (a class given as `verifier`, or the `verifyAccessToken` function) threw:
 * - our failures keep their status (`InvalidTokenFailure` 401, `AuthorizationServerUnavailableFailure` 503…);
 * - a Nest `HttpException` with status 401 becomes `invalid_token`, so the client still gets the RFC 6750
 *   challenge; other `HttpException`s are the application's deliberate answer and pass unchanged;
 * - jose's token errors (expired, bad signature, wrong claim…) are `invalid_token`; its key-fetch errors 503;
 * - anything else is a fault we can't attribute to the token (a token service down, a bug): 503 with
 *   `Retry-After`, never 401, which would make clients throw away a good token, and never a 500 page.
 *   It is logged at error level with the token cut out of the message and stack.
 */
export function outcomeOfVerifierError(error: unknown, token: string): VerifierErrorOutcome {
  if (error instanceof AuthenticationFailure) return { error };
  if (error instanceof HttpException) {
    return error.getStatus() === 401 ? { error: new InvalidTokenFailure('The custom verifier answered 401') } : { error };
  }
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : undefined;
  if (code !== undefined && JOSE_TOKEN_ERRORS.has(code)) return { error: new InvalidTokenFailure(`The custom verifier refused the token (${code})`) };
  if (code !== undefined && JOSE_OUTAGE_ERRORS.has(code)) return { error: new AuthorizationServerUnavailableFailure(`The custom verifier could not get keys (${code})`) };
  const description = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
  return {
    error: new AuthorizationServerUnavailableFailure('The custom verifier failed'),
    log: `The custom access token verifier threw; answering 503. ${redact(description, token)}`,
  };
}

/** Cuts the token, and any long piece of it, out of text that is about to be logged (X2). */
export function redact(text: string, token: string): string {
  if (token.length === 0) return text;
  let redacted = text.split(token).join('[token]');
  // A JWT's signature or payload alone still identifies the token.
  for (const part of token.split('.')) if (part.length >= 16) redacted = redacted.split(part).join('[token]');
  return redacted;
}
