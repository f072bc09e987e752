/**
 * The content hash of a flow: it identifies a flow's version, so a stored conversation can
 * tell whether the flow it was in has changed since (see "When a flow changes under live
 * conversations" in the spec).
 */
import { createHash } from 'node:crypto';
import type { Flow } from './model.js';

/**
 * JSON with object keys sorted at every level, so key order in the file does not matter.
 * Keys whose value is `undefined` are left out, `undefined` in a list is `null` (as
 * `JSON.stringify` does). Built by appending to one string: this runs on every flow at every
 * load, so it avoids the intermediate arrays of a map/join version.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      if (!(i in value)) continue; // a hole, as `map`/`join` leave it (never from YAML)
      const v: unknown = value[i];
      out += v === undefined ? 'null' : canonicalJson(v);
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    // Most keys are plain words, which JSON writes as they are.
    out += (PLAIN_KEY.test(k) ? '"' + k + '"' : JSON.stringify(k)) + ':' + canonicalJson(v);
  }
  return out + '}';
}

const PLAIN_KEY = /^[\w.-]*$/;

/** The sha256 (hex) of the flow's canonical JSON: equal flows hash equal, whatever their key order or comments. */
export function flowHash(flow: Flow): string {
  return createHash('sha256').update(canonicalJson(flow)).digest('hex');
}
