import type { Reflector } from '@nestjs/core';
import { RequiredRoles } from '../decorators/require-roles.decorator.js';
import { RequiredScopes } from '../decorators/require-scopes.decorator.js';
import { unionScopes } from '../scopes/scope-matching.js';

/** What a tool method declares about its callers: class ∪ method, for scopes and for roles. */
export interface ToolMethodRequirements {
  scopes: string[];
  roles: string[];
}

type AnyFunction = (...args: unknown[]) => unknown;

/** The class and the method implementation of a tool method, whether given a class or an instance. */
function resolveToolMethod(target: object, method: string | symbol): { type: AnyFunction; implementation: AnyFunction } {
  const type = (typeof target === 'function' ? target : target.constructor) as AnyFunction;
  const implementation = (type.prototype as Record<string | symbol, unknown>)[method];
  if (typeof implementation !== 'function') {
    throw new Error(`${type.name}.${String(method)} is not a method`);
  }
  return { type, implementation: implementation as AnyFunction };
}

/**
 * Everything a tool method requires, or `undefined` when it declares nothing at method level (neither
 * `@RequireScopes()` nor `@RequireRoles()`): class-level declarations apply only to declared tool methods,
 * so lifecycle hooks and helpers of the same class are never wrapped.
 */
export function toolMethodRequirements(reflector: Reflector, target: object, method: string | symbol): ToolMethodRequirements | undefined {
  const { type, implementation } = resolveToolMethod(target, method);
  const methodScopes = reflector.get(RequiredScopes, implementation);
  const methodRoles = reflector.get(RequiredRoles, implementation);
  if (methodScopes === undefined && methodRoles === undefined) return undefined;
  return {
    scopes: unionScopes(reflector.get(RequiredScopes, type), methodScopes),
    roles: unionScopes(reflector.get(RequiredRoles, type), methodRoles),
  };
}
