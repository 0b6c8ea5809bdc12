/** A small least-recently-used cache. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

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
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
    return made;
  }
}
