import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/server';
import { BENCH_MCP_TOOL } from './protocol.js';
import { isMcpRoute, type RouteName } from './variants.js';

/** The request a route is sent, under load and in the preflight alike (credentials are added per request). */
export interface RouteRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

const GET_REQUEST: RouteRequest = { method: 'GET', headers: {} };

/**
 * A `tools/call` of the MCP routes' tool as a Streamable HTTP client sends it. No `initialize` first: a
 * stateless server (no session id generator) answers a call on its own, which is what each request of a
 * stateless `/mcp` is. The protocol version is the SDK's latest, the one its client announces.
 */
const MCP_TOOLS_CALL: RouteRequest = {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': LATEST_PROTOCOL_VERSION,
  },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: BENCH_MCP_TOOL.name, arguments: {} } }),
};

export function requestFor(route: RouteName): RouteRequest {
  return isMcpRoute(route) ? MCP_TOOLS_CALL : GET_REQUEST;
}

/** `request` with `Authorization: Bearer <token>`, or as it is without a token. */
export function withBearer(request: RouteRequest, token: string | undefined): RouteRequest {
  return token === undefined ? request : { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
}

/**
 * Whether a response body is the JSON-RPC result of {@link MCP_TOOLS_CALL}: a 200 alone could carry a
 * JSON-RPC error (an unknown tool, a call the transport refused), and the load would measure that path instead.
 */
export function isToolResult(body: string): boolean {
  try {
    const response = JSON.parse(body) as { id?: unknown; result?: { content?: Array<{ type?: unknown; text?: unknown }> } };
    const [content] = response.result?.content ?? [];
    return response.id === 1 && content?.type === 'text' && content.text === BENCH_MCP_TOOL.text;
  } catch {
    return false;
  }
}
