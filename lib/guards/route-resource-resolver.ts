import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, DiscoveryService, HttpAdapterHost, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { ProtectedResource } from '../decorators/protected-resource.decorator.js';
import { UnresolvedProtectedResourceError, type UnresolvedRoute } from '../errors/unresolved-resource.error.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { controllerRoutes } from './controller-routes.js';
import { resourceForRoutePaths } from './resource-for-route.js';
import { RoutePaths } from './route-paths.js';
import { routeResourcesOf } from './route-resources.js';

/**
 * Resolves the protected resource of every route when the application initialises, so that a route guarded
 * by `BearerAuthGuard` that belongs to no configured resource fails `app.init()` with
 * {@link UnresolvedProtectedResourceError}, instead of answering every request with a 500.
 *
 * Runs in `onModuleInit`: Nest registers the routes (with the global prefix, versioning and `RouterModule`
 * paths, all set before `init()`) just before it calls that hook, and the application listens only after it.
 *
 * Routes without `@UseGuards(BearerAuthGuard)` are resolved too, for a global guard (`APP_GUARD`) to read,
 * but one that fits no resource is not an error: a global guard may well let it through (a health check, a
 * `@Public()` route) without asking for a resource. Only a `@ProtectedResource()` naming a resource that is
 * not configured is always a mistake.
 */
@Injectable()
export class RouteResourceResolver implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly config: ApplicationConfig,
    private readonly modules: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
  ) {}

  onModuleInit(): void {
    // An application context (no HTTP adapter) serves no routes.
    if (!this.adapterHost.httpAdapter) return;
    const routePaths = new RoutePaths(this.config, this.modules.applicationId);
    const resolved = routeResourcesOf(this.options);
    const unresolved: UnresolvedRoute[] = [];
    for (const route of controllerRoutes(this.discovery, this.scanner)) {
      const declared = this.reflector.getAllAndOverride(ProtectedResource, [route.handler, route.controller]);
      const served = routePaths.of(route);
      const outcome = resourceForRoutePaths(
        this.options.resources,
        declared,
        served.map(({ path }) => path),
      );
      if (outcome.kind === 'resolved') {
        resolved.set(route.controller, route.handler, outcome.resource);
      } else if (outcome.kind === 'unresolved' && (route.guarded || declared !== undefined)) {
        unresolved.push({
          route: `${route.controller.name}.${route.methodName}`,
          paths: served.filter(({ path }) => outcome.paths.includes(path)).map(({ method, path }) => `${method} ${path}`),
          declared,
        });
      }
    }
    if (unresolved.length > 0) {
      throw new UnresolvedProtectedResourceError(
        unresolved,
        this.options.resources.map(({ resource }) => resource),
      );
    }
  }
}
