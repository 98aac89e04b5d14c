import { Injectable } from '@nestjs/common';

export interface Note {
  id: number;
  text: string;
  author: string;
}

/** Where the notes live; a database in a real application. */
@Injectable()
export class NotesStore {
  private readonly notes: Note[] = [];

  list(): Note[] {
    return [...this.notes];
  }

  add(text: string, author: string): Note {
    const note = { id: this.notes.length + 1, text, author };
    this.notes.push(note);
    return note;
  }
}
