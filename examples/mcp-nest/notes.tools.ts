import { UseFilters } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { McpController, McpExceptionFilter, Tool, ToolRoles, ToolScopes } from '@rekog/mcp-nest';
import { AuthInfo, RequireScopes } from 'nestjs-mcp-auth';
import { z } from 'zod';

const notes: Array<{ text: string; author: string }> = [];

function json(value: unknown) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(value) }] };
}

@McpController()
@UseFilters(McpExceptionFilter) // tool errors (ours included) reach the client as tool results
export class NotesTools {
  @Tool({ name: 'create-note', description: 'Create a note', parameters: z.object({ text: z.string() }) })
  @ToolScopes(['read:notes', 'write:notes']) // hidden from tools/list by MCP-Nest; 403 step-up from our guard without them
  createNote(@Payload() { text }: { text: string }, @AuthInfo('principalId') author: string) {
    const note = { text, author };
    notes.push(note);
    return json(note);
  }

  @Tool({ name: 'audit-notes', description: 'For auditors' })
  @ToolRoles(['notes-auditor']) // MCP-Nest: read from req.user.roles
  auditNotes() {
    return json({ count: notes.length });
  }

  @Tool({ name: 'purge-notes', description: 'Delete every note' })
  @RequireScopes('notes:admin') // or ours: the same 403 step-up (MCP-Nest does not hide the tool then)
  purgeNotes(@Payload() _input: unknown, @AuthInfo() caller: AuthInfo) {
    notes.length = 0;
    return json({ purgedBy: caller.principalId });
  }
}
