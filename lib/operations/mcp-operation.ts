/** What an MCP operation addresses: `tools/call` a tool, `resources/read` a resource, `prompts/get` a prompt. */
export type McpOperationKind = 'tool' | 'resource' | 'prompt';

/** The JSON-RPC methods that address one named operation, and the `params` member that names it. */
export const NAMED_OPERATION_METHODS: Readonly<Record<string, { kind: McpOperationKind; nameParam: 'name' | 'uri' }>> = {
  'tools/call': { kind: 'tool', nameParam: 'name' },
  'resources/read': { kind: 'resource', nameParam: 'uri' },
  'prompts/get': { kind: 'prompt', nameParam: 'name' },
};

/** One JSON-RPC request or notification of a body, as far as authorization cares. */
export interface McpCall {
  method: string;
  /** The tool, resource URI or prompt it addresses, for the methods of {@link NAMED_OPERATION_METHODS}. */
  target?: { kind: McpOperationKind; name: string };
  /** The request id, to answer a refused request in JSON-RPC terms; `null` for a notification. */
  id: string | number | null;
}

/** Scopes and roles one operation needs, all of them. */
export interface OperationRequirements {
  scopes: readonly string[];
  roles: readonly string[];
}
