import { Injectable } from '@nestjs/common';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';

import type { NodeHttpExchange } from '../../lib/index.js';
import { CREATE_NOTE_TOOL, LIST_NOTES_TOOL, notesServerInfo, WHOAMI_TOOL } from './notes-tool-catalog.js';
import { NotesTools } from './notes.tools.js';

/**
 * The notes MCP server on the MCP TypeScript SDK v2 (`@modelcontextprotocol/server`), the default
 * (`MCP_SDK=v2`). The sample is stateless (MCP 2026-07-28): every POST gets a fresh server and transport,
 * and everything it knows about the caller comes with the request. The tools declare no `scopeChallenge`:
 * BearerAuthGuard has already answered a call without the tool's scopes with 403 (from `@McpTool()` and
 * `@RequireScopes()` on NotesTools), so each tool's scopes are declared once.
 */
@Injectable()
export class McpServerFactory {
  constructor(private readonly tools: NotesTools) {}

  create(): McpServer {
    const server = new McpServer(notesServerInfo('SDK v2'));
    server.registerTool(WHOAMI_TOOL.name, { description: WHOAMI_TOOL.description }, () => WHOAMI_TOOL.call(this.tools));
    server.registerTool(LIST_NOTES_TOOL.name, { description: LIST_NOTES_TOOL.description }, () => LIST_NOTES_TOOL.call(this.tools));
    server.registerTool(
      CREATE_NOTE_TOOL.name,
      { description: CREATE_NOTE_TOOL.description, inputSchema: CREATE_NOTE_TOOL.inputSchema },
      (input) => CREATE_NOTE_TOOL.call(this.tools, input),
    );
    return server;
  }

  /** Answers one guarded POST: a server and a transport of its own, closed with the response. */
  async handle({ req, res, body }: NodeHttpExchange): Promise<void> {
    const server = this.create();
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }
}
