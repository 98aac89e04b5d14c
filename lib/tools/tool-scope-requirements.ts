import type { Reflector } from '@nestjs/core';
import { RequiredScopes } from '../decorators/require-scopes.decorator.js';
import { unionScopes } from '../scopes/scope-matching.js';

/** A tool provider method: the class (or instance) and the method name. */
export type ToolMethodTarget = { target: object; method: string | symbol };

/**
 * The scopes a tool method declares with `@RequireScopes()`: class ∪ method, or `undefined` when the
 * method has no method-level declaration (then it isn't a scoped tool method).
 */
export function toolMethodScopes(reflector: Reflector, target: object, method: string | symbol): string[] | undefined {
  const type = typeof target === 'function' ? target : target.constructor;
  const implementation = (type.prototype as Record<string | symbol, unknown>)[method];
  if (typeof implementation !== 'function') {
    throw new Error(`${type.name}.${String(method)} is not a method`);
  }
  const methodScopes = reflector.get(RequiredScopes, implementation as (...args: unknown[]) => unknown);
  if (methodScopes === undefined) return undefined;
  return unionScopes(reflector.get(RequiredScopes, type as new (...args: unknown[]) => unknown), methodScopes);
}
