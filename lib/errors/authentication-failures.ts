/**
 * Why a request was not let through. Each failure knows its HTTP status and RFC 6750 error code; the
 * guard turns it into a challenge. `detail` is written by this library only (never a token, never a
 * third-party message) and is shown to clients only with `showErrorDetails`.
 */
export abstract class AuthenticationFailure extends Error {
  /** HTTP status of the response. */
  abstract readonly status: 400 | 401 | 403 | 503;
  /** RFC 6750 `error` value; absent when no credentials were sent (RFC 6750 §3.1). */
  abstract readonly error:
    | 'invalid_request'
    | 'invalid_token'
    | 'insufficient_scope'
    | 'access_denied'
    | 'temporarily_unavailable'
    | 'invalid_dpop_proof'
    | 'use_dpop_nonce'
    | undefined;
  /** Safe, generic description sent to clients by default. */
  abstract readonly publicDescription: string | undefined;

  constructor(readonly detail: string) {
    super(detail);
    this.name = new.target.name;
  }
}

/** No credentials, or a scheme other than Bearer: 401 with a bare challenge (RFC 6750 §3.1). */
export class MissingCredentialsFailure extends AuthenticationFailure {
  readonly status = 401;
  readonly error = undefined;
  readonly publicDescription = undefined;
}

/** A malformed request, such as two Authorization headers: 400 `invalid_request` (RFC 6750 §3.1). */
export class InvalidRequestFailure extends AuthenticationFailure {
  readonly status = 400;
  readonly error = 'invalid_request';
  readonly publicDescription = 'The request is malformed';
}

/** The token is expired, revoked, malformed, or not for this resource: 401 `invalid_token`. */
export class InvalidTokenFailure extends AuthenticationFailure {
  readonly status = 401;
  readonly error = 'invalid_token';
  readonly publicDescription = 'The access token is invalid';
}

/** The token is valid but lacks scopes the operation needs: 403 `insufficient_scope` (MCP step-up). */
export class InsufficientScopeFailure extends AuthenticationFailure {
  readonly status = 403;
  readonly error = 'insufficient_scope';
  readonly publicDescription = 'The access token lacks a required scope';

  constructor(
    /** Every scope the operation needs, for the challenge's `scope` (MCP 2026-07-28 C9). */
    readonly requiredScopes: readonly string[],
    detail = `Required scopes: ${requiredScopes.join(' ')}`,
  ) {
    super(detail);
  }
}

/**
 * The token is valid but its caller lacks a role the operation needs: 403 with no Bearer challenge, since
 * no scope the client could ask for would help (C12: never `insufficient_scope`).
 */
export class InsufficientRoleFailure extends AuthenticationFailure {
  readonly status = 403;
  readonly error = 'access_denied';
  readonly publicDescription = 'The caller lacks a role this operation requires';

  constructor(
    readonly requiredRoles: readonly string[],
    detail = `Required roles: ${requiredRoles.join(' ')}`,
  ) {
    super(detail);
  }
}

/**
 * The authorization server or its JWKS could not be reached or answered garbage. Not the client's fault,
 * so a 503 with `Retry-After` rather than `invalid_token` (which would make clients drop good tokens).
 */
export class AuthorizationServerUnavailableFailure extends AuthenticationFailure {
  readonly status = 503;
  readonly error = 'temporarily_unavailable';
  readonly publicDescription = 'The authorization server is temporarily unavailable';
}

/** A DPoP proof that is missing, malformed, for another request or key, or replayed: 401 `invalid_dpop_proof` (RFC 9449 §7.1). */
export class InvalidDpopProofFailure extends AuthenticationFailure {
  readonly status = 401;
  readonly error = 'invalid_dpop_proof';
  readonly publicDescription = 'The DPoP proof is invalid';
}

/** A DPoP proof without the nonce the server requires (RFC 9449 §9): 401 `use_dpop_nonce`, with a fresh `DPoP-Nonce`. */
export class UseDpopNonceFailure extends AuthenticationFailure {
  readonly status = 401;
  readonly error = 'use_dpop_nonce';
  readonly publicDescription = 'Use the nonce in the DPoP-Nonce header';
}

/**
 * Shared state the decision needs (the DPoP replay markers in `McpAuthStore`) could not be read or written.
 * A proof that cannot be checked for replay is refused with 503, never accepted.
 */
export class StoreUnavailableFailure extends AuthenticationFailure {
  readonly status = 503;
  readonly error = 'temporarily_unavailable';
  readonly publicDescription = 'The service is temporarily unavailable';
}
