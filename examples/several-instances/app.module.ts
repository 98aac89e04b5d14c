import { Module } from '@nestjs/common';
import { Redis } from 'ioredis';
import { McpAuthModule, RedisMcpAuthStore } from 'nestjs-mcp-auth';

import { McpController } from '../quick-start/mcp.controller.js';
import { RedisModule } from './redis.module.js';

@Module({
  imports: [
    McpAuthModule.forRootAsync({
      imports: [RedisModule],
      inject: [Redis],
      useFactory: (redis: Redis) => ({
        protectedResources: [
          {
            resource: 'http://localhost:3000/mcp',
            tokenFormat: 'opaque',
            authorizationServers: [
              {
                issuer: process.env.MCP_AUTH_ISSUER ?? 'https://login.example.com',
                introspection: { clientId: 'notes-api', clientSecret: process.env.INTROSPECTION_SECRET },
              },
            ],
          },
        ],
        introspection: { cache: { maxTtlSeconds: 60 } }, // every instance sees what one introspected
        store: new RedisMcpAuthStore(redis, { keyPrefix: 'notes-mcp:' }),
      }),
    }),
  ],
  controllers: [McpController],
})
export class AppModule {}
