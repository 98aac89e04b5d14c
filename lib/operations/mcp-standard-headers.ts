import type { McpCall } from './mcp-operation.js';

/** The SEP-2243 headers (MCP 2026-07-28) that mirror a request's method and the operation it names. */
export interface McpStandardHeaders {
  method?: string;
  name?: string;
}

const BASE64_PREFIX = '=?base64?';
const BASE64_SUFFIX = '?=';
// Canonical padded base64, as SEP-2243 requires of an encoded value: anything else is refused, not guessed at.
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `Mcp-Method` and `Mcp-Name` as sent (a repeated header is joined by Node and will not match any body). */
export function readStandardHeaders(headers: Record<string, string | string[] | undefined>): McpStandardHeaders {
  return { method: single(headers['mcp-method']), name: single(headers['mcp-name']) };
}

/**
 * Why the headers disagree with the body, or `undefined` when they agree or are absent. The body is what
 * gets authorized; the headers only have to match it (an intermediary may have routed on them). A value
 * wrapped as `=?base64?…?=` is compared decoded; an invalid wrapping is itself a mismatch. A batch carries no
 * standard headers (they are of protocol versions that have no batches), so headers on one must match every call.
 */
export function standardHeaderMismatch(calls: readonly McpCall[], headers: McpStandardHeaders): string | undefined {
  if (headers.method === undefined && headers.name === undefined) return undefined;
  const method = headers.method === undefined ? undefined : trimOptionalWhitespace(headers.method);
  const name = headers.name === undefined ? undefined : decodeHeaderValue(trimOptionalWhitespace(headers.name));
  if (name === null) return 'The Mcp-Name header carries an invalid =?base64?…?= value';
  for (const call of calls) {
    if (method !== undefined && method !== call.method) return `The Mcp-Method header does not match the request body's method ${call.method}`;
    if (name !== undefined && call.target && name !== call.target.name) {
      return `The Mcp-Name header does not match the ${call.target.kind} the request body names`;
    }
  }
  return undefined;
}

/** A header value, decoded from `=?base64?…?=` when so wrapped; `null` when the wrapping is not valid base64 UTF-8. */
export function decodeHeaderValue(value: string): string | null {
  if (!(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX) && value.length >= BASE64_PREFIX.length + BASE64_SUFFIX.length)) {
    return value;
  }
  const encoded = value.slice(BASE64_PREFIX.length, value.length - BASE64_SUFFIX.length);
  if (!CANONICAL_BASE64.test(encoded)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    return null;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** RFC 9110 optional whitespace (SP, HTAB) around a field value is not part of it. */
function trimOptionalWhitespace(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}
