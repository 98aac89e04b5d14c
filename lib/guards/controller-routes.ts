import type { Type } from '@nestjs/common';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { BearerAuthGuard } from './bearer-auth.guard.js';

/** A route handler, as Nest registers it from a controller's prototype. */
export interface ControllerRoute {
  controller: Type;
  /** The module that declares the controller (a `RouterModule` path belongs to it). */
  module: Type | undefined;
  methodName: string;
  /** The handler on the prototype now: what Nest calls, and what `ExecutionContext.getHandler()` returns. */
  handler: RouteHandler;
  /** Whether `@UseGuards()` on the class or the method names `BearerAuthGuard` or a subclass. */
  guarded: boolean;
}

export type RouteHandler = (...args: unknown[]) => unknown;

/**
 * Every route handler of every controller in the application. Handlers are read off the prototype at the
 * time of the call, so a walk made after `McpAuthContextBinder` sees the handlers Nest registered.
 */
export function controllerRoutes(discovery: DiscoveryService, scanner: MetadataScanner): ControllerRoute[] {
  const routes: ControllerRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type | undefined;
    if (typeof controller !== 'function') continue;
    const module = wrapper.host?.metatype;
    const guardedClass = usesBearerGuard(controller);
    const prototype = controller.prototype as Record<string, RouteHandler>;
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[methodName];
      if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      routes.push({ controller, module, methodName, handler, guarded: guardedClass || usesBearerGuard(handler) });
    }
  }
  return routes;
}

function usesBearerGuard(target: object): boolean {
  const guards = (Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? [];
  return guards.some(
    (guard) =>
      guard instanceof BearerAuthGuard ||
      (typeof guard === 'function' && (guard === BearerAuthGuard || guard.prototype instanceof BearerAuthGuard)),
  );
}
