import type { McpOperationKind } from '../operations/mcp-operation.js';

/** Metadata key of the MCP operations a method implements (`@McpTool()`, `@McpResource()`, `@McpPrompt()`). */
export const MCP_OPERATIONS_METADATA = 'nestjs-mcp-auth:mcp-operations';

/** One MCP operation a method implements: a tool by name, a resource by URI or URI template, a prompt by name. */
export interface McpOperationName {
  kind: McpOperationKind;
  name: string;
}

function mcpOperation(kind: McpOperationKind, name: string, decorator: string): MethodDecorator {
  if (typeof name !== 'string' || name === '') throw new TypeError(`${decorator}: ${JSON.stringify(name)} is not a name`);
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    // A method may implement several operations (a resource and its template): the decorators add up.
    const declared = (Reflect.getOwnMetadata(MCP_OPERATIONS_METADATA, method) as McpOperationName[] | undefined) ?? [];
    Reflect.defineMetadata(MCP_OPERATIONS_METADATA, [...declared, { kind, name }], method);
  };
}

/**
 * Names the MCP tool this provider method implements, so that `BearerAuthGuard` authorizes a
 * `tools/call` of that tool with this method's `@RequireScopes()` / `@RequireRoles()` (class ∪ method)
 * before any MCP framework sees the request. It does not register the tool: your MCP server still does.
 *
 * ```ts
 * @McpTool('create-note')
 * @RequireScopes('write:notes')
 * createNote(input: { text: string }, @AuthInfo() caller: AuthInfo) { … }
 * ```
 */
export function McpTool(name: string): MethodDecorator {
  return mcpOperation('tool', name, '@McpTool()');
}

/**
 * Names the MCP resource this provider method reads, by URI (`notes://all`) or RFC 6570 URI template
 * (`notes://{id}`), so that `BearerAuthGuard` authorizes a `resources/read` of it with this method's
 * requirements. An exact URI wins over templates; a URI several templates match needs all of their scopes.
 */
export function McpResource(uriOrTemplate: string): MethodDecorator {
  return mcpOperation('resource', uriOrTemplate, '@McpResource()');
}

/** Names the MCP prompt this provider method builds, so that `BearerAuthGuard` authorizes a `prompts/get` of it. */
export function McpPrompt(name: string): MethodDecorator {
  return mcpOperation('prompt', name, '@McpPrompt()');
}
