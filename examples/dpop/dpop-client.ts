import * as oauth from 'openid-client';

// A machine client that gets a DPoP-bound token and calls the MCP endpoint with a fresh proof per request,
// with panva's openid-client. It retries once by itself when the server asks for a DPoP nonce.
export async function whoamiWithDpop(mcpUrl: string, issuer: string, clientId: string, clientSecret: string): Promise<unknown> {
  const config = await oauth.discovery(new URL(issuer), clientId, clientSecret, undefined, {
    execute: issuer.startsWith('http://') ? [oauth.allowInsecureRequests] : [], // a local development server only
  });
  const dpop = oauth.getDPoPHandle(config, await oauth.randomDPoPKeyPair('ES256'));
  // The MCP endpoint's URL is its resource identifier (RFC 8707): the token is bound to the key and to it.
  const tokens = await oauth.clientCredentialsGrant(config, { scope: 'read:notes', resource: mcpUrl }, { DPoP: dpop });

  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
  const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } };
  const response = await oauth.fetchProtectedResource(config, tokens.access_token, new URL(mcpUrl), 'POST', JSON.stringify(call), headers, {
    DPoP: dpop,
  });
  return response.json();
}
