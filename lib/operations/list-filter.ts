import { missingScopes, type CompiledScopeHierarchy } from '../scopes/scope-matching.js';
import type { McpOperationKind } from './mcp-operation.js';
import type { OperationRequirementsTable } from './operation-requirements.js';

/** The list results MCP servers answer, as far as filtering needs them. */
export interface McpListResult {
  tools?: ReadonlyArray<{ name: string }>;
  resources?: ReadonlyArray<{ uri: string }>;
  resourceTemplates?: ReadonlyArray<{ uriTemplate: string }>;
  prompts?: ReadonlyArray<{ name: string }>;
  [member: string]: unknown;
}

/** The caller as far as filtering needs it. */
export interface ListCaller {
  scopes: readonly string[];
  roles: readonly string[];
}

/**
 * A copy of a `tools/list`, `resources/list`, `resources/templates/list` or `prompts/list` result with only
 * the entries `caller` may use, marked `cacheScope: "private"` (MCP 2026-07-28): it is this caller's
 * answer, and a cache shared between callers must not hand it to another.
 */
export function filterListResult<T extends McpListResult>(
  result: T,
  caller: ListCaller,
  table: OperationRequirementsTable,
  hierarchy: CompiledScopeHierarchy,
): T & { cacheScope: 'private' } {
  const allowed = (kind: McpOperationKind, name: string, isTemplate = false): boolean => {
    const needed = isTemplate ? table.requirementsOfTemplate(name) : table.requirementsOf([{ method: '', id: null, target: { kind, name } }]);
    return missingScopes(needed.scopes, caller.scopes, hierarchy).length === 0 && needed.roles.every((role) => caller.roles.includes(role));
  };
  const filtered: McpListResult = { ...result, cacheScope: 'private' };
  if (result.tools) filtered.tools = result.tools.filter((tool) => allowed('tool', tool.name));
  if (result.resources) filtered.resources = result.resources.filter((resource) => allowed('resource', resource.uri));
  if (result.resourceTemplates) {
    filtered.resourceTemplates = result.resourceTemplates.filter((template) => allowed('resource', template.uriTemplate, true));
  }
  if (result.prompts) filtered.prompts = result.prompts.filter((prompt) => allowed('prompt', prompt.name));
  return filtered as T & { cacheScope: 'private' };
}
