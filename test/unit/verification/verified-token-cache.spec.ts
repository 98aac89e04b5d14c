import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { AuthInfo } from '../../../lib/index.js';
import { withHiddenToken } from '../../../lib/verification/token-claims.js';
import { VerifiedTokenCache } from '../../../lib/verification/verified-token-cache.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

function authInfo(): AuthInfo {
  return withHiddenToken(
    {
      clientId: 'client',
      scopes: ['read:notes'],
      roles: [],
      expiresAt: 2_000,
      issuer: 'https://as.example.com',
      subject: 'alice',
      audience: ['https://api.example.com/mcp'],
      principalId: 'https://as.example.com#sub:alice',
      principalType: 'user' as const,
      claims: { sub: 'alice', scope: 'read:notes' },
      extra: { note: 'original' },
    },
    TOKEN,
  );
}

/** A token verified twice: the cache admits it on the second success. */
function store(cache: VerifiedTokenCache, key: string, auth: AuthInfo, notAfter: number): void {
  cache.set(key, auth, notAfter);
  cache.set(key, auth, notAfter);
}

function cacheAt(clock: { now: number }, maxEntries = 10, maxTtlSeconds = 300) {
  return new VerifiedTokenCache({ maxEntries, maxTtlSeconds, now: () => clock.now });
}

describe('VerifiedTokenCache', () => {
  it('I4/X2: keys are hashes; no entry holds the raw token', () => {
    const cache = cacheAt({ now: 0 });
    const key = cache.keyFor(TOKEN, 'https://api.example.com/mcp');
    expect(key).not.toContain(TOKEN);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    store(cache, key, authInfo(), 1_000_000);
    const stored = [...(cache as unknown as { entries: { values(): Iterable<unknown> } }).entries.values()];
    expect(stored).toHaveLength(1);
    // JSON.stringify skips non-enumerable properties, where the token would hide; inspect shows them.
    expect(inspect(stored, { showHidden: true, depth: 10 })).not.toContain(TOKEN);
  });

  it('a token verified for one resource is a different key for another', () => {
    const cache = cacheAt({ now: 0 });
    expect(cache.keyFor(TOKEN, 'https://api.example.com/mcp')).not.toBe(cache.keyFor(TOKEN, 'https://api.example.com/notes'));
  });

  it('serves a fresh copy with the token hidden, until the deadline and not after', () => {
    const clock = { now: 1_000 };
    const cache = cacheAt(clock);
    const key = cache.keyFor(TOKEN, 'r');
    store(cache, key, authInfo(), 5_000);
    const first = cache.get(key, TOKEN)!;
    expect(first.token).toBe(TOKEN);
    expect(Object.keys(first)).not.toContain('token');
    first.extra!.note = 'changed by a handler';
    expect(cache.get(key, TOKEN)!.extra).toEqual({ note: 'original' });
    clock.now = 4_999;
    expect(cache.get(key, TOKEN)).toBeDefined();
    clock.now = 5_000;
    expect(cache.get(key, TOKEN)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never keeps an entry longer than maxTtlSeconds', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock, 10, 1);
    const key = cache.keyFor(TOKEN, 'r');
    store(cache, key, authInfo(), 1_000_000);
    clock.now = 1_000;
    expect(cache.get(key, TOKEN)).toBeUndefined();
  });

  it('does not store what is already expired', () => {
    const cache = cacheAt({ now: 10_000 });
    store(cache, cache.keyFor(TOKEN, 'r'), authInfo(), 9_000);
    expect(cache.size).toBe(0);
  });

  it.each([
    ['already past', 9_000],
    ['ending this very millisecond', 10_000],
  ])('a verification whose deadline is %s does not count towards admission either', (_name, notAfter) => {
    const clock = { now: 10_000 };
    const cache = cacheAt(clock);
    const key = cache.keyFor(TOKEN, 'r');
    cache.set(key, authInfo(), notAfter);
    // The next success is the first that counts: remembered as seen, not yet stored.
    cache.set(key, authInfo(), 20_000);
    expect(cache.get(key, TOKEN)).toBeUndefined();
    cache.set(key, authInfo(), 20_000);
    expect(cache.get(key, TOKEN)?.subject).toBe('alice');
  });

  it('is bounded: the least recently used entry goes first', () => {
    const cache = cacheAt({ now: 0 }, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((token) => cache.keyFor(token, 'r')) as [string, string, string];
    store(cache, a, authInfo(), 10_000);
    store(cache, b, authInfo(), 10_000);
    expect(cache.get(a, 'a')).toBeDefined(); // a is now the most recently used
    store(cache, c, authInfo(), 10_000);
    expect(cache.size).toBe(2);
    expect(cache.get(b, 'b')).toBeUndefined();
    expect(cache.get(a, 'a')).toBeDefined();
    expect(cache.get(c, 'c')).toBeDefined();
  });

  it('admits a token on its second successful verification, not its first', () => {
    const cache = cacheAt({ now: 0 });
    const key = cache.keyFor(TOKEN, 'r');
    cache.set(key, authInfo(), 10_000);
    expect(cache.get(key, TOKEN)).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set(key, authInfo(), 10_000);
    expect(cache.get(key, TOKEN)?.subject).toBe('alice');
  });

  it('single-use tokens cost only a bounded set of hashes, and never an entry', () => {
    const cache = cacheAt({ now: 0 }, 3);
    for (let index = 0; index < 100; index++) cache.set(cache.keyFor(`token-${index}`, 'r'), authInfo(), 10_000);
    expect(cache.size).toBe(0);
    const seen = cache as unknown as { seenOnce: Set<string>; seenOnceBefore: Set<string> };
    expect(seen.seenOnce.size + seen.seenOnceBefore.size).toBeLessThanOrEqual(6);
  });

  it('stores nothing with maxEntries 0', () => {
    const cache = cacheAt({ now: 0 }, 0);
    store(cache, cache.keyFor(TOKEN, 'r'), authInfo(), 10_000);
    expect(cache.size).toBe(0);
  });

  it('the cached AuthInfo cannot be changed through a served copy', () => {
    const cache = cacheAt({ now: 0 });
    const key = cache.keyFor(TOKEN, 'r');
    store(cache, key, authInfo(), 10_000);
    const served = cache.get(key, TOKEN)!;
    expect(() => served.scopes.push('admin')).toThrow(TypeError);
    expect(cache.get(key, TOKEN)!.scopes).toEqual(['read:notes']);
  });

  describe('tokens that come round again (what the benchmark\'s distinct-token variant relies on)', () => {
    /** Cycles a pool of tokens through the cache as the verifier does (look up, else verify and record): the hit rate. */
    function hitRate(poolSize: number, maxEntries: number, requests: number): number {
      const clock = { now: 0 };
      const cache = cacheAt(clock, maxEntries);
      let hits = 0;
      for (let request = 0; request < requests; request++) {
        const token = `token-${request % poolSize}`;
        const key = cache.keyFor(token, 'https://api.example.com/mcp');
        if (cache.get(key, token)) hits++;
        else cache.set(key, authInfo(), 1_000_000);
      }
      return hits / requests;
    }

    it('a pool just above the cache size still hits it: a returning token is admitted while remembered as seen', () => {
      expect(hitRate(60, 50, 3_000)).toBeGreaterThan(0.3);
    });

    it('a pool more than twice the cache size never hits it', () => {
      expect(hitRate(103, 50, 3_000)).toBe(0);
    });
  });
});
