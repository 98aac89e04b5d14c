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
 * Replay markers the in-memory store of a DPoP run may hold. Each proof's marker lives for the whole `iat`
 * window on both sides (600 s), longer than a run: with the default 100 000, a route serving more than about
 * 6 000 proofs per second over a warm-up and three rounds fills the store, and from then on the library refuses
 * every proof with 503 rather than forget a live marker (K7), which is right and not what the bench measures.
 */
export const DPOP_BENCH_MAX_MARKERS = 1_000_000;

/**
 * The DPoP route's resource: the same issuers and scope, `dpop: 'allowed'` with the library's defaults (every
 * asymmetric algorithm, ±300 s `iat` window, no nonce), its replay markers in the in-memory McpAuthStore (room for
 * {@link DPOP_BENCH_MAX_MARKERS} of them).
 */
export function benchDpopResource(resource: string, issuers: string[]): ProtectedResourceOptions {
  return { resource, authorizationServers: issuers, scopesSupported: [BENCH_SCOPE], dpop: 'allowed' };
}
