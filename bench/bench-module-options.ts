import type { McpAuthModuleOptions } from '../lib/index.js';
import { BENCH_SCOPE } from './protocol.js';

/**
 * The module options every measurement of ours uses: the library defaults (verified-token cache on,
 * 10 000 entries), one resource, the given issuers. Only `jwt` overrides are ever passed, and only by the
 * micro-benchmark's cache-off contender.
 */
export function benchModuleOptions(resource: string, issuers: string[], jwt?: McpAuthModuleOptions['jwt']): McpAuthModuleOptions {
  return {
    protectedResources: [{ resource, authorizationServers: issuers, scopesSupported: [BENCH_SCOPE] }],
    ...(jwt ? { jwt } : {}),
  };
}
