/** The JSON-RPC error code of SEP-2243 (MCP 2026-07-28) for standard headers that disagree with the body. */
export const HEADER_MISMATCH_ERROR_CODE = -32020;

/**
 * The answer to a request whose `Mcp-Method` / `Mcp-Name` headers disagree with its body: HTTP 400 with a
 * JSON-RPC error (`HeaderMismatch`), as an MCP server gives it, so MCP clients read it as the protocol error it is.
 */
export function headerMismatchResponse(id: string | number | null, message: string): { status: 400; body: object } {
  return { status: 400, body: { jsonrpc: '2.0', id, error: { code: HEADER_MISMATCH_ERROR_CODE, message } } };
}
