import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { McpHttpController, resource } from './mcp-http.controller.js';
import { NotesTools } from './notes.tools.js';

@Module({
  imports: [
    McpAuthModule.forRoot({
      protectedResources: [{ resource, authorizationServers: [process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com'] }],
      scopeHierarchy: { 'notes:admin': ['write:notes', 'read:notes'] },
    }),
  ],
  controllers: [McpHttpController, NotesTools],
})
export class AppModule {}
