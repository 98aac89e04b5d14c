import { Injectable } from '@nestjs/common';

import { AuthInfo, McpTool, RequireScopes } from '../../lib/index.js';
import { authorOf, NotesStore, type Note } from '../notes/notes.store.js';

/** What `whoami` answers. */
export interface Caller {
  subject: string | null;
  clientId: string;
  scopes: string[];
  issuer: string;
  principalType: 'user' | 'client';
}

/**
 * The notes tools. A plain provider, whichever MCP SDK serves them: `@McpTool()` names the tool each
 * method implements and `@RequireScopes()` (class ∪ method) is the one place its scopes are declared.
 * BearerAuthGuard reads both, so a `tools/call` without the tool's scopes gets HTTP 403
 * `insufficient_scope` (naming every scope it needs) before the MCP SDK runs; McpAuthModule wraps these
 * methods so they refuse to run without them anyway and receive the caller in their `@AuthInfo()` parameter.
 */
@Injectable()
@RequireScopes('read:notes')
export class NotesTools {
  constructor(private readonly notes: NotesStore) {}

  @McpTool('whoami')
  @RequireScopes()
  whoami(@AuthInfo() caller: AuthInfo = suppliedByMcpAuth()): Caller {
    return {
      subject: caller.subject ?? null,
      clientId: caller.clientId,
      scopes: caller.scopes,
      issuer: caller.issuer,
      principalType: caller.principalType,
    };
  }

  @McpTool('list-notes')
  @RequireScopes()
  listNotes(): Note[] {
    return this.notes.list();
  }

  @McpTool('create-note')
  @RequireScopes('write:notes')
  createNote(input: { text: string }, @AuthInfo() caller: AuthInfo = suppliedByMcpAuth()): Note {
    return this.notes.create(input.text, authorOf(caller));
  }
}

/**
 * The default of an `@AuthInfo()` tool parameter, so that callers can leave it out: McpAuthModule fills
 * the parameter in whenever the tool runs. Getting here means the module did not wrap this provider.
 */
function suppliedByMcpAuth(): never {
  throw new Error('@AuthInfo() tool parameter was not supplied: import McpAuthModule in the module that provides NotesTools');
}
