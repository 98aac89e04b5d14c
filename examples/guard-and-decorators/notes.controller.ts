import { Body, Controller, Get, Post, UseGuards } from '@nestjs/common';
import { AuthInfo, BearerAuthGuard, RequireScopes } from 'nestjs-mcp-auth';

import { NotesService, type Note } from './notes.service.js';

@Controller('notes')
@UseGuards(BearerAuthGuard)
@RequireScopes('read:notes') // class scopes apply to every route…
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  list(@AuthInfo('clientId') clientId: string): { clientId: string; notes: Note[] } {
    return { clientId, notes: this.notes.list() };
  }

  @Post()
  @RequireScopes('write:notes') // …and add up with method scopes: this route needs both
  create(@AuthInfo() caller: AuthInfo, @Body('text') text: string): Note & { scopes: string[] } {
    return { ...this.notes.create(text), scopes: caller.scopes };
  }
}
