import { BoundedTtlMap } from '../common/bounded-ttl-map.js';
import { McpAuthStore } from './mcp-auth-store.js';

/** Options of {@link InMemoryMcpAuthStore}. */
export interface InMemoryMcpAuthStoreOptions {
  /** Most entries held; the least recently used go first. Default 10000. */
  maxEntries?: number;
  /**
   * Most one-time markers (`setIfAbsent`, DPoP proof `jti`s) held. A live marker is never pushed out, or a
   * replay would pass once it was: when this many are live, `setIfAbsent` throws and the request is refused
   * with 503. Default 100000 (about 30 MB).
   */
  maxMarkers?: number;
  /** The clock, in milliseconds; injectable for tests. */
  now?: () => number;
}

/**
 * The default {@link McpAuthStore}: a bounded map in this process. Right for a single instance; with
 * several, each keeps its own entries (correct, only less effective), until a shared store replaces it.
 */
export class InMemoryMcpAuthStore extends McpAuthStore {
  private readonly entries: BoundedTtlMap<string, string>;
  // Apart from the cache entries, so that no amount of caching can push a live marker out.
  private readonly markers: BoundedTtlMap<string, string>;

  constructor(options: InMemoryMcpAuthStoreOptions = {}) {
    super();
    this.entries = new BoundedTtlMap(options.maxEntries ?? 10_000, options.now);
    this.markers = new BoundedTtlMap(options.maxMarkers ?? 100_000, options.now);
  }

  /** Live entries held (for tests and diagnostics). */
  get size(): number {
    return this.values().length;
  }

  /** Every live value, so tests can prove no raw token is ever stored. */
  values(): string[] {
    return [...this.entries.values(), ...this.markers.values()];
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.entries.get(key) ?? this.markers.get(key));
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, value, ttlMs);
    return Promise.resolve();
  }

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.markers.has(key) || this.entries.has(key)) return Promise.resolve(false);
    if (!this.markers.setUnlessFull(key, value, ttlMs)) {
      return Promise.reject(new Error(`InMemoryMcpAuthStore holds ${this.markers.size} live one-time markers, its maxMarkers`));
    }
    return Promise.resolve(true);
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    this.markers.delete(key);
    return Promise.resolve();
  }
}
