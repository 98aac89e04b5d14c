import { Reflector } from '@nestjs/core';

/** Route metadata written by {@link RequireRoles}. */
export const RequiredRoles = Reflector.createDecorator<string[]>();

/**
 * Roles the caller must hold, all of them (`AuthInfo.roles`, filled from the `roles` claim or a claim
 * mapping preset). Class ∪ method, like `@RequireScopes()`. A caller without them gets 403 without an
 * `insufficient_scope` challenge (C12): asking the authorization server for more scopes would not help.
 */
export function RequireRoles(...roles: string[]): ClassDecorator & MethodDecorator {
  for (const role of roles) {
    if (typeof role !== 'string' || role === '') throw new TypeError(`@RequireRoles(): ${JSON.stringify(role)} is not a role name`);
  }
  return RequiredRoles(roles);
}
