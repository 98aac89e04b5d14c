import { createHash } from 'node:crypto';
import { InvalidDpopProofFailure, StoreUnavailableFailure } from '../errors/authentication-failures.js';
import type { McpAuthStore } from '../store/mcp-auth-store.js';

/**
 * Marks a proof as used, once across every instance sharing the store (RFC 9449 §11.1): the first use of a
 * (key, `jti`) pair wins; any later one within the TTL is a replay. The TTL covers the whole `iat` window on
 * both sides, so a proof is remembered for as long as it could be accepted. An unreachable store refuses the
 * request (503): a proof that cannot be checked for replay is never accepted.
 */
export async function useProofOnce(store: McpAuthStore, thumbprint: string, jti: string, ttlMs: number): Promise<void> {
  const key = `dpop-jti:${createHash('sha256').update(thumbprint).update('\0').update(jti).digest('base64url')}`;
  let first: boolean;
  try {
    first = await store.setIfAbsent(key, '1', ttlMs);
  } catch {
    throw new StoreUnavailableFailure('The store holding DPoP replay markers is unreachable');
  }
  if (!first) throw new InvalidDpopProofFailure('The DPoP proof was used before (jti replay)');
}
