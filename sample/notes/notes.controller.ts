import { Body, Controller, Get, Post, UseGuards, ValidationPipe } from '@nestjs/common';

import { AuthInfo, BearerAuthGuard, RequireScopes } from '../../lib/index.js';
import { CreateNoteDto } from './create-note.dto.js';
import { authorOf, NotesStore, type Note } from './notes.store.js';

/**
 * The same notes over plain REST: a second protected resource (`NOTES_RESOURCE`), with its own metadata
 * document and audience. A token issued for `/mcp` is not accepted here, and the other way round.
 */
@Controller('notes')
@UseGuards(BearerAuthGuard)
export class NotesController {
  constructor(private readonly notes: NotesStore) {}

  @Get()
  @RequireScopes('read:notes')
  list(): Note[] {
    return this.notes.list();
  }

  @Post()
  @RequireScopes('write:notes')
  create(
    @Body(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true })) body: CreateNoteDto,
    @AuthInfo() caller: AuthInfo,
  ): Note {
    return this.notes.create(body.text, authorOf(caller));
  }
}
