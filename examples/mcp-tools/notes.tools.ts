import { Injectable } from '@nestjs/common';
import { AuthInfo, McpTool, RequireScopes } from 'nestjs-mcp-auth';

import { NotesStore, type Note } from './notes.store.js';

// Each tool's scopes are declared here, once. BearerAuthGuard answers a tools/call of a tool named with
// @McpTool() with 403 insufficient_scope before the MCP SDK runs, and McpAuthModule makes each method
// refuse a caller without them, however it is called.
@Injectable()
@RequireScopes('read:notes') // every tool of this provider needs read:notes
export class NotesTools {
  constructor(private readonly store: NotesStore) {}

  @McpTool('list-notes')
  @RequireScopes() // the class scopes only
  listNotes(): Note[] {
    return this.store.list();
  }

  @McpTool('create-note')
  @RequireScopes('write:notes') // this tool needs read:notes and write:notes
  createNote(text: string, @AuthInfo('principalId') author?: string): Note {
    // `author` is filled in by McpAuthModule from the current caller; callers leave it out.
    return this.store.add(text, author ?? '');
  }
}
