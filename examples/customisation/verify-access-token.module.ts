import { Module } from '@nestjs/common';
import { InvalidTokenFailure, McpAuthModule } from 'nestjs-mcp-auth';

import { NotesModule } from '../guard-and-decorators/notes.module.js';
import { TokenModule } from './token.module.js';
import { TokenService } from './token.service.js';

// A function: return the token's claims; the library builds AuthInfo (claim mapping included).
@Module({
  imports: [
    McpAuthModule.forRootAsync({
      imports: [TokenModule],
      inject: [TokenService],
      isGlobal: true,
      useFactory: (tokens: TokenService) => ({
        protectedResources: [
          { resource: 'http://localhost:3000/notes', authorizationServers: [process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com'] },
        ],
        verifyAccessToken: async (token, resource) => {
          const claims = await tokens.lookUp(token); // { iss, sub, client_id, scope, aud, exp }
          if (!claims || !resource.audiences.includes(claims.aud)) throw new InvalidTokenFailure('Unknown token');
          return { ...claims };
        },
      }),
    }),
    NotesModule,
  ],
})
export class AppModule {}
