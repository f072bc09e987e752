/**
 * Defensive readers for untrusted JSON (webhook bodies): own properties only, ids that may be
 * strings or numbers, times in seconds or milliseconds. None of them throws.
 */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** True for a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: never something inherited through a `__proto__` trick. */
export function get(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** An own property that is a JSON object. */
export function getObject(value: unknown, key: string): Json | undefined {
  const v = get(value, key);
  return isObject(v) ? v : undefined;
}

/** Ids come as strings, sometimes as JSON numbers. */
export function asId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** A string, or a finite number as a string. */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Numbers or numeric strings, in seconds or milliseconds (`> 1e12` means ms); undefined otherwise. */
export function toEpochMs(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
  if (n === undefined || !Number.isFinite(n) || n <= 0) return undefined;
  return Math.floor(n > 1e12 ? n : n * 1000);
}
