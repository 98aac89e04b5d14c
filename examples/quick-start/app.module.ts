import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { McpController } from './mcp.controller.js';

@Module({
  imports: [
    McpAuthModule.forRoot({
      protectedResources: [
        {
          resource: 'http://localhost:3000/mcp', // the URL clients connect to, byte for byte
          // your authorization server's issuer (Auth0, Keycloak, Entra ID, …), discovered at bootstrap
          authorizationServers: [process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com'],
          scopesSupported: ['read:notes', 'write:notes'],
        },
      ],
    }),
  ],
  controllers: [McpController],
})
export class AppModule {}
