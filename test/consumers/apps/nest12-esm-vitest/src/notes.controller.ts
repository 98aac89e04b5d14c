import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthInfo, BearerAuthGuard, RequireScopes } from 'nestjs-mcp-auth';

@Controller('notes')
@UseGuards(BearerAuthGuard)
export class NotesController {
  @Get()
  @RequireScopes('read:notes')
  list(@AuthInfo() auth: AuthInfo): { notes: string[]; clientId: string; scopes: string[] } {
    return { notes: ['first note'], clientId: auth.clientId, scopes: auth.scopes };
  }
}
