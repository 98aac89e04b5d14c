interface Entry<V> {
  value: V;
  expiresAt: number;
  /** The value of `moves` when the entry was last put at the back of the eviction order. */
  movedAt: number;
}

/**
 * A map whose entries expire and whose size is capped: when full, the least recently used entry goes.
 * What every in-process cache here needs so that no input, however hostile, makes memory grow unbounded.
 *
 * Recency is kept at the cost of a Map delete and set per read, except for an entry already in the newer
 * half of the eviction order (fewer than half the capacity put behind it since its last move): it is far
 * from eviction, so a read leaves it where it is. A hot entry, read on every request, then costs one Map
 * lookup; every entry read since it last moved still outlives at least half the capacity of newer ones.
 */
export class BoundedTtlMap<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  /** Entries put at the back of the eviction order so far (inserted or moved there by a read). */
  private moves = 0;
  private readonly keepInPlaceWithin: number;

  constructor(
    private readonly maxEntries: number,
    /** The clock, in milliseconds; injectable for tests. */
    private readonly now: () => number = Date.now,
  ) {
    this.keepInPlaceWithin = Math.floor(maxEntries / 2);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The live value, marked most recently used; expired entries are dropped on the way. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    if (this.moves - entry.movedAt >= this.keepInPlaceWithin) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      entry.movedAt = ++this.moves;
    }
    return entry.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** Stores a value for `ttlMs`; a non-positive ttl stores nothing. */
  set(key: K, value: V, ttlMs: number): void {
    if (ttlMs <= 0 || this.maxEntries <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.evictOne();
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs, movedAt: ++this.moves });
  }

  /**
   * Stores a value only if it fits without pushing out a live entry: for one-time markers, which must be
   * remembered for their whole TTL or not at all. Expired entries make room; `false` when none does.
   */
  setUnlessFull(key: K, value: V, ttlMs: number): boolean {
    if (ttlMs <= 0) return true;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.dropExpired();
    if (this.entries.size >= this.maxEntries) return false;
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs, movedAt: ++this.moves });
    return true;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Every live value (expired entries are skipped), for diagnostics and tests. */
  *values(): IterableIterator<V> {
    const now = this.now();
    for (const entry of this.entries.values()) if (now < entry.expiresAt) yield entry.value;
  }

  /** Drops every expired entry. */
  private dropExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (now >= entry.expiresAt) this.entries.delete(key);
  }

  /** Drops an expired entry if the oldest few hold one, else the least recently used. */
  private evictOne(): void {
    const now = this.now();
    let inspected = 0;
    for (const [key, entry] of this.entries) {
      if (now >= entry.expiresAt) {
        this.entries.delete(key);
        return;
      }
      if (++inspected >= 8) break;
    }
    this.entries.delete(this.entries.keys().next().value as K);
  }
}
