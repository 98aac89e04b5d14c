/**
 * A map whose entries expire and whose size is capped: when full, the least recently used entry goes.
 * What every in-process cache here needs so that no input, however hostile, makes memory grow unbounded.
 */
export class BoundedTtlMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    /** The clock, in milliseconds; injectable for tests. */
    private readonly now: () => number = Date.now,
  ) {}

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
    this.entries.delete(key);
    this.entries.set(key, entry);
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
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
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
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
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
