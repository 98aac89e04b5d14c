import type { IncomingMessage, ServerResponse } from 'node:http';

/** oidc-provider's default path of dynamic client registration (RFC 7591). */
export const REGISTRATION_PATH = '/reg';

/**
 * oidc-provider answers CORS on discovery, JWKS and the token endpoint, but by design not on dynamic client
 * registration. Browser-based MCP clients (the MCP Inspector) register from their page, so this development
 * server allows it from any origin: it answers the preflight itself and lets the registration response carry
 * `Access-Control-Allow-Origin: *` (no credentials are involved). Returns true when it has answered.
 */
export function handleRegistrationCors(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.headers.origin === undefined) return false;
  res.setHeader('access-control-allow-origin', '*');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}
