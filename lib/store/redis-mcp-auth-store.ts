import { McpAuthStore } from './mcp-auth-store.js';

/**
 * The few commands the Redis store sends, typed structurally so that this library never imports a Redis
 * client: an `ioredis` instance (`new Redis(url)`, a `Cluster`) fits as it is.
 */
export interface RedisClientLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number): Promise<unknown>;
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>;
  del(key: string): Promise<number>;
}

/** Options of {@link RedisMcpAuthStore}. */
export interface RedisMcpAuthStoreOptions {
  /** Prepended to every key, so one Redis can serve several applications. Default `mcp-auth:`. */
  keyPrefix?: string;
  /**
   * Longest wait for one command, in milliseconds, after which it counts as failed. Default 500. A client
   * that queues commands while disconnected (ioredis' offline queue) would otherwise hold requests during
   * an outage; with `enableOfflineQueue: false` commands fail at once anyway.
   */
  operationTimeoutMs?: number;
}

/**
 * A {@link McpAuthStore} in Redis, shared by every instance of the application: an introspection result
 * or tenant metadata fetched by one instance is used by all. Give it a connected client you own (and
 * close); entries expire by Redis TTL (`PX`), `setIfAbsent` is `SET … NX`.
 *
 * ```ts
 * const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
 * McpAuthModule.forRoot({ ...options, store: new RedisMcpAuthStore(redis) });
 * ```
 */
export class RedisMcpAuthStore extends McpAuthStore {
  private readonly keyPrefix: string;
  private readonly operationTimeoutMs: number;

  constructor(
    private readonly client: RedisClientLike,
    options: RedisMcpAuthStoreOptions = {},
  ) {
    super();
    this.keyPrefix = options.keyPrefix ?? 'mcp-auth:';
    this.operationTimeoutMs = options.operationTimeoutMs ?? 500;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.bounded(this.client.get(this.keyPrefix + key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.bounded(this.client.set(this.keyPrefix + key, value, 'PX', positiveMilliseconds(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.bounded(this.client.set(this.keyPrefix + key, value, 'PX', positiveMilliseconds(ttlMs), 'NX'))) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.bounded(this.client.del(this.keyPrefix + key));
  }

  private bounded<T>(operation: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.operationTimeoutMs} ms`)), this.operationTimeoutMs);
      timer.unref();
    });
    return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Redis refuses `PX 0` and fractions. */
function positiveMilliseconds(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}
