/** A route whose protected resource can't be told, and why. */
export interface UnresolvedRoute {
  /** `NotesController.list`. */
  route: string;
  /** The paths that fit no resource, each with its method: `GET /api/notes`. */
  paths: readonly string[];
  /** What `@ProtectedResource()` names, when it names a resource that is not configured. */
  declared?: string;
}

/**
 * Thrown by `app.init()` (and so by `app.listen()`) when a route guarded by `BearerAuthGuard` belongs to no
 * configured protected resource: several resources are configured, the route has no `@ProtectedResource()`,
 * and no resource identifier's path is a prefix of the route's path; or `@ProtectedResource()` names a
 * resource that is not configured. Such a route could only ever answer 500. The message names every such
 * route, its paths, the configured resources, and what to change.
 */
export class UnresolvedProtectedResourceError extends Error {
  readonly code = 'MCP_AUTH_UNRESOLVED_RESOURCE';

  constructor(
    readonly routes: readonly UnresolvedRoute[],
    /** The identifiers of the configured protected resources. */
    readonly configured: readonly string[],
  ) {
    super(
      `Cannot tell which protected resource ${routes.length === 1 ? 'this route belongs' : `these ${routes.length} routes belong`} to:\n` +
        routes.map((route) => `  - ${route.route} (${route.paths.join(', ')}): ${reason(route)}`).join('\n') +
        `\nConfigured resources: ${configured.join(', ')}.\n` +
        'Name the resource with @ProtectedResource(<one of the identifiers above>) on the controller or the handler, ' +
        "or serve the route under a resource identifier's path.",
    );
    this.name = 'UnresolvedProtectedResourceError';
  }
}

function reason(route: UnresolvedRoute): string {
  return route.declared === undefined
    ? "no configured resource identifier's path is a prefix of its path"
    : `@ProtectedResource("${route.declared}") names a resource that is not configured`;
}
