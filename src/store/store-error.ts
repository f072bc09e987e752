/**
 * The one error type a store adapter throws when the store itself is the problem (not the
 * caller): unreachable, full, read-only, corrupt, locked, closed, or of a newer schema.
 * `code` is stable so that the server can map it to a log line, a metric and `/readyz`.
 */

/** Why the store failed. */
export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_FULL' | 'STORE_READONLY';

/** A store failure with a stable `code` and a plain message that names the store (file or URL). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for an error thrown by a store adapter because the store failed. */
export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError;
}
