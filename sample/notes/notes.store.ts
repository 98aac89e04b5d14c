import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type { AuthInfo } from '../../lib/index.js';

/** A note, as the MCP tools and the REST API return it. */
export interface Note {
  id: string;
  text: string;
  /** Who wrote it: the token's subject (for client_credentials tokens, the client). */
  author: string;
  createdAt: string;
}

/**
 * The notes, in memory: one list shared by the MCP tools and the REST API, gone when the process stops.
 * A real application would put a repository here.
 */
@Injectable()
export class NotesStore {
  private readonly notes: Note[] = [];

  list(): Note[] {
    return this.notes.map((note) => ({ ...note }));
  }

  create(text: string, author: string): Note {
    const note: Note = { id: randomUUID(), text, author, createdAt: new Date().toISOString() };
    this.notes.push(note);
    return { ...note };
  }
}

/** The name a note is signed with: the person behind the token, else the client it was issued to. */
export function authorOf(caller: AuthInfo): string {
  return caller.subject ?? caller.clientId;
}
