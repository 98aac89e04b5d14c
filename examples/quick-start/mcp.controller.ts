import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { AuthInfo, BearerAuthGuard, nodeHttpExchange, RequireScopes } from 'nestjs-mcp-auth';

@Controller('mcp')
@UseGuards(BearerAuthGuard) // a request without a valid token never reaches the handler
@RequireScopes('read:notes')
export class McpController {
  @Post()
  async handle(@AuthInfo() caller: AuthInfo, @Req() request: unknown, @Res() response: unknown): Promise<void> {
    // Node's own request and response, on Express and Fastify alike: what the MCP SDK transport takes.
    const { req, res, body } = nodeHttpExchange(request, response);

    // Stateless Streamable HTTP: a fresh MCP server and transport for every request.
    const server = new McpServer({ name: 'notes', version: '1.0.0' });
    server.registerTool('whoami', { description: 'Who is calling' }, () => ({
      content: [{ type: 'text', text: `You are ${caller.subject ?? caller.clientId}, with the scopes: ${caller.scopes.join(' ')}` }],
    }));
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }
}
