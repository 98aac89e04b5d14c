import { describe, expect, it } from 'vitest';
import { BoundedTtlMap } from '../../../lib/common/bounded-ttl-map.js';

const LONG = 60_000;

function filled(maxEntries: number, keys: string[], now = () => 0): BoundedTtlMap<string, string> {
  const map = new BoundedTtlMap<string, string>(maxEntries, now);
  for (const key of keys) map.set(key, `value of ${key}`, LONG);
  return map;
}

function present(map: BoundedTtlMap<string, string>, keys: string[]): string[] {
  return keys.filter((key) => map.has(key));
}

describe('BoundedTtlMap', () => {
  it('never holds more than maxEntries, whatever is inserted', () => {
    const map = filled(
      10,
      Array.from({ length: 1_000 }, (_, index) => `key-${index}`),
    );
    expect(map.size).toBe(10);
  });

  it('evicts the least recently used entry in a small map, reads included', () => {
    const map = filled(2, ['a', 'b']);
    expect(map.get('a')).toBe('value of a');
    map.set('c', 'value of c', LONG);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe('value of a');
  });

  it('keeps an entry read while it was in the older half for at least half the capacity of new entries', () => {
    const keys = Array.from({ length: 10 }, (_, index) => `old-${index}`);
    const map = filled(10, keys);
    // old-1 is second in line for eviction: the read must move it to the back.
    expect(map.get('old-1')).toBe('value of old-1');
    for (let index = 0; index < 9; index++) map.set(`new-${index}`, 'new', LONG);
    expect(map.get('old-1')).toBe('value of old-1');
    expect(present(map, keys)).toEqual(['old-1']);
  });

  it('keeps an entry read again and again in the newer half for at least half the capacity of new entries', () => {
    const keys = Array.from({ length: 10 }, (_, index) => `old-${index}`);
    const map = filled(10, keys);
    // Hot: read again and again right after its insertion, never moved.
    for (let read = 0; read < 100; read++) expect(map.get('old-9')).toBe('value of old-9');
    for (let index = 0; index < 5; index++) map.set(`new-${index}`, 'new', LONG);
    // Read now that it is in the older half, it moves to the back and outlives the next nine.
    expect(map.get('old-9')).toBe('value of old-9');
    for (let index = 5; index < 14; index++) map.set(`new-${index}`, 'new', LONG);
    expect(present(map, keys)).toEqual(['old-9']);
  });

  it('never serves an expired entry, hot or not', () => {
    let now = 0;
    const map = filled(10, ['hot'], () => now);
    for (let read = 0; read < 10; read++) expect(map.get('hot')).toBe('value of hot');
    now = LONG;
    expect(map.get('hot')).toBeUndefined();
    expect(map.size).toBe(0);
  });
});
