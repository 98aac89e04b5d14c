import { Inject, Injectable } from '@nestjs/common';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import type { AuthInfo } from '../verification/auth-info.interface.js';
import { filterListResult, type McpListResult } from './list-filter.js';
import { McpOperationCatalogue } from './mcp-operation-catalogue.js';

/**
 * What a caller may use of an MCP server, for servers that do not filter their lists themselves (the MCP
 * SDKs, a hand-written JSON-RPC endpoint). The guard already refuses what a token does not allow; this
 * keeps a client from being offered it.
 *
 * ```ts
 * return access.filterList({ tools: allTools }, auth); // → { tools: [...allowed], cacheScope: 'private' }
 * ```
 */
@Injectable()
export class McpOperationAccess {
  constructor(
    private readonly catalogue: McpOperationCatalogue,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
  ) {}

  /**
   * The list result with only the tools, resources, resource templates or prompts `auth` may call, as
   * declared for the resource its token was accepted for, marked `cacheScope: "private"` (O4).
   */
  filterList<T extends McpListResult>(result: T, auth: Pick<AuthInfo, 'scopes' | 'roles' | 'resource'>): T & { cacheScope: 'private' } {
    const resource = this.catalogue.resourceFor(auth.resource);
    // A caller of no resource of ours (a token verified elsewhere) is offered only what nothing restricts.
    const table = resource ? this.catalogue.forResource(resource).table : this.catalogue.applicationWide();
    return filterListResult(result, auth, table, this.options.scopeHierarchy);
  }
}
