import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { McpController } from '../quick-start/mcp.controller.js';

@Module({
  imports: [
    McpAuthModule.forRoot({
      protectedResources: [
        {
          resource: 'http://localhost:3000/mcp',
          tokenFormat: 'opaque', // or 'mixed': JWTs verified locally, everything else introspected
          authorizationServers: [
            {
              issuer: process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com',
              // the client the authorization server registered for this resource server (client_secret_basic)
              introspection: { clientId: 'notes-api', clientSecret: process.env.INTROSPECTION_SECRET },
              // or { clientId, clientSecret, authMethod: 'client_secret_post' }
              // or { clientId, privateKey: jwk }          (private_key_jwt, RFC 7523; assertion audience = the issuer)
              // and { endpoint } to call another URL than the discovered one (split horizon)
            },
          ],
        },
      ],
      introspection: { cache: { maxTtlSeconds: 60 } }, // off by default
    }),
  ],
  controllers: [McpController],
})
export class AppModule {}
