/**
 * Whether cycling a pool of distinct tokens makes every verification a cache miss. The verified-token cache
 * admits a token on its second successful verification and remembers tokens verified once in two
 * generations of up to `cacheMaxEntries` hashes each; a token that comes round again after more than twice
 * that many others has been forgotten, so it is never admitted and never served from the cache. (A pool just
 * above the cache size is not enough: simulated, 12 000 tokens against 10 000 entries hit the cache 63 % of
 * the time.) The two extra tokens are the reused RS256 and ES256 ones, which do enter the cache.
 */
export function poolDefeatsCache(poolSize: number, cacheMaxEntries: number): boolean {
  return poolSize > 2 * cacheMaxEntries + 2;
}
