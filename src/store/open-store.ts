/**
 * Opens the store named by `STORE_URL`: `sqlite:<path>` (the default), `memory:` (tests
 * only), or `redis://host:port/db`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createMemoryStore } from './memory.js';
import type { Store } from './port.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
import { StoreError } from './store-error.js';

const FORMS = 'Use "sqlite:<path>" (for example "sqlite:./data/flowstate.db"), "redis://host:port/db", or "memory:" (tests only).';

/**
 * Opens the store `url` names. For SQLite the file's parent folders are created. Throws an
 * Error naming the URL when it has an unknown form, and a `StoreError` when the store cannot
 * be opened.
 */
export async function openStore(url: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const text = url.trim();
  if (text === 'memory:' || text === 'memory://') return createMemoryStore();
  if (text.startsWith('sqlite:')) {
    let path = text.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new Error(`STORE_URL "${url}" names no file. ${FORMS}`);
    if (path !== ':memory:') {
      const file = resolve(path);
      try {
        mkdirSync(dirname(file), { recursive: true });
      } catch (error) {
        throw new StoreError('STORE_UNAVAILABLE', `The folder of the store "${file}" cannot be created (${(error as Error).message}). Create it, or point STORE_URL elsewhere.`, { cause: error });
      }
      return openSqliteStore(file, options);
    }
    return openSqliteStore(path, options);
  }
  if (text.startsWith('redis://') || text.startsWith('rediss://')) {
    const { openRedisStore } = await import('./redis.js');
    return openRedisStore(text);
  }
  throw new Error(`STORE_URL "${url}" is not a store this Flowstate knows. ${FORMS}`);
}
