import { Reflector } from '@nestjs/core';

/** Route metadata written by {@link RequireScopes}; read with `reflector.getAllAndMerge`. */
export const RequiredScopes = Reflector.createDecorator<string[]>();

/**
 * Scopes an operation needs, all of them (hierarchies honoured). On a controller or tool-provider class
 * and its methods the lists add up: class ∪ method. On a route, checked by `BearerAuthGuard` (403
 * `insufficient_scope` listing all of them); on an MCP tool provider method, it is that tool's one
 * declaration of scopes, enforced by the scope challenge and by the method itself.
 */
export function RequireScopes(...scopes: string[]): ClassDecorator & MethodDecorator {
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope)) {
      throw new TypeError(`@RequireScopes(): ${JSON.stringify(scope)} is not a valid OAuth scope token (RFC 6749 §3.3)`);
    }
  }
  return RequiredScopes(scopes);
}
