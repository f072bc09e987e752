/**
 * The content hash of a flow: it identifies a flow's version, so a stored conversation can
 * tell whether the flow it was in has changed since (see "When a flow changes under live
 * conversations" in the spec).
 */
import { createHash } from 'node:crypto';
import type { Flow } from './model.js';

/** JSON with object keys sorted at every level, so key order in the file does not matter. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** The sha256 (hex) of the flow's canonical JSON: equal flows hash equal, whatever their key order or comments. */
export function flowHash(flow: Flow): string {
  return createHash('sha256').update(canonicalJson(flow)).digest('hex');
}
