import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer, type CallToolResult } from '@modelcontextprotocol/server';
import { BearerAuthGuard, nodeHttpExchange, RequireScopes } from 'nestjs-mcp-auth';
import { z } from 'zod';

import { NotesTools } from './notes.tools.js';

@Controller('mcp')
@UseGuards(BearerAuthGuard)
@RequireScopes('read:notes')
export class McpController {
  constructor(private readonly notesTools: NotesTools) {}

  @Post()
  async handle(@Req() request: unknown, @Res() response: unknown): Promise<void> {
    const { req, res, body } = nodeHttpExchange(request, response);
    const server = this.createServer();
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  private createServer(): McpServer {
    const server = new McpServer({ name: 'notes', version: '1.0.0' });
    // The names match @McpTool() on NotesTools: the guard has authorized the call before the SDK sees it.
    server.registerTool('list-notes', { description: 'List the notes' }, () => json(this.notesTools.listNotes()));
    server.registerTool(
      'create-note',
      { description: 'Create a note', inputSchema: z.object({ text: z.string().min(1) }) },
      ({ text }) => json(this.notesTools.createNote(text)),
    );
    return server;
  }
}

function json(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}
