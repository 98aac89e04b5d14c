import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BearerAuthGuard, nodeHttpExchange, RequireScopes } from 'nestjs-mcp-auth';
import { z } from 'zod';

import { NotesTools } from '../mcp-tools/notes.tools.js';

// The same NotesTools, served by the MCP SDK v1 (@modelcontextprotocol/sdk). It has no per-tool scope
// hook, and needs none: the guard reads the tools/call and answers 403 before the SDK runs.
@Controller('mcp')
@UseGuards(BearerAuthGuard)
@RequireScopes('read:notes')
export class McpController {
  constructor(private readonly notesTools: NotesTools) {}

  @Post()
  async handle(@Req() request: unknown, @Res() response: unknown): Promise<void> {
    const { req, res, body } = nodeHttpExchange(request, response);
    const server = this.createServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  private createServer(): McpServer {
    const server = new McpServer({ name: 'notes', version: '1.0.0' });
    server.registerTool('list-notes', { description: 'List the notes' }, () => json(this.notesTools.listNotes()));
    server.registerTool(
      'create-note',
      { description: 'Create a note', inputSchema: { text: z.string().min(1) } },
      ({ text }) => json(this.notesTools.createNote(text)),
    );
    return server;
  }
}

function json(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}
