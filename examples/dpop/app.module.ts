import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { McpController } from '../quick-start/mcp.controller.js';

@Module({
  imports: [
    McpAuthModule.forRoot({
      protectedResources: [
        {
          // Proofs must name this URL (htu), whatever Host a proxy forwards: the public URL of the endpoint.
          resource: process.env.MCP_RESOURCE ?? 'http://localhost:3000/mcp',
          authorizationServers: [process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com'],
          scopesSupported: ['read:notes', 'write:notes'],
          // Bearer and DPoP-bound tokens; 'required' would refuse Bearer. A bound token always needs its proof.
          dpop: { mode: 'allowed', algorithms: ['ES256', 'EdDSA'] },
        },
      ],
    }),
  ],
  controllers: [McpController],
})
export class AppModule {}
