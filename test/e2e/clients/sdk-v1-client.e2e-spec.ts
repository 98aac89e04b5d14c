import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bootstrapSample, type RunningSample } from '../../../sample/bootstrap.js';
import { completeDevLogin } from '../../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS } from '../../fixtures/http-app.js';
import { describeExchanges, DevLoginOAuthProvider, recordingFetch, toolJson } from '../../fixtures/mcp-oauth-client.js';
import { parseBearerChallenge } from '../../fixtures/www-authenticate.js';

// The 1.x MCP TypeScript SDK client (@modelcontextprotocol/sdk), which most MCP hosts in the field still
// ship, through the same main flow as the v2 client: challenge, discovery, registration, authorization code
// with PKCE and `resource`, the user's login, tokens, tool calls.

describe.each(ADAPTERS)('MCP SDK v1 client against the sample on %s', (adapter) => {
  let sample: RunningSample;

  beforeAll(async () => {
    sample = await bootstrapSample({ adapter, port: 0, authPort: 0, logger: false });
  });

  afterAll(async () => {
    await sample?.close();
  });

  it('C1-C4, P3, T8: authorization code + PKCE with resource from the 401 challenge, then tools/list and tools/call', async () => {
    const recorded = recordingFetch();
    const provider = new DevLoginOAuthProvider({
      clientName: 'SDK v1 client',
      userAgent: (url) => completeDevLogin(url, { username: 'erin' }),
    });
    const transportFor = () => new StreamableHTTPClientTransport(new URL(sample.mcpUrl), { authProvider: provider, fetch: recorded.fetch });

    // As an SDK v1 host does it: connect, send the user to log in, finish with the code, connect again.
    const first = transportFor();
    await expect(new Client({ name: 'sdk-v1-e2e', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    await first.finishAuth(provider.takeAuthorizationResponse().get('code')!);

    const exchanges = recorded.take();
    expect(describeExchanges(exchanges, { MCP: sample.url, AS: sample.issuer })).toEqual([
      'POST MCP/mcp → 401',
      'GET MCP/.well-known/oauth-protected-resource/mcp → 200',
      'GET AS/.well-known/oauth-authorization-server → 200',
      'POST AS/reg → 201',
      'POST AS/token → 200',
    ]);
    expect(parseBearerChallenge(exchanges[0]!.wwwAuthenticate).params).toEqual({
      resource_metadata: sample.metadataUrls.mcp,
      scope: 'read:notes',
    });
    const authorization = provider.authorizationUrls[0]!;
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('resource')).toBe(sample.mcpUrl);
    expect(decodeJwt(provider.tokens()!.access_token)).toMatchObject({ aud: sample.mcpUrl, sub: 'erin', scope: 'read:notes' });

    const client = new Client({ name: 'sdk-v1-e2e', version: '1.0.0' });
    await client.connect(transportFor());
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['create-note', 'list-notes', 'whoami']);
      expect(toolJson(await client.callTool({ name: 'whoami', arguments: {} }))).toEqual({
        subject: 'erin',
        clientId: provider.clientInformation()!.client_id,
        scopes: ['read:notes'],
        issuer: sample.issuer,
        principalType: 'user',
      });
      const calls = recorded.take().filter((exchange) => exchange.method === 'POST');
      // initialize, notifications/initialized, tools/list, tools/call: every one with the token.
      expect(describeExchanges(calls, { MCP: sample.url })).toEqual(['POST MCP/mcp → 200', 'POST MCP/mcp → 202', 'POST MCP/mcp → 200', 'POST MCP/mcp → 200']);
      expect(calls.every((exchange) => exchange.url === sample.mcpUrl && exchange.status < 300 && exchange.authorization === 'Bearer')).toBe(true);
    } finally {
      await client.close();
    }
  });
});
