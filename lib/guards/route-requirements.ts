import type { Reflector } from '@nestjs/core';
import { ProtectedResource } from '../decorators/protected-resource.decorator.js';
import { RequiredRoles } from '../decorators/require-roles.decorator.js';
import { RequiredScopes } from '../decorators/require-scopes.decorator.js';
import { unionScopes } from '../scopes/scope-matching.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** What a route declares with decorators: fixed for the life of the application. */
export interface RouteRequirements {
  /** `@RequireScopes()`, class ∪ handler. */
  scopes: string[];
  /** `@RequireRoles()`, class ∪ handler. */
  roles: string[];
  /** `@ProtectedResource()`, handler over class. */
  declaredResource: string | undefined;
}

/**
 * Reads a route's decorator metadata once per controller class and handler, instead of on every request:
 * metadata doesn't change after bootstrap, and the guard runs on every call of every guarded route.
 * Keyed by class and handler both, because an inherited handler is shared by controllers whose
 * class-level requirements differ.
 */
export class RouteRequirementsCache {
  private readonly byClass = new WeakMap<AnyFunction, WeakMap<AnyFunction, RouteRequirements>>();

  constructor(private readonly reflector: Reflector) {}

  for(type: AnyFunction, handler: AnyFunction): RouteRequirements {
    let byHandler = this.byClass.get(type);
    if (!byHandler) this.byClass.set(type, (byHandler = new WeakMap()));
    let requirements = byHandler.get(handler);
    if (!requirements) byHandler.set(handler, (requirements = this.read(type, handler)));
    return requirements;
  }

  private read(type: AnyFunction, handler: AnyFunction): RouteRequirements {
    return {
      scopes: unionScopes(this.reflector.get(RequiredScopes, type), this.reflector.get(RequiredScopes, handler)),
      roles: unionScopes(this.reflector.get(RequiredRoles, type), this.reflector.get(RequiredRoles, handler)),
      declaredResource: this.reflector.getAllAndOverride(ProtectedResource, [handler, type]),
    };
  }
}
