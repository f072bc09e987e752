/**
 * Value semantics shared by template helpers and conditions, so that `{{#if (eq a b)}}`
 * and `if: a == b` always agree. Everything here is pure and never throws.
 */

/** Property names that are never read from data, in templates or in conditions. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Names a saved variable cannot take over: they always mean the person, input, env and error. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['user', 'input', 'env', 'error']);

/** Deepest nesting copied by {@link toPlainData}; deeper values are dropped. */
const MAX_DEPTH = 64;

/**
 * Truthiness as an author expects it (and as Handlebars' `#if` has it): `undefined`,
 * `null`, `false`, `0`, `NaN`, the empty text and the empty list are false; everything
 * else, including `"0"`, `"false"` and any object, is true.
 */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return Boolean(value);
}

/**
 * The number a value stands for: a finite number, or a text that is a plain decimal
 * number (`"10"`, `" 2.5 "`, `"-3"`); otherwise `undefined`. Empty text is not a number.
 */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Equality for `==`, `in` and the `eq` helper: a number equals a text holding the same
 * number (`"10" == 10`); texts compare exactly (case matters); `null` and a missing value
 * equal each other; booleans equal only booleans; lists and objects compare by content.
 */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = numericValue(a);
    const y = numericValue(b);
    return x !== undefined && y !== undefined && x === y;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => looseEquals(item, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    if (ka.length !== kb.length) return false;
    return ka.every(
      (k) => Object.prototype.hasOwnProperty.call(b, k) &&
        looseEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    );
  }
  return false;
}

/**
 * Ordering for `<`, `>`, `<=`, `>=` and the `gt`/`lt` helpers: numbers (or numeric texts)
 * compare as numbers, other texts compare character by character (so ISO dates such as
 * `2026-12-01` sort correctly). Returns a negative number, zero or a positive number, or
 * `undefined` when the two values cannot be ordered (a missing value, a list, mixed kinds):
 * every comparison with such values is false.
 */
export function compareValues(a: unknown, b: unknown): number | undefined {
  const x = numericValue(a);
  const y = numericValue(b);
  if (x !== undefined && y !== undefined) return x - y;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/**
 * `length x` and `length(x)`: the items of a list, the letters (code points) of a text, the
 * fields of an object; 0 for anything else, a missing value included.
 */
export function lengthOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'string') return [...value].length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return 0;
}

/** Reads an own, non-forbidden property; anything else (prototype, functions) is `undefined`. */
export function safeGet(object: unknown, key: string | number): unknown {
  if (object == null) return undefined;
  const name = String(key);
  if (FORBIDDEN_KEYS.has(name)) return undefined;
  if (typeof object !== 'object' && typeof object !== 'string') return undefined;
  if (!Object.prototype.hasOwnProperty.call(object, name)) return undefined;
  const value = (object as Record<string, unknown>)[name];
  return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
}

/**
 * How a value reads in a message: nothing for a missing value, texts as they are, numbers
 * in plain digits (`1.5`; use the `number` helper for the person's language), `true` /
 * `false`, lists as their items separated by ", ", and objects as compact JSON.
 */
export function toText(value: unknown): string {
  if (value == null) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : '';
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (Array.isArray(value)) return value.map(toText).join(', ');
      try {
        return JSON.stringify(value) ?? '';
      } catch {
        return '';
      }
    default:
      return '';
  }
}

/**
 * A deep copy holding data only: texts, numbers, booleans, `null`, lists and objects
 * without prototype. Functions, symbols, cycles, nesting deeper than 64 and the keys
 * `__proto__`, `constructor` and `prototype` are left out, so nothing reachable from a
 * template or condition leads to code or to a shared prototype.
 */
export function toPlainData(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object' || depth >= MAX_DEPTH || seen.has(value)) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => toPlainData(item, depth + 1, seen) ?? null);
    const copy: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) continue;
      const item = toPlainData((value as Record<string, unknown>)[key], depth + 1, seen);
      if (item !== undefined) copy[key] = item;
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}
