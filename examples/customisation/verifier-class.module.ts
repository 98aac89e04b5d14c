import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { NotesModule } from '../guard-and-decorators/notes.module.js';
import { TokenModule } from './token.module.js';
import { TokenServiceVerifier } from './token-service.verifier.js';

@Module({
  imports: [
    McpAuthModule.forRootAsync({
      imports: [TokenModule], // what TokenServiceVerifier injects
      useFactory: () => ({
        protectedResources: [
          { resource: 'http://localhost:3000/notes', authorizationServers: [process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com'] },
        ],
      }),
      isGlobal: true,
      verifier: TokenServiceVerifier,
    }),
    NotesModule,
  ],
})
export class AppModule {}
