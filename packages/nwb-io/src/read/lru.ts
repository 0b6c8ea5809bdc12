/** A small least-recently-used cache. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

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
