import type { ClaimsMapper } from '../options/mcp-auth-options.interface.js';
import type { ResolvedProtectedResource } from '../options/resolved-options.js';
import type { AuthInfo } from './auth-info.interface.js';

/**
 * Scopes from `scope` (RFC 9068 §2.2.3: one space-separated string) or, failing that, `scp` (Okta, Entra:
 * an array or a string). Anything else yields no scopes rather than an error.
 */
export function scopesFromClaims(claims: Readonly<Record<string, unknown>>): string[] {
  return stringList(claims.scope ?? claims.scp);
}

/** Roles from the `roles` claim (RFC 9068 §7.2.1.1: an array, or a space-separated string). */
export function rolesFromClaims(claims: Readonly<Record<string, unknown>>): string[] {
  return stringList(claims.roles);
}

/** A claim holding a list of strings: an array (non-strings dropped) or a space-separated string. */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item !== '');
  return [];
}

/** The token's `aud` as an array (RFC 7519 allows a single string). */
export function audienceFromClaims(claims: Readonly<Record<string, unknown>>): string[] {
  const { aud } = claims;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
}

/**
 * Builds the {@link AuthInfo} of a verified token for the resource that accepted it. `mapClaims` may
 * override scopes, client id and subject for providers that keep them elsewhere.
 */
export function authInfoFromClaims(
  token: string,
  claims: Readonly<Record<string, unknown>>,
  resource: ResolvedProtectedResource,
  mapClaims?: ClaimsMapper,
): AuthInfo {
  const mapped = mapClaims?.(claims) ?? {};
  const issuer = claims.iss as string;
  const subject = mapped.subject ?? (typeof claims.sub === 'string' ? claims.sub : undefined);
  const clientId = mapped.clientId ?? stringClaim(claims.client_id) ?? stringClaim(claims.azp) ?? '';
  // A client_credentials token has no person behind it: no `sub`, or `sub` equal to the client (X4).
  const principalType = subject === undefined || subject === clientId ? 'client' : 'user';
  const info: Omit<AuthInfo, 'token'> = {
    clientId,
    scopes: mapped.scopes ?? scopesFromClaims(claims),
    roles: mapped.roles ?? rolesFromClaims(claims),
    ...(mapped.tenant === undefined ? {} : { tenant: mapped.tenant }),
    expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
    resource: resource.resourceUrl,
    resourceMetadataUrl: resource.metadataUrl,
    issuer,
    subject,
    audience: audienceFromClaims(claims),
    principalId: principalType === 'user' ? `${issuer}#sub:${subject}` : `${issuer}#client:${clientId}`,
    principalType,
    ...dpopBinding(claims),
    claims,
  };
  return withHiddenToken(info, token);
}

/** Attaches the raw token as a non-enumerable property: readable by the SDK, invisible to logs and JSON. */
export function withHiddenToken<T extends object>(info: T, token: string): T & { readonly token: string } {
  return Object.defineProperty(info, 'token', { value: token, enumerable: false, writable: false, configurable: false }) as T & {
    readonly token: string;
  };
}

/**
 * The key a DPoP-bound token is bound to (RFC 9449 §6: `cnf.jkt`). A `jkt` that is not a thumbprint binds the
 * token to no key at all: it can then never be used, neither as Bearer nor with a proof.
 */
function dpopBinding(claims: Readonly<Record<string, unknown>>): { dpopThumbprint?: string } {
  const confirmation = claims.cnf;
  if (typeof confirmation !== 'object' || confirmation === null || !('jkt' in confirmation)) return {};
  const jkt = (confirmation as { jkt?: unknown }).jkt;
  return { dpopThumbprint: typeof jkt === 'string' && /^[A-Za-z0-9_-]{43}$/.test(jkt) ? jkt : UNUSABLE_BINDING };
}

/** Matches no RFC 7638 SHA-256 thumbprint (43 base64url characters), so no proof's key ever fits it. */
const UNUSABLE_BINDING = '(malformed cnf.jkt)';

/** A claim that holds a non-empty string, else `undefined`. */
export function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
