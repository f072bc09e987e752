/** The bounded LRU map behind the in-memory caches (recent conversations, profiles). */
import { describe, expect, it } from 'vitest';
import { createLru } from '../../src/store/lru.js';

describe('LRU map', () => {
  it('drops the least recently used entry beyond its bound, a read counting as a use', () => {
    const lru = createLru<number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
  });

  it('replaces a value in place, forgets on delete, and keeps nothing with a bound of 0', () => {
    const lru = createLru<string>(2);
    lru.set('a', 'x');
    lru.set('a', 'y');
    lru.set('b', 'z');
    expect(lru.get('a')).toBe('y');
    lru.delete('a');
    expect(lru.get('a')).toBeUndefined();
    const none = createLru<string>(0);
    none.set('a', 'x');
    expect(none.get('a')).toBeUndefined();
  });
});
