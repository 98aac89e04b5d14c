import { Controller, Delete, Get, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';

import { BearerAuthGuard, nodeHttpExchange, RequireScopes } from '../../lib/index.js';
import { OriginGuard } from '../origin.guard.js';
import { McpServerFactory } from './mcp-server.factory.js';

/**
 * `POST /mcp`: MCP Streamable HTTP, stateless. The Origin check runs first (C13: a foreign browser origin
 * gets 403 even without a token), then the bearer token is verified for this resource with `read:notes`.
 * Per-tool scopes (`create-note` also needs `write:notes`) are the SDK's scope challenge, from NotesTools.
 */
@Controller('mcp')
@UseGuards(OriginGuard, BearerAuthGuard)
@RequireScopes('read:notes')
export class McpController {
  constructor(private readonly servers: McpServerFactory) {}

  @Post()
  async handle(@Req() request: unknown, @Res() response: unknown): Promise<void> {
    const { req, res, body } = nodeHttpExchange(request, response);
    const server = this.servers.create();
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  // A stateless server has no stream to open (GET) and no session to end (DELETE).
  @Get()
  @HttpCode(HttpStatus.METHOD_NOT_ALLOWED)
  stream(@Res({ passthrough: true }) response: unknown): object {
    return methodNotAllowed(response);
  }

  @Delete()
  @HttpCode(HttpStatus.METHOD_NOT_ALLOWED)
  endSession(@Res({ passthrough: true }) response: unknown): object {
    return methodNotAllowed(response);
  }
}

function methodNotAllowed(response: unknown): object {
  (response as { header(name: string, value: string): unknown }).header('Allow', 'POST');
  return { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP server is stateless, use POST' }, id: null };
}
