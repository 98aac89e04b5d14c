import { Injectable, Req, type Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { controllerRoutes } from '../guards/controller-routes.js';
import { McpAuthContext } from './mcp-auth-context.js';
import { verifiedAuthInfo } from './verified-auth-info.js';

const ENTERS_CONTEXT = Symbol('nestjs-mcp-auth:enters-context');

type Handler = ((...args: unknown[]) => unknown) & { [ENTERS_CONTEXT]?: true };

/**
 * Makes `McpAuthContext` work on exactly the routes that use `BearerAuthGuard` (or a subclass), at the cost
 * of one function call per request. Each such route handler is wrapped so that it runs inside the verified
 * caller's context; the wrapper gets the request from one extra, hidden `@Req()` parameter (the cheapest
 * kind Nest resolves: no pipes, no execution context) and reads the caller the guard verified off it. An
 * interceptor would do the same job, but Nest's interceptor pipeline costs a guarded route more than the
 * whole guard does.
 *
 * Done in the constructor: Nest reads a route's handler and parameters when it registers the route, before
 * any lifecycle hook. Routes guarded some other way (a global `APP_GUARD`) need `McpAuthContextInterceptor`.
 */
@Injectable()
export class McpAuthContextBinder {
  constructor(
    discovery: DiscoveryService,
    scanner: MetadataScanner,
    private readonly context: McpAuthContext,
  ) {
    for (const route of controllerRoutes(discovery, scanner)) {
      if (route.guarded) this.enterContextOnCall(route.controller, route.methodName, route.handler);
    }
  }

  private enterContextOnCall(type: Type, name: string, handler: Handler): void {
    if (handler[ENTERS_CONTEXT]) return;
    const prototype = type.prototype as Record<string, Handler>;
    const index = nextParameterIndex(type, name, handler);
    Req()(prototype, name, index);

    const context = this.context;
    const entering: Handler = function (this: unknown, ...args: unknown[]) {
      const auth = verifiedAuthInfo(args[index] as object);
      // Nest passes exactly the declared parameters, so the hidden one is last: `pop()` is much cheaper
      // than setting `length`, which V8 does in its runtime.
      if (args.length === index + 1) args.pop();
      else args.length = index;
      return auth ? context.run(auth, () => handler.apply(this, args)) : handler.apply(this, args);
    };
    // The handler's own metadata (route path, method, guards, scopes…) must stay readable on what Nest calls.
    for (const key of Reflect.getOwnMetadataKeys(handler)) {
      Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, handler), entering);
    }
    Object.defineProperty(entering, 'name', { value: handler.name });
    Object.defineProperty(entering, ENTERS_CONTEXT, { value: true });
    prototype[name] = entering;
  }
}

/** The first parameter index after every declared and decorated one. */
function nextParameterIndex(type: Type, name: string, handler: Handler): number {
  const declared = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, name) as Record<string, { index: number }> | undefined) ?? {};
  return Math.max(handler.length - 1, ...Object.values(declared).map((parameter) => parameter.index)) + 1;
}
