import { AuthorizationServerUnavailableFailure, InvalidTokenFailure } from '../errors/authentication-failures.js';
import type { IntrospectionClientOptions } from '../options/mcp-auth-options.interface.js';
import { clientAuthentication } from './introspection-client-auth.js';
import { isTimeout, networkErrorCode } from '../common/network-error-reason.js';
import { readLimitedBody } from '../common/read-limited-body.js';

/** What the authorization server said about a token. */
export type IntrospectionResult = { active: true; claims: Record<string, unknown> } | { active: false };

export interface IntrospectionRequest {
  endpoint: string;
  token: string;
  /** The authorization server's issuer identifier (the audience of a client assertion). */
  issuer: string;
  client: IntrospectionClientOptions;
  timeoutMs: number;
}

/** An introspection response is a small JSON object; anything bigger is not one. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Asks the authorization server about a token (RFC 7662 §2.1): a POST of `token` and
 * `token_type_hint=access_token`, client-authenticated, no redirects, bounded by a timeout.
 *
 * Only a well-formed answer decides about the token: `active: true` with its claims, or `active: false`.
 * Everything else is an outage (503), never `invalid_token`, so clients keep good tokens: no answer in
 * time, a network error, a 5xx, a non-JSON body or a JSON without a boolean `active`, and also a refusal
 * of our own credentials (401/403 — a configuration problem worth an operator's attention). The one 4xx
 * about the token itself, `unsupported_token_type`, means it is no token this server knows: 401.
 */
export async function introspectToken(request: IntrospectionRequest): Promise<IntrospectionResult> {
  const auth = await clientAuthentication(request.client, request.issuer);
  const body = new URLSearchParams({ token: request.token, token_type_hint: 'access_token', ...auth.params });
  let response: Response;
  try {
    response = await fetch(request.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...auth.headers },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    throw new AuthorizationServerUnavailableFailure(`Introspection at ${request.endpoint} failed: ${isTimeout(error) ? `no answer within ${request.timeoutMs} ms` : networkErrorCode(error)}`);
  }
  try {
    const document = await readJsonObject(response);
    if (response.status === 400 && document?.error === 'unsupported_token_type') {
      throw new InvalidTokenFailure('The authorization server does not introspect this kind of token');
    }
    if (response.status !== 200) {
      const error = typeof document?.error === 'string' ? ` (${document.error.replace(/[^\x20-\x7E]/g, '').slice(0, 64)})` : '';
      const hint = response.status === 401 || response.status === 403 ? '; check the introspection client credentials' : '';
      throw new AuthorizationServerUnavailableFailure(`Introspection at ${request.endpoint} answered HTTP ${response.status}${error}${hint}`);
    }
    if (!document || typeof document.active !== 'boolean') {
      throw new AuthorizationServerUnavailableFailure(`Introspection at ${request.endpoint} answered without a boolean "active"`);
    }
    return document.active ? { active: true, claims: document } : { active: false };
  } finally {
    await response.body?.cancel().catch(() => undefined);
  }
}

/** The body as a JSON object, or `undefined` when it is not one; an outage when it can't be read. */
async function readJsonObject(response: Response): Promise<Record<string, unknown> | undefined> {
  let text: string | undefined;
  try {
    text = await readLimitedBody(response, MAX_RESPONSE_BYTES);
    if (text === undefined) return undefined;
  } catch {
    throw new AuthorizationServerUnavailableFailure('The introspection response could not be read');
  }
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
