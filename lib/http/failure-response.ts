import { AuthenticationFailure, InsufficientScopeFailure } from '../errors/authentication-failures.js';
import { buildBearerChallenge } from './www-authenticate.header.js';

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
  const challenge = buildBearerChallenge({
    error: failure.error,
    // No credentials, no error information at all (RFC 6750 §3.1, C5), even with showErrorDetails.
    errorDescription: failure.error === undefined ? undefined : description,
    scopes,
    resourceMetadataUrl: context.resourceMetadataUrl,
  });
  return {
    status: failure.status,
    headers: { 'WWW-Authenticate': challenge },
    // With no credentials there is no OAuth error to report (RFC 6750 §3.1); the body still says what to do.
    body: { error: failure.error ?? 'unauthorized', error_description: description ?? 'Bearer authentication is required' },
  };
}
