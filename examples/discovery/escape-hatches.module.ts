import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { McpController } from '../quick-start/mcp.controller.js';

const publicIssuer = process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com/realms/notes';
const tokenIssuer = process.env.TOKEN_ISSUER ?? 'https://tokens.example.com';

@Module({
  imports: [
    McpAuthModule.forRoot({
      protectedResources: [
        {
          resource: 'http://localhost:3000/mcp',
          authorizationServers: [
            // split horizon: the public issuer, its metadata fetched from an internal URL (Docker, Kubernetes)
            { issuer: publicIssuer, metadataUrl: process.env.MCP_AUTH_METADATA_URL ?? 'http://keycloak:8080/realms/notes/.well-known/openid-configuration' },
            // no discovery at all
            { issuer: tokenIssuer, metadata: { issuer: tokenIssuer, jwks_uri: `${tokenIssuer}/jwks` } },
          ],
        },
      ],
    }),
  ],
  controllers: [McpController],
})
export class AppModule {}
