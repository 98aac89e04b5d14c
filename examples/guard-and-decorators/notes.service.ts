import { Injectable } from '@nestjs/common';
import { McpAuthContext } from 'nestjs-mcp-auth';

export interface Note {
  text: string;
  /** Who wrote it: the caller's stable `principalId` (`<issuer>#sub:<sub>` or `<issuer>#client:<client id>`). */
  author: string;
}

@Injectable()
export class NotesService {
  private readonly notes: Note[] = [];

  // Any provider called during a guarded request sees the caller, without it being passed down.
  constructor(private readonly context: McpAuthContext) {}

  list(): Note[] {
    return [...this.notes];
  }

  create(text: string): Note {
    const note = { text, author: this.context.getOrThrow().principalId };
    this.notes.push(note);
    return note;
  }
}
