import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { RpcController } from './rpc.controller.js';

@Module({
  imports: [
    McpAuthModule.forRoot({
      protectedResources: [
        {
          resource: 'http://localhost:3000/rpc',
          authorizationServers: [process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com'],
          scopesSupported: ['read:notes', 'write:notes', 'notes:summarize'],
          // What each operation needs on top of the route's read:notes, where no method of ours is named.
          mcp: {
            tools: { 'create-note': ['write:notes'] },
            resources: { 'notes://{id}': ['read:notes'] },
            prompts: { summarize: ['notes:summarize'] },
          },
        },
      ],
    }),
  ],
  controllers: [RpcController],
})
export class AppModule {}
