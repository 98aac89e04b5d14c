import { Module } from '@nestjs/common';
import { McpAuthModule, type McpAuthModuleOptions } from 'nestjs-mcp-auth';

import { NotesController } from './notes.controller.js';

/** The authorization server and the resource identifier come from the environment, as in production. */
export function authOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): McpAuthModuleOptions {
  const { ISSUER, RESOURCE } = env;
  if (!ISSUER || !RESOURCE) throw new Error('set ISSUER and RESOURCE');
  return {
    protectedResources: [{ resource: RESOURCE, authorizationServers: [ISSUER], scopesSupported: ['read:notes', 'write:notes'] }],
  };
}

@Module({
  imports: [McpAuthModule.forRootAsync({ useFactory: () => authOptionsFromEnv() })],
  controllers: [NotesController],
})
export class AppModule {}
