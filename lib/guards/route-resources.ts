import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../options/resolved-options.js';

/**
 * The protected resource of each route, resolved once at bootstrap (`RouteResourceResolver`) and read by the
 * guard on every request: two lookups instead of matching the request path against every resource. Keyed by
 * controller and handler both, because an inherited handler serves controllers whose paths differ.
 */
export class RouteResources {
  private readonly byController = new WeakMap<object, WeakMap<object, ResolvedProtectedResource>>();

  set(controller: object, handler: object, resource: ResolvedProtectedResource): void {
    let byHandler = this.byController.get(controller);
    if (!byHandler) this.byController.set(controller, (byHandler = new WeakMap()));
    byHandler.set(handler, resource);
  }

  get(controller: object, handler: object): ResolvedProtectedResource | undefined {
    return this.byController.get(controller)?.get(handler);
  }
}

const byOptions = new WeakMap<ResolvedMcpAuthOptions, RouteResources>();

/**
 * The route resources of the module instance whose resolved options these are. Reached through the options
 * because they are what every guard already receives: the guard's constructor is public API (subclasses
 * call `super(reflector, verifier, options)`, applications construct it), so it takes no new parameter.
 */
export function routeResourcesOf(options: ResolvedMcpAuthOptions): RouteResources {
  let resources = byOptions.get(options);
  if (!resources) byOptions.set(options, (resources = new RouteResources()));
  return resources;
}
