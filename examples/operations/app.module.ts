import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { McpController } from '../quick-start/mcp.controller.js';
import { AuditLog } from './audit-log.js';
import { DecisionCounter } from './decision-counter.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [
    TerminusModule,
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
  controllers: [McpController, HealthController],
  providers: [AuditLog, DecisionCounter],
})
export class AppModule {}
