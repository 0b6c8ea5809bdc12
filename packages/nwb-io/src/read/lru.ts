/** A small least-recently-used cache. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  private held = 0;
  hits = 0;
  misses = 0;

  /**
   * At most `capacity` entries and, with `bytes`, at most `bytes.max` bytes by `bytes.of` (the
   * newest entry always stays, however large).
   */
  constructor(
    readonly capacity: number,
    private readonly bytes?: { max: number; of: (v: V) => number },
  ) {}

  /** The value if cached (counted as a hit and made most recent), else undefined (not counted). */
  peek(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.hits++;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  /** Stores a value made elsewhere (counted as a miss), evicting the least recently used. */
  set(key: K, value: V): void {
    this.misses++;
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  get(key: K, make: () => V): V {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.hits++;
      this.map.delete(key);
      this.map.set(key, v);
      return v;
    }
    this.misses++;
    const made = make();
    this.map.set(key, made);
    this.held += this.bytes?.of(made) ?? 0;
    while (this.map.size > 1 && (this.map.size > this.capacity || (this.bytes && this.held > this.bytes.max))) {
      const oldest = this.map.keys().next().value as K;
      this.held -= this.bytes?.of(this.map.get(oldest)!) ?? 0;
      this.map.delete(oldest);
    }
    return made;
  }
}
