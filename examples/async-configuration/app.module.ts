import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { McpAuthModule } from 'nestjs-mcp-auth';

import { NotesModule } from '../guard-and-decorators/notes.module.js';

@Module({
  imports: [
    ConfigModule.forRoot(), // MCP_RESOURCE and MCP_AUTH_ISSUER from the environment (or a .env file)
    McpAuthModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      isGlobal: true, // feature modules can use BearerAuthGuard without importing McpAuthModule
      useFactory: (config: ConfigService) => ({
        protectedResources: [
          {
            resource: config.getOrThrow<string>('MCP_RESOURCE'),
            authorizationServers: [config.getOrThrow<string>('MCP_AUTH_ISSUER')],
            scopesSupported: ['read:notes', 'write:notes'],
          },
        ],
        scopeHierarchy: { 'notes:admin': ['write:notes'], 'write:notes': ['read:notes'] },
      }),
    }),
    NotesModule,
  ],
})
export class AppModule {}
