import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { McpOperationsOptions } from '../options/mcp-auth-options.interface.js';
import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../options/resolved-options.js';
import { operationsDeclaredBy } from './declared-operations.js';
import type { McpOperationKind } from './mcp-operation.js';
import { OperationRequirementsTable } from './operation-requirements.js';
import type { ResourceOperations } from './request-operation.js';

type AnyFunction = (...args: unknown[]) => unknown;

const OPTION_KINDS: ReadonlyArray<[keyof McpOperationsOptions & ('tools' | 'resources' | 'prompts'), McpOperationKind]> = [
  ['tools', 'tool'],
  ['resources', 'resource'],
  ['prompts', 'prompt'],
];

/**
 * Every MCP operation the application declares and what it needs, per protected resource: the methods
 * named with `@McpTool()` & co. or MCP-Nest's decorators (they serve whichever resource routes to them),
 * plus each resource's own `mcp` option. Read once, when the application initialises.
 */
@Injectable()
export class McpOperationCatalogue implements OnModuleInit {
  private byResource?: Map<ResolvedProtectedResource, ResourceOperations>;
  private declared?: OperationRequirementsTable;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
  ) {}

  onModuleInit(): void {
    this.byResource ??= this.build();
  }

  /** How `resource` authorizes MCP operations. */
  forResource(resource: ResolvedProtectedResource): ResourceOperations {
    this.byResource ??= this.build();
    return this.byResource.get(resource) ?? { table: new OperationRequirementsTable(), publicDiscover: false };
  }

  /** The operations declared by methods, which apply on every resource. */
  applicationWide(): OperationRequirementsTable {
    this.byResource ??= this.build();
    return this.declared!;
  }

  /** The resource a verified caller's token was accepted for (`AuthInfo.resource`), if it is one of ours. */
  resourceFor(resourceUrl: URL | undefined): ResolvedProtectedResource | undefined {
    if (!resourceUrl) return undefined;
    return this.options.resources.find((resource) => resource.resourceUrl.href === resourceUrl.href);
  }

  private build(): Map<ResolvedProtectedResource, ResourceOperations> {
    const declared = (this.declared = this.declaredByMethods());
    const byResource = new Map<ResolvedProtectedResource, ResourceOperations>();
    for (const resource of this.options.resources) {
      const mcp = resource.options.mcp ?? {};
      const own = new OperationRequirementsTable();
      for (const [option, kind] of OPTION_KINDS) {
        for (const [name, scopes] of Object.entries(mcp[option] ?? {})) own.add(kind, name, { scopes, roles: [] });
      }
      byResource.set(resource, { table: declared.with(own), publicDiscover: mcp.publicDiscover === true });
    }
    return byResource;
  }

  private declaredByMethods(): OperationRequirementsTable {
    const table = new OperationRequirementsTable();
    const seen = new Set<AnyFunction>();
    for (const wrapper of [...this.discovery.getControllers(), ...this.discovery.getProviders()]) {
      const type = wrapper.metatype as AnyFunction | undefined;
      if (typeof type !== 'function' || seen.has(type)) continue;
      seen.add(type);
      const prototype = type.prototype as Record<string, unknown> | undefined;
      // A prototype that names another class as its constructor (ioredis mixes EventEmitter into Redis) holds
      // none of our decorators and cannot be scanned through.
      if (!prototype || (prototype.constructor as { prototype?: unknown } | undefined)?.prototype !== prototype) continue;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = prototype[name];
        if (typeof method !== 'function') continue;
        for (const operation of operationsDeclaredBy(this.reflector, type, method as AnyFunction)) {
          table.add(operation.kind, operation.name, operation.requirements);
        }
      }
    }
    return table;
  }
}
