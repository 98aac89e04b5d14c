import type { IncomingHttpHeaders } from 'node:http';

import type { CorsOptions, CorsOptionsDelegate } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import { validateOriginHeader } from '@modelcontextprotocol/server';

/** The route of McpController. */
const MCP_ROUTE = '/mcp';

/** What a browser MCP client sends with its requests (Streamable HTTP, bearer token). */
const MCP_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'Mcp-Protocol-Version',
  'Mcp-Session-Id',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
  // A DPoP client's proof (RFC 9449), with `Authorization: DPoP …`.
  'DPoP',
];

/**
 * What a browser MCP client must be able to read from the answers. Above all `WWW-Authenticate`: the 401
 * challenge leads the client to the metadata and the authorization server, and the 403 one to step-up.
 */
const MCP_EXPOSED_HEADERS = ['WWW-Authenticate', 'DPoP-Nonce', 'Mcp-Session-Id', 'Mcp-Protocol-Version'];

/** The request, as both adapters hand it to the CORS options delegate. */
interface CorsRequest {
  url?: string;
  headers: IncomingHttpHeaders;
}

/**
 * CORS for `POST /mcp`, so that browser-based MCP clients (the MCP Inspector's page on
 * http://localhost:6274) can call it: preflights are answered, and scripts may read the challenge of a 401 or
 * 403. Only the origins the OriginGuard accepts (C13) are allowed. No credentials: the token travels in the
 * Authorization header, never in a cookie. Other routes are left to themselves (the metadata routes answer
 * CORS on their own; the REST API is not for browsers).
 */
export function mcpCorsOptions(allowedOriginHostnames: readonly string[]): CorsOptionsDelegate<CorsRequest> {
  const options: CorsOptions = {
    origin: (origin, callback) => callback(null, origin !== undefined && validateOriginHeader(origin, [...allowedOriginHostnames]).ok),
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: MCP_REQUEST_HEADERS,
    exposedHeaders: MCP_EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  };
  return (request, callback) => callback(null, pathOf(request.url) === MCP_ROUTE ? options : { origin: false });
}

function pathOf(url: string | undefined): string {
  return new URL(url ?? '/', 'http://localhost').pathname;
}
