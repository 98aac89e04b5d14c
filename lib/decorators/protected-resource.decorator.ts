import { Reflector } from '@nestjs/core';

/**
 * Names the protected resource (its identifier, as configured) that a controller or route belongs to.
 * Needed only when an application serves several resources whose paths don't tell them apart; otherwise
 * each route's path (global prefix, version and `RouterModule` path included) is matched against each
 * resource identifier's path when the application initialises. A guarded route that fits no resource, or a
 * name that is not configured, fails `app.init()` with `UnresolvedProtectedResourceError`.
 */
export const ProtectedResource = Reflector.createDecorator<string>();
