import {
  Controller,
  Get,
  Injectable,
  Module,
  RequestMethod,
  UseGuards,
  UseInterceptors,
  type CallHandler,
  type CanActivate,
  type MiddlewareConsumer,
  type NestInterceptor,
  type NestModule,
  type Type,
} from '@nestjs/common';
import type { RequestHandler } from 'express';
import { RESPONSE_BODY, type ServerConfig } from '../protocol.js';
import { isMcpRoute, ROUTES, type RouteName } from '../variants.js';
import { auth0Middleware, mcpAuthMiddleware, mcpSdkMiddleware, type PeerSettings } from './peers.js';

// One controller per route, all with the same handler: `GET /<name>/mcp` → `{ "ok": true }`. The MCP pair
// (mcp-routes.ts) answers a `POST` through the MCP SDK instead.

@Controller('open')
export class OpenController {
  @Get('mcp')
  handle() {
    return RESPONSE_BODY;
  }
}

/** An async guard that lets everything through: the framework's cost of running a guard like ours. */
@Injectable()
class NoopAsyncGuard implements CanActivate {
  async canActivate(): Promise<boolean> {
    return true;
  }
}

/** An interceptor that passes the call on: what Nest's interceptor pipeline alone costs a route. */
@Injectable()
class PassThroughInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler) {
    return next.handle();
  }
}

@Controller('noop-guard')
@UseGuards(NoopAsyncGuard)
export class NoopGuardController {
  @Get('mcp')
  handle() {
    return RESPONSE_BODY;
  }
}

@Controller('noop-guard-interceptor')
@UseGuards(NoopAsyncGuard)
@UseInterceptors(PassThroughInterceptor)
export class NoopGuardInterceptorController {
  @Get('mcp')
  handle() {
    return RESPONSE_BODY;
  }
}

@Controller('mcp-auth')
export class McpAuthPeerController {
  @Get('mcp')
  handle() {
    return RESPONSE_BODY;
  }
}

@Controller('auth0')
export class Auth0PeerController {
  @Get('mcp')
  handle() {
    return RESPONSE_BODY;
  }
}

@Controller('mcp-sdk')
export class McpSdkPeerController {
  @Get('mcp')
  handle() {
    return RESPONSE_BODY;
  }
}

const CONTROLLERS: Record<Exclude<RouteName, OurRoute | 'mcp-open'>, Type> = {
  open: OpenController,
  'noop-guard': NoopGuardController,
  'noop-guard-interceptor': NoopGuardInterceptorController,
  'mcp-auth': McpAuthPeerController,
  auth0: Auth0PeerController,
  'mcp-sdk': McpSdkPeerController,
};

/** The routes behind our guard, served from guarded-route.ts and mcp-routes.ts; mounting one mounts our module. */
type OurRoute = 'guard' | 'dpop' | 'mcp-guard';
const OUR_ROUTES: readonly RouteName[] = ['guard', 'dpop', 'mcp-guard'] satisfies OurRoute[];

export function mountsOurModule(routes: readonly RouteName[]): boolean {
  return routes.some((route) => OUR_ROUTES.includes(route));
}

const PEER_MIDDLEWARE: Partial<Record<RouteName, (settings: PeerSettings) => Promise<RequestHandler[]>>> = {
  'mcp-auth': mcpAuthMiddleware,
  auth0: auth0Middleware,
  'mcp-sdk': mcpSdkMiddleware,
};

/**
 * The benchmark application with only the routes asked for: our module (trusting both dev authorization
 * servers) when a route behind our guard is mounted, and each peer as Express middleware in front of its route,
 * applied the Nest way with a `MiddlewareConsumer`. Ours and the peers are loaded only when mounted, so
 * each app's bootstrap time is its own.
 */
export async function createBenchAppModule(config: ServerConfig): Promise<Type<NestModule>> {
  const peers = new Map<RouteName, RequestHandler[]>();
  for (const route of config.routes) {
    const create = PEER_MIDDLEWARE[route];
    if (create) peers.set(route, await create({ resource: config.resource, issuer: config.rsIssuer }));
  }
  const guarded = mountsOurModule(config.routes) ? await import('./guarded-route.js') : undefined;
  const mcp = config.routes.some(isMcpRoute) ? await import('./mcp-routes.js') : undefined;
  const controllers: Record<RouteName, Type | undefined> = {
    ...CONTROLLERS,
    guard: guarded?.GuardedController,
    dpop: guarded?.DpopGuardedController,
    'mcp-open': mcp?.McpOpenController,
    'mcp-guard': mcp?.McpGuardedController,
  };

  @Module({
    imports: guarded ? [guarded.guardedModule(config)] : [],
    controllers: config.routes.map((route) => controllers[route]!),
  })
  class BenchAppModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      for (const [route, middleware] of peers) {
        consumer.apply(...middleware).forRoutes({ path: ROUTES[route].slice(1), method: RequestMethod.GET });
      }
    }
  }
  return BenchAppModule;
}
