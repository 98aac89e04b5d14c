import {
  AuthenticationFailure,
  InsufficientScopeFailure,
  InvalidDpopProofFailure,
  UseDpopNonceFailure,
} from '../errors/authentication-failures.js';
import type { DpopMode } from '../options/mcp-auth-options.interface.js';
import { buildBearerChallenge, buildDpopChallenge, type BearerChallenge } from './www-authenticate.header.js';

/** A complete HTTP answer to a refused request. */
export interface FailureResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: string; error_description?: string };
}

export interface FailureResponseContext {
  /** The resource's metadata URL, for `resource_metadata` (C3). */
  resourceMetadataUrl: string;
  /** Scopes to name in a 401 challenge: the route's, else the resource's (C4). */
  challengeScopes: readonly string[];
  showErrorDetails: boolean;
  retryAfterSeconds: number;
  /** The resource's DPoP policy (RFC 9449); absent means Bearer only. */
  dpop?: { mode: DpopMode; algorithms: readonly string[]; nonce?: string };
  /** The scheme the request's credentials used, when it sent any: the challenge of a refusal answers in it. */
  scheme?: 'Bearer' | 'DPoP';
}

/**
 * The status, headers and JSON body for a failure (C1–C8, C15):
 * - no credentials → 401 `Bearer resource_metadata=…, scope=…` with no `error` (C5)
 * - malformed request → 400 `invalid_request`; bad token → 401 `invalid_token`
 * - missing scope → 403 `insufficient_scope` with every scope the operation needs (C8, C9)
 * - missing role → 403 `access_denied` without a challenge (C12)
 * - authorization server unreachable → 503 with `Retry-After`, no Bearer challenge (C15)
 * The description is generic unless details are switched on, and never contains the token.
 */
export function failureResponse(failure: AuthenticationFailure, context: FailureResponseContext): FailureResponse {
  const description = context.showErrorDetails ? failure.detail : failure.publicDescription;
  if (failure.status === 503) {
    return {
      status: 503,
      headers: { 'Retry-After': String(context.retryAfterSeconds) },
      body: { error: failure.error!, error_description: description },
    };
  }
  if (failure.status === 403 && !(failure instanceof InsufficientScopeFailure)) {
    // A permission the token can't gain by step-up (C12): no challenge, so no client tries to re-authorize.
    return { status: 403, headers: {}, body: { error: failure.error ?? 'access_denied', error_description: description } };
  }
  const scopes = failure instanceof InsufficientScopeFailure ? failure.requiredScopes : context.challengeScopes;
  const bare: BearerChallenge = { scopes, resourceMetadataUrl: context.resourceMetadataUrl };
  const withError: BearerChallenge = {
    ...bare,
    error: failure.error,
    // No credentials, no error information at all (RFC 6750 §3.1, C5), even with showErrorDetails.
    errorDescription: failure.error === undefined ? undefined : description,
  };
  const headers: Record<string, string> = { 'WWW-Authenticate': challenges(failure, context, bare, withError) };
  if (failure instanceof UseDpopNonceFailure && context.dpop?.nonce) headers['DPoP-Nonce'] = context.dpop.nonce;
  return {
    status: failure.status,
    headers,
    // With no credentials there is no OAuth error to report (RFC 6750 §3.1); the body still says what to do.
    body: { error: failure.error ?? 'unauthorized', error_description: description ?? 'Bearer authentication is required' },
  };
}

/**
 * The `WWW-Authenticate` value: one challenge per scheme the resource accepts (RFC 9449 §7.1: `Bearer` and
 * `DPoP` side by side when both are), the error on the one the client used. A 403 answers in the scheme the
 * caller used only: it has a token, and steps up with the same kind.
 */
function challenges(failure: AuthenticationFailure, context: FailureResponseContext, bare: BearerChallenge, withError: BearerChallenge): string {
  const mode = context.dpop?.mode ?? 'off';
  const dpop = (challenge: BearerChallenge) => buildDpopChallenge({ ...challenge, algorithms: context.dpop?.algorithms ?? [] });
  const errorIsDpop = failure instanceof InvalidDpopProofFailure || failure instanceof UseDpopNonceFailure || context.scheme === 'DPoP';
  if (failure instanceof InsufficientScopeFailure) return errorIsDpop && mode !== 'off' ? dpop(withError) : buildBearerChallenge(withError);
  const answered: string[] = [];
  if (mode !== 'required') answered.push(buildBearerChallenge(errorIsDpop ? bare : withError));
  if (mode !== 'off') answered.push(dpop(errorIsDpop ? withError : bare));
  return answered.join(', ');
}
