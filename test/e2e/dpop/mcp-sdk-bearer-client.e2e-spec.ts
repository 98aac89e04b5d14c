import { Body, Controller, Module, Post, Req, Res, UseGuards } from '@nestjs/common';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AuthInfo, BearerAuthGuard, McpAuthContext, McpAuthModule, RequireScopes } from '../../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../../fixtures/dev-authorization-server.helpers.js';
import { dpopClient } from '../../fixtures/dpop-client.js';
import { freePort } from '../../fixtures/free-port.js';
import { ADAPTERS, startApp, type RunningApp } from '../../fixtures/http-app.js';

// An MCP server (SDK v2) on a resource with dpop: 'allowed': the official MCP SDK v2 client, which knows
// nothing of DPoP, keeps working with its Bearer token as before, and a DPoP client (openid-client) calls the
// same tool with a bound token. The client's OAuth flows against an allowed resource (discovery from the
// Bearer + DPoP challenge pair, step-up, refresh) are test/e2e/clients/sdk-v2-client.e2e-spec.ts, on the sample.

@Controller('mcp')
@UseGuards(BearerAuthGuard)
@RequireScopes('read:notes')
class McpController {
  constructor(private readonly context: McpAuthContext) {}

  @Post()
  async handle(@Req() request: { raw?: object }, @Res() response: { raw?: object; hijack?: () => void }, @Body() body: unknown) {
    response.hijack?.();
    const server = new McpServer({ name: 'dpop-allowed-test', version: '1.0.0' });
    server.registerTool('whoami', {}, () => {
      const auth: AuthInfo | undefined = this.context.get();
      const caller = { subject: auth?.subject, dpopThumbprint: auth?.dpopThumbprint ?? null };
      return { content: [{ type: 'text' as const, text: JSON.stringify(caller) }] };
    });
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    await transport.handleRequest((request.raw ?? request) as never, (response.raw ?? response) as never, body);
  }
}

describe.each(ADAPTERS)("the official MCP SDK v2 client against a dpop: 'allowed' MCP server (%s)", (adapter) => {
  let as: DevAuthorizationServer;
  let app: RunningApp;
  let resource: string;

  beforeAll(async () => {
    const port = await freePort();
    resource = `http://127.0.0.1:${port}/mcp`;
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    @Module({
      imports: [McpAuthModule.forRoot({ protectedResources: [{ resource, authorizationServers: [as.issuer], dpop: 'allowed' }] })],
      controllers: [McpController],
    })
    class McpAppModule {}
    app = await startApp(adapter, { imports: [McpAppModule] }, { port });
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  const whoamiText = (result: Awaited<ReturnType<Client['callTool']>>) => JSON.parse((result.content as Array<{ text: string }>)[0]!.text) as unknown;

  it('tools/call with a Bearer token, the client unchanged → the tool runs, the caller not DPoP-bound', async () => {
    const { access_token } = await clientCredentialsToken(as, { resource, scope: 'read:notes' });
    const client = new Client({ name: 'bearer-only-client', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { Authorization: `Bearer ${access_token}` } } }));
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['whoami']);
      expect(whoamiText(await client.callTool({ name: 'whoami', arguments: {} }))).toEqual({ subject: 'dev-client', dpopThumbprint: null });
    } finally {
      await client.close();
    }
  });

  it('K1: the same tool through a DPoP client (openid-client, a proof per request) → the caller is bound to its key', async () => {
    const dpop = await dpopClient(as);
    const { access_token } = await dpop.clientCredentials({ resource, scope: 'read:notes' });
    const answer = await dpop.call(resource, access_token, {
      method: 'POST',
      headers: { accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
    });
    expect(answer.status).toBe(200);
    const result = answer.body.result as { content: Array<{ text: string }> };
    expect(JSON.parse(result.content[0]!.text)).toEqual({ subject: 'dev-client', dpopThumbprint: dpop.thumbprint });
  });
});
