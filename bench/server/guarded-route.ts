import { Controller, Get, UseGuards, type DynamicModule, type INestApplication } from '@nestjs/common';
import {
  AccessTokenVerifier,
  BearerAuthGuard,
  InMemoryMcpAuthStore,
  MCP_AUTH_RESOLVED_OPTIONS,
  McpAuthModule,
  ProtectedResource,
  RequireScopes,
  type ResolvedMcpAuthOptions,
} from '../../lib/index.js';
import { benchDpopResource, benchModuleOptions, DPOP_BENCH_MAX_MARKERS } from '../bench-module-options.js';
import { BENCH_DPOP_RESOURCE, BENCH_RESOURCE, BENCH_SCOPE, RESPONSE_BODY, type ServerConfig } from '../protocol.js';
import { verifiedTokenCacheSize } from '../verifier/verifier-context.js';

// Our guarded routes and module, in a file of their own: the server child imports it only when one of them is
// mounted, so an app with only a peer never loads the library (its bootstrap time would include ours).

// Each route names its resource: with the DPoP resource configured as well, neither path is under the other's
// identifier. Resolved once at start-up, so naming it costs a request nothing.
@Controller('guard')
@ProtectedResource(BENCH_RESOURCE)
@UseGuards(BearerAuthGuard)
@RequireScopes(BENCH_SCOPE)
export class GuardedController {
  @Get('mcp')
  handle() {
    return RESPONSE_BODY;
  }
}

@Controller('dpop')
@ProtectedResource(BENCH_DPOP_RESOURCE)
@UseGuards(BearerAuthGuard)
@RequireScopes(BENCH_SCOPE)
export class DpopGuardedController {
  @Get('mcp')
  handle() {
    return RESPONSE_BODY;
  }
}

/** Our module, trusting both dev authorization servers; with the DPoP resource only when its route is mounted. */
export function guardedModule(config: ServerConfig): DynamicModule {
  const issuers = [config.rsIssuer, config.esIssuer];
  const options = benchModuleOptions(config.resource, issuers);
  if (config.routes.includes('dpop')) {
    options.protectedResources.push(benchDpopResource(BENCH_DPOP_RESOURCE, issuers));
    options.store = new InMemoryMcpAuthStore({ maxMarkers: DPOP_BENCH_MAX_MARKERS });
  }
  return McpAuthModule.forRoot(options);
}

/** What the run reads off our module in a running app: the cache's capacity and its current size. */
export function verifiedTokenCacheOf(app: INestApplication): { maxEntries: number | undefined; size: () => number | undefined } {
  const verifier = app.get(AccessTokenVerifier);
  return {
    maxEntries: app.get<ResolvedMcpAuthOptions>(MCP_AUTH_RESOLVED_OPTIONS).jwt.cache?.maxEntries,
    size: () => verifiedTokenCacheSize(verifier),
  };
}
