import { Injectable } from '@nestjs/common';
import { AuthInfo, RequireScopes } from 'nestjs-mcp-auth';

import { NotesStore, type Note } from './notes.store.js';

// The tools' scopes are declared here, once: McpToolScopes turns them into the MCP SDK's scope challenge,
// and McpAuthModule makes each method refuse a caller without them, however it is called.
@Injectable()
@RequireScopes('read:notes') // every tool of this provider needs read:notes
export class NotesTools {
  constructor(private readonly store: NotesStore) {}

  @RequireScopes() // the class scopes only
  listNotes(): Note[] {
    return this.store.list();
  }

  @RequireScopes('write:notes') // this tool needs read:notes and write:notes
  createNote(text: string, @AuthInfo('principalId') author?: string): Note {
    // `author` is filled in by McpAuthModule from the current caller; callers leave it out.
    return this.store.add(text, author ?? '');
  }
}
