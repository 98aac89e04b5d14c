import { describe, expect, it } from 'vitest';
import { InMemoryMcpAuthStore } from '../../../lib/store/in-memory-mcp-auth-store.js';
import { McpAuthStore } from '../../../lib/store/mcp-auth-store.js';
import { StoreCache } from '../../../lib/store/store-cache.js';

class BrokenStore extends McpAuthStore {
  calls = 0;
  get(): Promise<string | undefined> {
    this.calls++;
    return Promise.reject(new Error('connection refused'));
  }
  set(): Promise<void> {
    this.calls++;
    return Promise.reject(new Error('connection refused'));
  }
  setIfAbsent(): Promise<boolean> {
    return Promise.reject(new Error('connection refused'));
  }
  delete(): Promise<void> {
    return Promise.reject(new Error('connection refused'));
  }
}

const isNumberBox = (value: unknown): value is { n: number } => typeof (value as { n?: unknown })?.n === 'number';

describe('StoreCache', () => {
  it('round-trips JSON values under its namespace', async () => {
    const store = new InMemoryMcpAuthStore();
    const cache = new StoreCache(store, 'ns:', isNumberBox);
    await cache.set('k', { n: 1 }, 1_000);
    expect(await cache.get('k')).toEqual({ n: 1 });
    expect(await store.get('ns:k')).toBe('{"n":1}');
  });

  it('a failing store reads as a miss and drops writes, never throwing', async () => {
    const store = new BrokenStore();
    const cache = new StoreCache(store, 'ns:', isNumberBox);
    await expect(cache.get('k')).resolves.toBeUndefined();
    await expect(cache.set('k', { n: 1 }, 1_000)).resolves.toBeUndefined();
    expect(store.calls).toBe(2);
  });

  it('a corrupt or foreign value is a miss, not trusted', async () => {
    const store = new InMemoryMcpAuthStore();
    const cache = new StoreCache(store, 'ns:', isNumberBox);
    await store.set('ns:bad-json', '{', 1_000);
    await store.set('ns:wrong-shape', '{"n":"1"}', 1_000);
    expect(await cache.get('bad-json')).toBeUndefined();
    expect(await cache.get('wrong-shape')).toBeUndefined();
  });
});
