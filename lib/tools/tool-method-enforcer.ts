import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { McpAuthContext } from '../context/mcp-auth-context.js';
import type { AuthInfoParameter } from '../decorators/auth-info.decorator.js';
import { MCP_AUTH_ENFORCED_METHOD, MCP_AUTH_INFO_PARAMETERS, MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { guardToolMethod } from './tool-method-guard.js';
import { toolMethodScopes } from './tool-scope-requirements.js';

/**
 * At bootstrap, finds provider methods marked with `@RequireScopes()` or with `@AuthInfo()` parameters
 * (MCP tool implementations) and wraps them on their instance so they check the current caller and
 * receive its AuthInfo. Controllers are left alone: for them `BearerAuthGuard` does the work.
 */
@Injectable()
export class ToolMethodEnforcer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly context: McpAuthContext,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype || prototype === Object.prototype) continue;
      for (const name of this.scanner.getAllMethodNames(prototype)) this.enforce(instance, prototype, name);
    }
  }

  private enforce(instance: Record<string, unknown>, prototype: object, name: string): void {
    const method = instance[name] as ((...args: unknown[]) => unknown) & { [MCP_AUTH_ENFORCED_METHOD]?: true };
    if (typeof method !== 'function' || method[MCP_AUTH_ENFORCED_METHOD]) return;
    const authInfoParameters = (Reflect.getMetadata(MCP_AUTH_INFO_PARAMETERS, method) as AuthInfoParameter[] | undefined) ?? [];
    const requiredScopes = toolMethodScopes(this.reflector, prototype.constructor, name);
    if (requiredScopes === undefined && authInfoParameters.length === 0) return;

    const guarded = guardToolMethod(method, {
      name: `${prototype.constructor.name}.${name}`,
      requiredScopes: requiredScopes ?? [],
      authInfoParameters,
      hierarchy: this.options.scopeHierarchy,
      currentAuth: () => this.context.get(),
    });
    Object.defineProperty(guarded, MCP_AUTH_ENFORCED_METHOD, { value: true });
    instance[name] = guarded;
  }
}
