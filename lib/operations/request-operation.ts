import type { HttpRequestLike } from '../http/request-access.js';
import { readJsonRpcCalls } from './json-rpc-calls.js';
import type { OperationRequirements } from './mcp-operation.js';
import { readStandardHeaders, standardHeaderMismatch } from './mcp-standard-headers.js';
import type { OperationRequirementsTable } from './operation-requirements.js';

/** How one resource authorizes its MCP operations. */
export interface ResourceOperations {
  table: OperationRequirementsTable;
  publicDiscover: boolean;
}

/**
 * What the JSON-RPC content of a request asks of the guard, beyond the route's own requirements. Only scopes
 * make an operation `requires`: they are what a client can step up to (roles are left to the tool itself).
 */
export type RequestOperation =
  | { kind: 'none' }
  | { kind: 'requires'; requirements: OperationRequirements }
  | { kind: 'public' }
  | { kind: 'header-mismatch'; message: string; id: string | number | null };

const NONE: RequestOperation = Object.freeze({ kind: 'none' });
const PUBLIC: RequestOperation = Object.freeze({ kind: 'public' });

/**
 * Reads the JSON-RPC calls of the request body (Nest has parsed it before guards run) and decides: the
 * requirements of every operation they address, a public `server/discover`, or a header mismatch. The body
 * is what is authorized; the SEP-2243 headers are only checked against it, never trusted on their own.
 */
export function requestOperation(request: HttpRequestLike, operations: ResourceOperations): RequestOperation {
  const headers = readStandardHeaders(request.headers);
  const hasHeaders = headers.method !== undefined || headers.name !== undefined;
  // The common case costs nothing: no declarations, no public discovery, no headers to check.
  if (operations.table.isEmpty && !operations.publicDiscover && !hasHeaders) return NONE;
  const calls = readJsonRpcCalls(request.body);
  if (!calls) return NONE;
  if (hasHeaders) {
    const mismatch = standardHeaderMismatch(calls, headers);
    if (mismatch) return { kind: 'header-mismatch', message: mismatch, id: calls.length === 1 ? calls[0]!.id : null };
  }
  if (operations.publicDiscover && calls.length === 1 && calls[0]!.method === 'server/discover') return PUBLIC;
  const requirements = operations.table.requirementsOf(calls);
  return requirements.scopes.length === 0 ? NONE : { kind: 'requires', requirements };
}
