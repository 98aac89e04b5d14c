import { Injectable } from '@nestjs/common';
import { McpServer, type CallToolResult } from '@modelcontextprotocol/server';
import { z } from 'zod';

import { McpToolScopes, type ToolScopeChallengeHandler } from '../../lib/index.js';
import { NotesTools } from './notes.tools.js';

const createNoteInput = z.object({
  text: z.string().min(1).max(1000).describe('The text of the note'),
});

/**
 * Builds the MCP server for one request. The sample is stateless (MCP 2026-07-28): every POST gets a
 * fresh server and transport, and everything it knows about the caller comes with the request.
 */
@Injectable()
export class McpServerFactory {
  private readonly scopeChallenges: Record<'whoami' | 'listNotes' | 'createNote', ToolScopeChallengeHandler>;

  constructor(
    private readonly tools: NotesTools,
    toolScopes: McpToolScopes,
  ) {
    // Scopes come from @RequireScopes() on NotesTools; they are read once, here.
    this.scopeChallenges = {
      whoami: toolScopes.challengeFor(NotesTools, 'whoami'),
      listNotes: toolScopes.challengeFor(NotesTools, 'listNotes'),
      createNote: toolScopes.challengeFor(NotesTools, 'createNote'),
    };
  }

  create(): McpServer {
    const server = new McpServer({ name: 'nestjs-mcp-auth-notes', version: '1.0.0' });

    server.registerTool(
      'whoami',
      {
        description: 'Who is calling: the subject, client id and scopes of the access token.',
        scopeChallenge: this.scopeChallenges.whoami,
      },
      () => jsonResult(this.tools.whoami()),
    );

    server.registerTool(
      'list-notes',
      {
        description: 'List all notes.',
        scopeChallenge: this.scopeChallenges.listNotes,
      },
      () => jsonResult({ notes: this.tools.listNotes() }),
    );

    server.registerTool(
      'create-note',
      {
        description: 'Create a note. Needs the write:notes scope.',
        inputSchema: createNoteInput,
        scopeChallenge: this.scopeChallenges.createNote,
      },
      ({ text }) => jsonResult(this.tools.createNote({ text })),
    );

    return server;
  }
}

function jsonResult(value: object): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}
