import { Inject, Injectable, UseGuards, type OnModuleInit, type Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { McpAuthContext } from '../context/mcp-auth-context.js';
import { McpAuthEvents } from '../events/mcp-auth-events.js';
import type { AuthInfoParameter } from '../decorators/auth-info.decorator.js';
import { MCP_AUTH_ENFORCED_METHOD, MCP_AUTH_INFO_PARAMETERS, MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { MessageHandlerScopeGuard } from './message-handler-scope.guard.js';
import { guardToolMethod, type ToolMethodPolicy } from './tool-method-guard.js';
import { toolMethodRequirements } from './tool-scope-requirements.js';

// `@MessagePattern()` metadata (@nestjs/microservices), which MCP-Nest's `@Tool()` sets on its handlers.
const MESSAGE_PATTERN_METADATA = 'microservices:pattern';

/**
 * At bootstrap, finds provider methods marked with `@RequireScopes()`, `@RequireRoles()` or with `@AuthInfo()` parameters
 * (MCP tool implementations) and wraps them on their instance so they check the current caller and
 * receive its AuthInfo. Controller routes are left alone: for them `BearerAuthGuard` does the work.
 *
 * Controller message handlers (microservice `@MessagePattern()`s, such as MCP-Nest tools) marked with
 * `@RequireScopes()` or `@RequireRoles()` are never seen by that guard, so they get a {@link MessageHandlerScopeGuard}; their
 * `@AuthInfo()` parameters read `McpAuthContext` themselves.
 */
@Injectable()
export class ToolMethodEnforcer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly context: McpAuthContext,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
    private readonly events: McpAuthEvents,
  ) {
    // A hybrid application binds message handlers, and reads their guards, when the microservice is
    // connected: before any lifecycle hook. So their guards are added now, while the app is created.
    for (const wrapper of this.discovery.getControllers()) this.guardMessageHandlers(wrapper.metatype as Type);
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype || prototype === Object.prototype) continue;
      // A prototype that names another class as its constructor is not a class's own (ioredis mixes
      // EventEmitter into Redis.prototype, `constructor` included): its methods cannot be looked up through it,
      // and none of them carries our decorators. Providing an ioredis client (`provide: Redis`) must not fail.
      if ((prototype.constructor as { prototype?: unknown } | undefined)?.prototype !== prototype) continue;
      for (const name of this.scanner.getAllMethodNames(prototype)) this.enforce(instance, prototype, name);
    }
  }

  /** Publishes a tool method's decisions, when anyone listens (listeners may subscribe after bootstrap). */
  private publishTo(toolMethod: string): NonNullable<ToolMethodPolicy['decided']> {
    const events = this.events;
    return (refusal, auth) => {
      if (events.enabled) events.toolDecided(toolMethod, auth, refusal);
    };
  }

  private guardMessageHandlers(type: Type): void {
    const prototype = type.prototype as Record<string, unknown>;
    for (const name of this.scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(MESSAGE_PATTERN_METADATA, handler) === undefined) continue;
      const requirements = toolMethodRequirements(this.reflector, type, name);
      const guards = (Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? [];
      if (requirements === undefined || guards.some((guard) => guard instanceof MessageHandlerScopeGuard)) continue;
      const guard = new MessageHandlerScopeGuard({
        name: `${type.name}.${name}`,
        requiredScopes: requirements.scopes,
        requiredRoles: requirements.roles,
        hierarchy: this.options.scopeHierarchy,
        currentAuth: () => this.context.get(),
        decided: this.publishTo(`${type.name}.${name}`),
      });
      UseGuards(guard)(prototype, name, { value: handler });
    }
  }

  private enforce(instance: Record<string, unknown>, prototype: object, name: string): void {
    const method = instance[name] as ((...args: unknown[]) => unknown) & { [MCP_AUTH_ENFORCED_METHOD]?: true };
    if (typeof method !== 'function' || method[MCP_AUTH_ENFORCED_METHOD]) return;
    const authInfoParameters = (Reflect.getMetadata(MCP_AUTH_INFO_PARAMETERS, method) as AuthInfoParameter[] | undefined) ?? [];
    const requirements = toolMethodRequirements(this.reflector, prototype.constructor, name);
    if (requirements === undefined && authInfoParameters.length === 0) return;

    const guarded = guardToolMethod(method, {
      name: `${prototype.constructor.name}.${name}`,
      requiredScopes: requirements?.scopes ?? [],
      requiredRoles: requirements?.roles ?? [],
      authInfoParameters,
      hierarchy: this.options.scopeHierarchy,
      currentAuth: () => this.context.get(),
      decided: this.publishTo(`${prototype.constructor.name}.${name}`),
    });
    Object.defineProperty(guarded, MCP_AUTH_ENFORCED_METHOD, { value: true });
    instance[name] = guarded;
  }
}
