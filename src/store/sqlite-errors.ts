/**
 * Turns better-sqlite3 failures into `StoreError`s with a stable code and a message that
 * names the file and says what to do. Errors that are not SQLite's (a caller's bug, such as a
 * value JSON cannot hold) pass through unchanged.
 */
import { StoreError } from './store-error.js';

/** Codes that mean a bug in the SQL, not a failing store: they pass through unchanged. */
const BUG_CODES = ['SQLITE_ERROR', 'SQLITE_CONSTRAINT', 'SQLITE_MISUSE', 'SQLITE_RANGE', 'SQLITE_MISMATCH'];

/** Maps `error` (thrown while using the SQLite file at `file`) to a `StoreError` when SQLite caused it. */
export function toStoreError(error: unknown, file: string): unknown {
  if (error instanceof StoreError) return error;
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? ((error as { code: string }).code) : '';
  if (!code.startsWith('SQLITE_') || BUG_CODES.some((c) => code.startsWith(c))) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const at = `The store "${file}"`;
  if (code.startsWith('SQLITE_FULL')) {
    return new StoreError('STORE_FULL', `${at} cannot grow: the disk (or the database's size limit) is full. Free some space; nothing was half-written. (${detail})`, { cause: error });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new StoreError('STORE_READONLY', `${at} is read-only. Let Flowstate write to the file and its folder (for the -wal and -shm files), or point STORE_URL elsewhere. (${detail})`, { cause: error });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new StoreError('STORE_UNAVAILABLE', `${at} is damaged or is not a Flowstate database. Restore it from a backup, or point STORE_URL at a new file. (${detail})`, { cause: error });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('STORE_UNAVAILABLE', `${at} stayed locked by another process for too long. Try again; if it keeps happening, check that no other program holds the file open for writing. (${detail})`, { cause: error });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) {
    return new StoreError('STORE_UNAVAILABLE', `${at} cannot be opened or read. Check that the path exists and that Flowstate may read and write it. (${detail})`, { cause: error });
  }
  return new StoreError('STORE_UNAVAILABLE', `${at} failed: ${detail}`, { cause: error });
}
