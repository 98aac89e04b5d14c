import { Reflector } from '@nestjs/core';

/**
 * Names the protected resource (its identifier, as configured) that a controller or route belongs to.
 * Needed only when an application serves several resources whose paths don't tell them apart; otherwise
 * the guard matches the request path against each resource identifier's path.
 */
export const ProtectedResource = Reflector.createDecorator<string>();
