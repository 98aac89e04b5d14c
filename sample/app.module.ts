import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';

import { McpAuthModule } from '../lib/index.js';
import { AuthorizationServerShutdown, EMBEDDED_AUTHORIZATION_SERVER } from './auth-server/authorization-server.shutdown.js';
import type { DevAuthorizationServer } from './auth-server/dev-authorization-server.js';
import { McpModule } from './mcp/mcp.module.js';
import { NotesModule } from './notes/notes.module.js';
import { NOTES_SCOPES, SAMPLE_CONFIG_KEY, type SampleConfiguration, type SampleSettings } from './sample.config.js';

/**
 * The notes MCP server: `/mcp` (MCP tools) and `/notes` (REST), two protected resources trusting one
 * issuer. The issuer and the resource identifiers are only known at run time (the embedded authorization
 * server picks its port), so they reach McpAuthModule the way real settings would: through ConfigService.
 */
@Module({})
export class AppModule {
  static forRoot(settings: SampleSettings, authorizationServer?: DevAuthorizationServer): DynamicModule {
    const shutdown: Provider[] = authorizationServer
      ? [{ provide: EMBEDDED_AUTHORIZATION_SERVER, useValue: authorizationServer }, AuthorizationServerShutdown]
      : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [(): SampleConfiguration => ({ [SAMPLE_CONFIG_KEY]: settings })],
        }),
        McpAuthModule.forRootAsync({
          isGlobal: true,
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService<SampleConfiguration, true>) => {
            const { issuer, mcpResource, notesResource, mcpDpop } = config.get(SAMPLE_CONFIG_KEY, { infer: true });
            const scopesSupported = [...NOTES_SCOPES];
            return {
              protectedResources: [
                // DPoP (MCP_DPOP): the embedded authorization server binds a token to the client's key when the
                // token request carries a DPoP proof; `allowed` takes those and plain Bearer tokens alike.
                { resource: mcpResource, authorizationServers: [issuer], scopesSupported, resourceName: 'Notes MCP server', dpop: mcpDpop },
                { resource: notesResource, authorizationServers: [issuer], scopesSupported, resourceName: 'Notes REST API' },
              ],
            };
          },
        }),
        NotesModule,
        McpModule,
      ],
      providers: shutdown,
    };
  }
}
