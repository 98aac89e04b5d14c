import type { ClaimsMapper, MappedClaims } from '../options/mcp-auth-options.interface.js';
import { stringClaim, stringList } from '../verification/token-claims.js';

// Each preset reads a provider's access token claims as that provider documents them, so that scopes,
// roles, client id and tenant land in AuthInfo the same way whichever provider issued the token. Use one
// as `mapClaims`, globally or per authorization server.

/**
 * Keycloak: scopes from `scope`; roles from `realm_access.roles` plus `resource_access.<client>.roles` of
 * the given clients (the resource server's own client, typically); client id from `azp`; tenant = the realm.
 */
export function keycloakClaims(options: { clients?: string[] } = {}): ClaimsMapper {
  return (claims) => {
    const resourceAccess = objectClaim(claims.resource_access);
    const clientRoles = (options.clients ?? []).flatMap((client) => stringList(objectClaim(resourceAccess?.[client])?.roles));
    return defined({
      scopes: stringList(claims.scope),
      roles: unique([...stringList(objectClaim(claims.realm_access)?.roles), ...clientRoles]),
      clientId: stringClaim(claims.azp) ?? stringClaim(claims.client_id),
      tenant: typeof claims.iss === 'string' ? /\/realms\/([^/]+)$/.exec(claims.iss)?.[1] : undefined,
    });
  };
}

/**
 * Auth0: scopes from `scope` plus the RBAC `permissions` array; roles from a namespaced custom claim
 * added by an Action (e.g. `https://notes.example.com/roles`); client id from `azp`; tenant = `org_id`
 * (Auth0 Organizations).
 */
export function auth0Claims(options: { rolesClaim?: string } = {}): ClaimsMapper {
  return (claims) =>
    defined({
      scopes: unique([...stringList(claims.scope), ...stringList(claims.permissions)]),
      roles: stringList(options.rolesClaim === undefined ? claims.roles : claims[options.rolesClaim]),
      clientId: stringClaim(claims.azp) ?? stringClaim(claims.client_id),
      tenant: stringClaim(claims.org_id),
    });
}

/**
 * Microsoft Entra ID: delegated scopes from `scp` (a space-separated string), app roles and application
 * permissions from `roles`, client id from `azp` (v2 tokens) or `appid` (v1), tenant = `tid`.
 */
export function entraIdClaims(): ClaimsMapper {
  return (claims) =>
    defined({
      scopes: stringList(claims.scp),
      roles: stringList(claims.roles),
      clientId: stringClaim(claims.azp) ?? stringClaim(claims.appid),
      tenant: stringClaim(claims.tid),
    });
}

/** Okta: scopes from `scp` (an array), client id from `cid`, roles from a groups claim (default `groups`). */
export function oktaClaims(options: { rolesClaim?: string } = {}): ClaimsMapper {
  return (claims) =>
    defined({
      scopes: stringList(claims.scp),
      roles: stringList(claims[options.rolesClaim ?? 'groups']),
      clientId: stringClaim(claims.cid),
    });
}

/** Amazon Cognito: scopes from `scope`, client id from `client_id`, roles from `cognito:groups`. */
export function cognitoClaims(): ClaimsMapper {
  return (claims) =>
    defined({
      scopes: stringList(claims.scope),
      roles: stringList(claims['cognito:groups']),
      clientId: stringClaim(claims.client_id),
    });
}

function objectClaim(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Leaves out what a token did not say, so AuthInfo falls back to the standard claims for it. */
function defined(mapped: MappedClaims): MappedClaims {
  return Object.fromEntries(Object.entries(mapped).filter(([, value]) => value !== undefined));
}
