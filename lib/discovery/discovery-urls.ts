/**
 * The URLs at which an issuer's metadata may live, in the order MCP clients probe them (MCP 2025-11-25+,
 * "Authorization Server Metadata Discovery"; RFC 8414 §3.1 path insertion; OIDC Discovery §4):
 *
 * - issuer with a path, `https://h/tenant`:
 *   `https://h/.well-known/oauth-authorization-server/tenant`,
 *   `https://h/.well-known/openid-configuration/tenant`,
 *   `https://h/tenant/.well-known/openid-configuration`
 * - issuer without a path, `https://h`:
 *   `https://h/.well-known/oauth-authorization-server`, `https://h/.well-known/openid-configuration`
 */
export function authorizationServerMetadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const origin = url.origin;
  // A terminating slash is not part of the path that gets inserted (RFC 8414 §3.1).
  const path = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  if (path === '') {
    return [`${origin}/.well-known/oauth-authorization-server`, `${origin}/.well-known/openid-configuration`];
  }
  return [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}/.well-known/openid-configuration${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
}
