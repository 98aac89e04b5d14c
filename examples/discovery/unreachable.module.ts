import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

@Module({
  imports: [
    McpAuthModule.forRoot({
      protectedResources: [
        { resource: 'http://localhost:3000/mcp', authorizationServers: [process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com'] },
      ],
      discovery: { timeoutMs: 1000, retries: 0 }, // one round of requests, each given a second
    }),
  ],
})
export class AppModule {}
