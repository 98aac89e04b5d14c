import type { AuthInfo } from './auth-info.interface.js';
import { deepFreeze } from '../common/deep-freeze.js';
import { tokenHash } from '../common/token-hash.js';
import { BoundedTtlMap } from '../common/bounded-ttl-map.js';
import { withHiddenToken } from './token-claims.js';

export interface VerifiedTokenCacheOptions {
  /** Most entries kept; the least recently used go first. */
  maxEntries: number;
  /** Longest an entry is trusted without verifying the token again, in seconds. */
  maxTtlSeconds: number;
  /** The clock, in milliseconds; injectable for tests. */
  now?: () => number;
}

/**
 * Remembers tokens that passed verification, so a client that sends the same token on every request
 * (as MCP clients do) pays for the signature check once. Safe because:
 * - the key is a SHA-256 of the token and the resource: no raw token is stored (RFC 9700 §4.9.3), and a
 *   token verified for one resource is never served for another;
 * - an entry never outlives the token's `exp`, the `maxTokenAge` limit, or `maxTtlSeconds`;
 * - only successes are stored, so a flood of bad tokens costs no memory, and the size is capped.
 * Scope checks still run on every request; the cached AuthInfo is frozen and handed out as a fresh copy.
 *
 * A token is admitted on its second successful verification, not its first: clients that reuse a token
 * pay one extra check, while a stream of single-use tokens costs only a small set of hashes instead of a
 * full entry each (which would evict useful entries and burden the garbage collector for nothing).
 */
export class VerifiedTokenCache {
  private readonly entries: BoundedTtlMap<string, Omit<AuthInfo, 'token'>>;
  private readonly now: () => number;
  /** Hashes of tokens verified once, in two generations so the set stays bounded without an LRU. */
  private seenOnce = new Set<string>();
  private seenOnceBefore = new Set<string>();

  constructor(private readonly options: VerifiedTokenCacheOptions) {
    this.now = options.now ?? Date.now;
    this.entries = new BoundedTtlMap(options.maxEntries, this.now);
  }

  /** The number of entries held (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** The hash that identifies a token for a resource. */
  keyFor(token: string, resource: string): string {
    return tokenHash(resource, token);
  }

  /** A fresh AuthInfo for a token verified earlier, or `undefined` if unknown or no longer valid. */
  get(key: string, token: string): AuthInfo | undefined {
    const auth = this.entries.get(key);
    // `extra` is the application's to write to, so each request gets its own.
    return auth && withHiddenToken({ ...auth, extra: auth.extra && { ...auth.extra } }, token);
  }

  /**
   * Records a successful verification: stores the AuthInfo until `notAfter` (ms) at the latest if the token
   * was verified before, and otherwise only remembers that it was seen.
   */
  set(key: string, auth: AuthInfo, notAfter: number): void {
    const ttlMs = Math.min(notAfter - this.now(), this.options.maxTtlSeconds * 1000);
    if (ttlMs <= 0 || this.options.maxEntries <= 0 || !this.admit(key)) return;
    // Spreading leaves out the non-enumerable token: the cache never holds one.
    this.entries.set(key, deepFreeze({ ...auth }), ttlMs);
  }

  /** Whether a token was verified before; remembers it otherwise. */
  private admit(key: string): boolean {
    if (this.seenOnce.delete(key) || this.seenOnceBefore.delete(key)) return true;
    if (this.seenOnce.size >= this.options.maxEntries) {
      this.seenOnceBefore = this.seenOnce;
      this.seenOnce = new Set();
    }
    this.seenOnce.add(key);
    return false;
  }
}
