import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { McpController } from './mcp.controller.js';
import { NotesStore } from './notes.store.js';
import { NotesTools } from './notes.tools.js';

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
  providers: [NotesTools, NotesStore], // tool providers are ordinary providers
})
export class AppModule {}
