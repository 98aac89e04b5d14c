import type { Reflector } from '@nestjs/core';
import { MCP_OPERATIONS_METADATA, type McpOperationName } from '../decorators/mcp-operation.decorator.js';
import { RequiredRoles } from '../decorators/require-roles.decorator.js';
import { RequiredScopes } from '../decorators/require-scopes.decorator.js';
import { unionScopes } from '../scopes/scope-matching.js';
import type { McpOperationKind, OperationRequirements } from './mcp-operation.js';

/** One MCP operation a method implements, with what calling it needs. */
export interface DeclaredOperation {
  kind: McpOperationKind;
  name: string;
  requirements: OperationRequirements;
}

// MCP-Nest's own decorator metadata (@rekog/mcp-nest v2), read as it is so its users declare nothing twice.
const MCP_NEST_OPERATIONS: ReadonlyArray<{ key: string; kind: McpOperationKind; nameOption: string }> = [
  { key: 'mcp:tool', kind: 'tool', nameOption: 'name' },
  { key: 'mcp:resource', kind: 'resource', nameOption: 'uri' },
  { key: 'mcp:resource-template', kind: 'resource', nameOption: 'uriTemplate' },
  { key: 'mcp:prompt', kind: 'prompt', nameOption: 'name' },
];
const MCP_NEST_SCOPES = { list: 'mcp:scopes', match: 'mcp:scopes-match' };
const MCP_NEST_ROLES = { list: 'mcp:roles', match: 'mcp:roles-match' };

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * The MCP operations a method implements: those named with `@McpTool()`, `@McpResource()`, `@McpPrompt()`,
 * and MCP-Nest's `@Tool()`, `@Resource()`, `@ResourceTemplate()`, `@Prompt()`. Each needs the method's
 * `@RequireScopes()` / `@RequireRoles()` (class ∪ method) and, for MCP-Nest, its `@ToolScopes()` /
 * `@ToolRoles()` when they require all of their list (an `any` match is left to MCP-Nest to decide).
 */
export function operationsDeclaredBy(reflector: Reflector, type: AnyFunction, method: AnyFunction): DeclaredOperation[] {
  const names = [...ourOperationNames(method), ...mcpNestOperationNames(method)];
  if (names.length === 0) return [];
  const requirements: OperationRequirements = {
    scopes: unionScopes(reflector.get(RequiredScopes, type), reflector.get(RequiredScopes, method), mcpNestAllOf(method, MCP_NEST_SCOPES)),
    roles: unionScopes(reflector.get(RequiredRoles, type), reflector.get(RequiredRoles, method), mcpNestAllOf(method, MCP_NEST_ROLES)),
  };
  return names.map(({ kind, name }) => ({ kind, name, requirements }));
}

function ourOperationNames(method: AnyFunction): McpOperationName[] {
  return (Reflect.getMetadata(MCP_OPERATIONS_METADATA, method) as McpOperationName[] | undefined) ?? [];
}

function mcpNestOperationNames(method: AnyFunction): McpOperationName[] {
  const names: McpOperationName[] = [];
  for (const { key, kind, nameOption } of MCP_NEST_OPERATIONS) {
    const options = Reflect.getMetadata(key, method) as Record<string, unknown> | undefined;
    const name = options?.[nameOption];
    if (typeof name === 'string' && name !== '') names.push({ kind, name });
  }
  return names;
}

function mcpNestAllOf(method: AnyFunction, keys: { list: string; match: string }): string[] {
  const list = Reflect.getMetadata(keys.list, method) as unknown;
  if (!Array.isArray(list) || Reflect.getMetadata(keys.match, method) === 'any') return [];
  return list.filter((item): item is string => typeof item === 'string');
}
