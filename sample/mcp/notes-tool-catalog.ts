import { z } from 'zod';

import type { NotesTools } from './notes.tools.js';

// What the notes tools are, written once for both MCP SDKs' servers (mcp-server.factory.ts for v2,
// mcp-server-v1.factory.ts for v1): the same names, descriptions, input schema and results, whichever SDK
// answers. Who may call them is not here: that is @RequireScopes() on NotesTools, enforced by the guard.

/**
 * A tool's answer: its value as JSON text, a shape the `CallToolResult` of both SDKs accepts. A type, not
 * an interface: only a type alias is assignable to their index signature (`[key: string]: unknown`).
 */
export type JsonToolResult = { content: Array<{ type: 'text'; text: string }> };

/** What `serverInfo` says: the SDK is in the name, so a client (and a test) can tell which one answers. */
export function notesServerInfo(sdk: 'SDK v1' | 'SDK v2'): { name: string; version: string } {
  return { name: `nestjs-mcp-auth notes (${sdk})`, version: '1.0.0' };
}

export const WHOAMI_TOOL = {
  name: 'whoami',
  description: 'Who is calling: the subject, client id and scopes of the access token.',
  call: (tools: NotesTools): JsonToolResult => jsonResult(tools.whoami()),
} as const;

export const LIST_NOTES_TOOL = {
  name: 'list-notes',
  description: 'List all notes.',
  call: (tools: NotesTools): JsonToolResult => jsonResult({ notes: tools.listNotes() }),
} as const;

export const CREATE_NOTE_TOOL = {
  name: 'create-note',
  description: 'Create a note. Needs the write:notes scope.',
  // A Zod 4 object: SDK v2 takes it, and so does SDK v1 (its peer range is zod ^3.25 || ^4).
  inputSchema: z.object({
    text: z.string().min(1).max(1000).describe('The text of the note'),
  }),
  call: (tools: NotesTools, { text }: { text: string }): JsonToolResult => jsonResult(tools.createNote({ text })),
} as const;

function jsonResult(value: object): JsonToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}
