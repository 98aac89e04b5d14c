import { Injectable } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

import type { NodeHttpExchange } from '../../lib/index.js';
import { CREATE_NOTE_TOOL, LIST_NOTES_TOOL, notesServerInfo, WHOAMI_TOOL } from './notes-tool-catalog.js';
import { NotesTools } from './notes.tools.js';

/**
 * The same notes MCP server on the MCP TypeScript SDK v1 (`@modelcontextprotocol/sdk` 1.x, `MCP_SDK=v1`),
 * which most MCP servers in the field still run: the same tools, input schema and results, stateless too.
 * SDK v1 has no per-tool scope challenge, and needs none: BearerAuthGuard answers a call without the tool's
 * scopes with 403 before this server sees it, and the tools read the caller through McpAuthContext
 * (`@AuthInfo()` on NotesTools), not through anything SDK-specific.
 */
@Injectable()
export class McpServerV1Factory {
  constructor(private readonly tools: NotesTools) {}

  create(): McpServer {
    const server = new McpServer(notesServerInfo('SDK v1'));
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
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }
}
