/**
 * The one place state shared between instances of an application lives: introspection results, the
 * metadata of authorization servers discovered at run time (tenants) and, later, DPoP replay markers.
 * Keys are namespaced by the caller and never contain a raw token (token-derived keys are SHA-256
 * hashes); values are strings, so any key-value store can hold them.
 *
 * The default is {@link InMemoryMcpAuthStore} (one process). For several instances behind a load balancer
 * pass a shared implementation as the `store` option, such as {@link RedisMcpAuthStore}, or provide your own
 * subclass. Implementations may throw (a store outage); every cache in this library then degrades to
 * asking the authorization server, and never accepts a token it could not check.
 */
export abstract class McpAuthStore {
  /** The value stored under `key`, or `undefined` when absent or expired. */
  abstract get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs` milliseconds (a positive integer), replacing any value. */
  abstract set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Stores `value` only if `key` holds nothing, atomically across every instance sharing the store;
   * `true` when it was stored. For one-time markers (DPoP `jti` replay protection).
   */
  abstract setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Removes `key`; no error when it is absent. */
  abstract delete(key: string): Promise<void>;
}
