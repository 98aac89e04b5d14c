import { NAMED_OPERATION_METHODS, type McpCall } from './mcp-operation.js';

/**
 * The JSON-RPC calls of a parsed request body: one for a request or notification, one per element for a
 * batch (protocol versions before 2025-06-18 allowed them). `undefined` when the body is not JSON-RPC
 * (absent, unparsed, a response, an element without a method): such a body is the MCP framework's to
 * answer, and only the route's own requirements apply to it.
 */
export function readJsonRpcCalls(body: unknown): McpCall[] | undefined {
  if (Array.isArray(body)) {
    if (body.length === 0) return undefined;
    const calls: McpCall[] = [];
    for (const element of body) {
      const call = readCall(element);
      if (!call) return undefined;
      calls.push(call);
    }
    return calls;
  }
  const call = readCall(body);
  return call ? [call] : undefined;
}

function readCall(message: unknown): McpCall | undefined {
  if (!isPlainObject(message) || message.jsonrpc !== '2.0' || typeof message.method !== 'string') return undefined;
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
  // Own properties only: a method named `constructor` or `__proto__` must not find a table entry.
  const named = Object.hasOwn(NAMED_OPERATION_METHODS, message.method) ? NAMED_OPERATION_METHODS[message.method] : undefined;
  if (!named) return { method: message.method, id };
  const name = isPlainObject(message.params) ? message.params[named.nameParam] : undefined;
  // A named method without a string name is malformed: the framework will refuse it, so no target is read.
  return typeof name === 'string' ? { method: message.method, id, target: { kind: named.kind, name } } : { method: message.method, id };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
