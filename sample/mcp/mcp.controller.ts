import { Controller, Delete, Get, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { BearerAuthGuard, nodeHttpExchange, RequireScopes } from '../../lib/index.js';
import { OriginGuard } from '../origin.guard.js';
import { SAMPLE_CONFIG_KEY, type SampleConfiguration } from '../sample.config.js';
import { McpServerV1Factory } from './mcp-server-v1.factory.js';
import { McpServerFactory } from './mcp-server.factory.js';

/**
 * `POST /mcp`: MCP Streamable HTTP, stateless, served by the MCP SDK `MCP_SDK` names (v2 by default, or
 * v1). The Origin check runs first (C13: a foreign browser origin gets 403 even without a token), then the
 * bearer token is verified for this resource with `read:notes`, and a `tools/call` for the tool's own
 * scopes (`create-note` also needs `write:notes`, from NotesTools): without them, 403 before the SDK runs.
 */
@Controller('mcp')
@UseGuards(OriginGuard, BearerAuthGuard)
@RequireScopes('read:notes')
export class McpController {
  private readonly servers: McpServerFactory | McpServerV1Factory;

  constructor(config: ConfigService<SampleConfiguration, true>, sdkV2: McpServerFactory, sdkV1: McpServerV1Factory) {
    this.servers = config.get(SAMPLE_CONFIG_KEY, { infer: true }).mcpSdk === 'v1' ? sdkV1 : sdkV2;
  }

  @Post()
  async handle(@Req() request: unknown, @Res() response: unknown): Promise<void> {
    await this.servers.handle(nodeHttpExchange(request, response));
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
