import { describe, expect, it } from 'vitest';
import { BoundedTtlMap } from '../../../lib/common/bounded-ttl-map.js';
import { InMemoryMcpAuthStore } from '../../../lib/store/in-memory-mcp-auth-store.js';
import { McpAuthStore } from '../../../lib/store/mcp-auth-store.js';

describe('InMemoryMcpAuthStore', () => {
  it('is a McpAuthStore: get, set with a TTL, setIfAbsent, delete', async () => {
    let now = 1_000;
    const store = new InMemoryMcpAuthStore({ now: () => now });
    expect(store).toBeInstanceOf(McpAuthStore);
    await store.set('a', 'one', 100);
    expect(await store.get('a')).toBe('one');
    expect(await store.setIfAbsent('a', 'two', 100)).toBe(false);
    expect(await store.get('a')).toBe('one');
    now += 100;
    expect(await store.get('a')).toBeUndefined();
    expect(await store.setIfAbsent('a', 'two', 100)).toBe(true);
    expect(await store.get('a')).toBe('two');
    await store.delete('a');
    await store.delete('never-there');
    expect(await store.get('a')).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const store = new InMemoryMcpAuthStore({ maxEntries: 2 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.get('a');
    await store.set('c', '3', 60_000);
    expect(await store.get('a')).toBe('1');
    expect(await store.get('b')).toBeUndefined();
    expect(store.size).toBe(2);
  });

  it('K7: never pushes a live one-time marker out, by caching or by more markers; full, it refuses (a 503 upstream)', async () => {
    let now = 1_000;
    const store = new InMemoryMcpAuthStore({ maxEntries: 2, maxMarkers: 2, now: () => now });
    expect(await store.setIfAbsent('jti-1', '1', 1_000)).toBe(true);
    expect(await store.setIfAbsent('jti-2', '1', 1_000)).toBe(true);
    for (const key of ['c1', 'c2', 'c3']) await store.set(key, 'cached', 60_000);
    await expect(store.setIfAbsent('jti-3', '1', 1_000)).rejects.toThrow(/maxMarkers/);
    // Both markers are still there: a replay of either is still refused.
    expect(await store.setIfAbsent('jti-1', '1', 1_000)).toBe(false);
    expect(await store.setIfAbsent('jti-2', '1', 1_000)).toBe(false);
    now += 1_000;
    expect(await store.setIfAbsent('jti-3', '1', 1_000)).toBe(true);
  });
});

describe('BoundedTtlMap', () => {
  it('never grows past its cap, whatever is put in', () => {
    const map = new BoundedTtlMap<string, number>(100);
    for (let index = 0; index < 10_000; index++) map.set(`key-${index}`, index, 60_000);
    expect(map.size).toBe(100);
    expect(map.get('key-9999')).toBe(9999);
    expect(map.get('key-0')).toBeUndefined();
  });

  it('prefers evicting an expired entry over a live one', () => {
    let now = 0;
    const map = new BoundedTtlMap<string, string>(2, () => now);
    // `long` is the least recently used: evicting by recency alone would drop it, not the expired `short`.
    map.set('long', 'l', 1_000);
    map.set('short', 's', 10);
    now = 20;
    map.set('new', 'n', 1_000);
    expect(map.get('long')).toBe('l');
    expect(map.get('new')).toBe('n');
    expect(map.get('short')).toBeUndefined();
    expect(map.size).toBe(2);
  });

  it('stores nothing for a non-positive TTL', () => {
    const map = new BoundedTtlMap<string, string>(2);
    map.set('a', 'a', 0);
    expect(map.size).toBe(0);
  });
});
