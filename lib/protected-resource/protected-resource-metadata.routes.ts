import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MCP_AUTH_LOGGER_CONTEXT, MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { buildProtectedResourceMetadata } from './protected-resource-metadata.js';

/** Metadata changes only with a deployment; let clients and proxies keep it for an hour. */
const CACHE_CONTROL = 'public, max-age=3600';

/**
 * Serves each resource's RFC 9728 document at its path-inserted well-known URL (P1, P2), to anyone
 * (no token, P13) and from any origin (CORS, so browser-based clients such as the MCP Inspector can read it).
 *
 * The routes are registered on the HTTP adapter directly rather than through a controller, because
 * their paths come from options resolved at run time, and because RFC 9728 fixes them at the origin
 * root: a global prefix must not move them, so none is applied and no exclusion is needed.
 */
@Injectable()
export class ProtectedResourceMetadataRoutes implements OnModuleInit {
  private readonly logger = new Logger(MCP_AUTH_LOGGER_CONTEXT);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
  ) {}

  // Runs before Nest registers its 404 handler, so these routes are reachable on Express.
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) {
      this.logger.warn('No HTTP adapter: protected resource metadata is not served');
      return;
    }
    for (const resource of this.options.resources) {
      const body = JSON.stringify(buildProtectedResourceMetadata(resource.options, resource.issuers, resource.dpop));
      adapter.get(resource.metadataPath, (_request: unknown, response: unknown) => {
        adapter.setHeader(response, 'Content-Type', 'application/json');
        adapter.setHeader(response, 'Cache-Control', CACHE_CONTROL);
        adapter.setHeader(response, 'Access-Control-Allow-Origin', '*');
        adapter.reply(response, body, 200);
      });
      adapter.options(resource.metadataPath, (_request: unknown, response: unknown) => {
        adapter.setHeader(response, 'Access-Control-Allow-Origin', '*');
        adapter.setHeader(response, 'Access-Control-Allow-Methods', 'GET, OPTIONS');
        adapter.setHeader(response, 'Access-Control-Allow-Headers', 'Authorization, Content-Type, MCP-Protocol-Version');
        adapter.setHeader(response, 'Access-Control-Max-Age', '86400');
        adapter.reply(response, undefined, 204);
      });
      this.logger.log(`Protected resource metadata for ${resource.resource} at ${resource.metadataPath}`);
    }
  }
}
