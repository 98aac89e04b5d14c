import type { McpAuthModuleOptions, ProtectedResourceOptions } from '../lib/index.js';
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

/** The DPoP resource's `iat` window, ± seconds: the library default (SEP-1932), which the resource keeps. */
export const DPOP_PROOF_MAX_AGE_SECONDS = 300;

/**
 * The DPoP route's resource: the same issuers and scope, `dpop: 'allowed'` with the library's defaults (every
 * asymmetric algorithm, ±300 s `iat` window, no nonce, replay markers in the default in-memory McpAuthStore).
 */
export function benchDpopResource(resource: string, issuers: string[]): ProtectedResourceOptions {
  return { resource, authorizationServers: issuers, scopesSupported: [BENCH_SCOPE], dpop: 'allowed' };
}
