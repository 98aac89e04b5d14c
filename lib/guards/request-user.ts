import { deepFreeze } from '../common/deep-freeze.js';
import { effectiveScopes, type CompiledScopeHierarchy } from '../scopes/scope-matching.js';
import type { AuthInfo } from '../verification/auth-info.interface.js';

/**
 * What `BearerAuthGuard` puts on `req.user`: the verified claims, with the fields that NestJS authorization
 * code conventionally reads there normalised. MCP-Nest's `@ToolScopes()` / `@ToolRoles()` and its step-up
 * challenge read `scope` (or `scopes`) and `roles` from it, so they work off our guard with no glue.
 * It never holds the raw token.
 */
export interface RequestUser {
  /** Every verified claim of the access token. */
  [claim: string]: unknown;
  /** The `sub` claim, when present. */
  sub?: string;
  /** The OAuth client the token was issued to. */
  client_id: string;
  /** The issuer that signed the token. */
  iss: string;
  /** Granted scopes and those they imply through `scopeHierarchy`, space-separated (OAuth `scope` syntax). */
  scope: string;
  /** The same scopes, as an array. */
  scopes: string[];
  /** The caller's roles, as in `AuthInfo`: the `roles` claim, or where a claim mapping found them. */
  roles: string[];
}

/** Builds the `req.user` of a verified caller. */
export function requestUserFromAuthInfo(auth: AuthInfo, hierarchy: CompiledScopeHierarchy): RequestUser {
  // A token served from the verified-token cache shares its frozen claims with every earlier request, so
  // its `req.user`, built from nothing else, is built once and shared (frozen) too.
  if (Object.isFrozen(auth.claims)) {
    let user = sharedUsers.get(auth.claims);
    if (!user) sharedUsers.set(auth.claims, (user = deepFreeze(buildRequestUser(auth, hierarchy))));
    return user;
  }
  return buildRequestUser(auth, hierarchy);
}

const sharedUsers = new WeakMap<object, RequestUser>();

function buildRequestUser(auth: AuthInfo, hierarchy: CompiledScopeHierarchy): RequestUser {
  const scopes = [...effectiveScopes(auth.scopes, hierarchy)];
  return {
    ...auth.claims,
    sub: auth.subject,
    client_id: auth.clientId,
    iss: auth.issuer,
    scope: scopes.join(' '),
    scopes,
    roles: [...auth.roles],
  };
}
