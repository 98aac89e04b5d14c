import { Injectable, UseInterceptors, type Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { BearerAuthGuard } from '../guards/bearer-auth.guard.js';
import { McpAuthContext } from './mcp-auth-context.js';
import { McpAuthContextInterceptor } from './mcp-auth-context.interceptor.js';

// `@UseGuards()` / `@UseInterceptors()` metadata keys (@nestjs/common).
const GUARDS_METADATA = '__guards__';
const INTERCEPTORS_METADATA = '__interceptors__';

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Binds {@link McpAuthContextInterceptor} to exactly the controllers and routes that use `BearerAuthGuard`
 * (or a subclass), so `McpAuthContext` works there and every other route of the application runs without
 * an extra interceptor. Done in the constructor because Nest reads a route's interceptors when it registers
 * the route, before any lifecycle hook; an interceptor instance is bound, as the controller's module need
 * not provide the class.
 */
@Injectable()
export class McpAuthContextBinder {
  private readonly interceptor: McpAuthContextInterceptor;

  constructor(discovery: DiscoveryService, scanner: MetadataScanner, context: McpAuthContext) {
    this.interceptor = new McpAuthContextInterceptor(context);
    for (const wrapper of discovery.getControllers()) {
      const type = wrapper.metatype as Type | undefined;
      if (typeof type !== 'function') continue;
      if (usesBearerGuard(type)) {
        this.bind(type);
        continue;
      }
      const prototype = type.prototype as Record<string, AnyFunction>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler === 'function' && usesBearerGuard(handler)) this.bind(prototype, name, handler);
      }
    }
  }

  private bind(target: Type | object, name?: string, handler?: AnyFunction): void {
    const bound = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler ?? target) as unknown[] | undefined) ?? [];
    if (bound.some((interceptor) => interceptor instanceof McpAuthContextInterceptor)) return;
    if (name === undefined) UseInterceptors(this.interceptor)(target as Type);
    else UseInterceptors(this.interceptor)(target, name, { value: handler });
  }
}

function usesBearerGuard(target: object): boolean {
  const guards = (Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? [];
  return guards.some(
    (guard) =>
      guard instanceof BearerAuthGuard ||
      (typeof guard === 'function' && (guard === BearerAuthGuard || guard.prototype instanceof BearerAuthGuard)),
  );
}
