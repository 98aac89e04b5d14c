import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { NotesStore } from '../mcp-tools/notes.store.js';
import { NotesTools } from '../mcp-tools/notes.tools.js';
import { McpController } from './mcp.controller.js';

@Module({
  imports: [
    McpAuthModule.forRoot({
      protectedResources: [
        {
          resource: 'http://localhost:3000/mcp',
          authorizationServers: [process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com'],
          scopesSupported: ['read:notes', 'write:notes'],
        },
      ],
    }),
  ],
  controllers: [McpController],
  providers: [NotesTools, NotesStore],
})
export class AppModule {}
