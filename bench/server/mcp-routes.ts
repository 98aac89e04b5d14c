import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { BearerAuthGuard, nodeHttpExchange, ProtectedResource, RequireScopes } from '../../lib/index.js';
import { BENCH_MCP_TOOL, BENCH_RESOURCE, BENCH_SCOPE } from '../protocol.js';

// The MCP pair: `POST /<name>/mcp` answered by the MCP SDK v2 the way the README's Quick start and
// examples/mcp-tools do it, unprotected and behind our guard. In a file of its own, imported only when one of
// them is mounted, so that no other app loads the MCP SDK (its bootstrap time would include it).

@Controller('mcp-open')
export class McpOpenController {
  @Post('mcp')
  handle(@Req() request: unknown, @Res() response: unknown): Promise<void> {
    return answerMcpRequest(request, response);
  }
}

// The `guard` route's requirements (resource, guard, scope); McpAuthContext is entered by our module's wrapping
// of guarded handlers, as on every route that uses BearerAuthGuard.
@Controller('mcp-guard')
@ProtectedResource(BENCH_RESOURCE)
@UseGuards(BearerAuthGuard)
@RequireScopes(BENCH_SCOPE)
export class McpGuardedController {
  @Post('mcp')
  handle(@Req() request: unknown, @Res() response: unknown): Promise<void> {
    return answerMcpRequest(request, response);
  }
}

/**
 * Stateless Streamable HTTP with JSON responses: a new server with its one tool and a new transport per
 * request, both closed with the response. On Express and Fastify alike (`nodeHttpExchange` hands the SDK
 * Node's own request and response, and the body the framework has parsed).
 */
async function answerMcpRequest(request: unknown, response: unknown): Promise<void> {
  const { req, res, body } = nodeHttpExchange(request, response);
  const server = new McpServer({ name: 'bench', version: '1.0.0' });
  server.registerTool(BENCH_MCP_TOOL.name, { description: 'Answers pong' }, () => ({ content: [{ type: 'text', text: BENCH_MCP_TOOL.text }] }));
  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
