/**
 * The few request and response operations the library needs, written once for Express and Fastify.
 * Fastify wraps Node's objects (`request.raw`, `reply.raw`); Express extends them.
 */
export interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  raw?: { rawHeaders?: string[] } & Record<string, unknown>;
  url?: string;
  originalUrl?: string;
  method?: string;
  /** The parsed body (JSON-RPC for MCP endpoints): both adapters parse it before guards run. */
  body?: unknown;
  auth?: unknown;
  user?: unknown;
}

export interface HttpResponseLike {
  header?: (name: string, value: string) => unknown;
  setHeader?: (name: string, value: string) => unknown;
}

/**
 * Every Authorization header value the client sent. Node keeps only the first in `req.headers`
 * (it discards duplicates of `authorization`), so duplicates are counted from `rawHeaders` (C7).
 */
export function authorizationHeaderValues(request: HttpRequestLike): string[] {
  return headerValues(request, 'authorization');
}

/**
 * Every value of header `name` (lower case) as the client sent it, one per header line: from `rawHeaders`,
 * where Node keeps them apart (in `req.headers` it drops or comma-joins repeats).
 */
export function headerValues(request: HttpRequestLike, name: string): string[] {
  const rawHeaders = request.raw?.rawHeaders ?? request.rawHeaders;
  if (!rawHeaders) {
    const value = request.headers[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  }
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const header = rawHeaders[i]!;
    if (header.length === name.length && header.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
  }
  return values;
}

/** The HTTP method of the request. */
export function requestMethod(request: HttpRequestLike): string {
  return (request.method ?? request.raw?.method ?? 'GET') as string;
}

/** The request path without the query string, as the client sent it (before any router rewriting). */
export function requestPath(request: HttpRequestLike): string {
  const url = request.originalUrl ?? request.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Sets a response header with whatever the adapter offers (`reply.header` on Fastify, `res.header` on Express). */
export function setResponseHeader(response: HttpResponseLike, name: string, value: string): void {
  if (typeof response.header === 'function') response.header(name, value);
  else response.setHeader?.(name, value);
}
