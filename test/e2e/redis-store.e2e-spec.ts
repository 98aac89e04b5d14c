import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpAuthStore, RedisMcpAuthStore } from '../../lib/index.js';
import { connectRedis, uniqueKeyPrefix } from '../fixtures/redis.js';

/** The Redis store against a real redis-server (the one the test run starts: test/setup/global-setup.ts). */
describe('RedisMcpAuthStore', () => {
  let first: Redis;
  let second: Redis;
  let prefix: string;
  let store: RedisMcpAuthStore;

  beforeAll(async () => {
    first = await connectRedis();
    second = await connectRedis();
    prefix = uniqueKeyPrefix();
    // An ioredis client fits the structural client type as it is: no adapter, no cast.
    store = new RedisMcpAuthStore(first, { keyPrefix: prefix });
  });

  afterAll(() => {
    first?.disconnect();
    second?.disconnect();
  });

  it('is a McpAuthStore: set, get, delete, under its key prefix', async () => {
    expect(store).toBeInstanceOf(McpAuthStore);
    expect(await store.get('missing')).toBeUndefined();
    await store.set('a', 'value', 60_000);
    expect(await store.get('a')).toBe('value');
    expect(await first.get(`${prefix}a`)).toBe('value');
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });

  it('entries carry their TTL in Redis (PX), rounded up to a whole positive millisecond', async () => {
    await store.set('ttl', 'v', 30_000);
    const ttl = await first.pttl(`${prefix}ttl`);
    // Milliseconds, not seconds: a store that sent 30 000 ms as EX would leave about 8 hours, as PX 30 a blink.
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await store.set('tiny', 'v', 0.2);
    // PX 1: one millisecond left, none, or gone already — never -1 (no expiry at all).
    expect([1, 0, -2]).toContain(await first.pttl(`${prefix}tiny`));
  });

  it('setIfAbsent is atomic across instances: of many concurrent writers exactly one wins', async () => {
    const other = new RedisMcpAuthStore(second, { keyPrefix: prefix });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? store : other).setIfAbsent('once', `writer-${index}`, 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await other.get('once')).toMatch(/^writer-\d+$/);
  });

  it('a command that gets no answer fails after operationTimeoutMs instead of hanging', async () => {
    const silent = { get: () => new Promise<string | null>(() => undefined), set: () => new Promise(() => undefined), del: () => new Promise<number>(() => undefined) };
    const bounded = new RedisMcpAuthStore(silent, { operationTimeoutMs: 50 });
    await expect(bounded.get('x')).rejects.toThrow('Redis did not answer within 50 ms');
  });
});
