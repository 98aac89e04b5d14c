import { Controller, Get, UseGuards, type DynamicModule, type INestApplication } from '@nestjs/common';
import { AccessTokenVerifier, BearerAuthGuard, MCP_AUTH_RESOLVED_OPTIONS, McpAuthModule, RequireScopes, type ResolvedMcpAuthOptions } from '../../lib/index.js';
import { benchModuleOptions } from '../bench-module-options.js';
import { BENCH_SCOPE, RESPONSE_BODY, type ServerConfig } from '../protocol.js';
import { verifiedTokenCacheSize } from '../verifier/verifier-context.js';

// Our guarded route and module, in a file of their own: the server child imports it only when the route is
// mounted, so an app with only a peer never loads the library (its bootstrap time would include ours).

@Controller('guard')
@UseGuards(BearerAuthGuard)
@RequireScopes(BENCH_SCOPE)
export class GuardedController {
  @Get('mcp')
  handle() {
    return RESPONSE_BODY;
  }
}

/** Our module, trusting both dev authorization servers. */
export function guardedModule(config: ServerConfig): DynamicModule {
  return McpAuthModule.forRoot(benchModuleOptions(config.resource, [config.rsIssuer, config.esIssuer]));
}

/** What the run reads off our module in a running app: the cache's capacity and its current size. */
export function verifiedTokenCacheOf(app: INestApplication): { maxEntries: number | undefined; size: () => number | undefined } {
  const verifier = app.get(AccessTokenVerifier);
  return {
    maxEntries: app.get<ResolvedMcpAuthOptions>(MCP_AUTH_RESOLVED_OPTIONS).jwt.cache?.maxEntries,
    size: () => verifiedTokenCacheSize(verifier),
  };
}
