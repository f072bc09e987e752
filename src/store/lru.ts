/**
 * A bounded map that drops the least recently used entry first: the in-memory caches above
 * the store (the event worker's recent conversations, the profile client's profiles).
 */
export interface Lru<V> {
  /** The value, marked as just used. */
  get(key: string): V | undefined;
  /** Sets the value (as just used), dropping the least recently used entries beyond the bound. */
  set(key: string, value: V): void;
  delete(key: string): void;
}

/** An empty LRU map of at most `max` entries (0 keeps none). */
export function createLru<V>(max: number): Lru<V> {
  const map = new Map<string, V>();
  return {
    get(key) {
      const found = map.get(key);
      if (found !== undefined) {
        map.delete(key);
        map.set(key, found);
      }
      return found;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      while (map.size > max) map.delete(map.keys().next().value!);
    },
    delete(key) {
      map.delete(key);
    },
  };
}
