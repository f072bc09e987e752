/**
 * Helpers for texts a person reads: a text is a string (the same in every language) or a map
 * from language to string; its length is counted in characters (Unicode code points) on the
 * literal parts only, since variables are unknown before the conversation runs.
 */
import type { Path } from '../../source/source-file.js';
import { isRecord } from './flow-index.js';

const TAG = /\{\{\{?[\s\S]*?\}?\}\}/g;

/** The characters of a template outside its `{{...}}` tags, counted as Unicode code points. */
export function literalLength(source: string, limit: number): number {
  // Fast path: a string no longer than the limit in UTF-16 units is within it in code points.
  if (source.length <= limit) return source.length;
  const literal = source.includes('{{') ? source.replace(TAG, '') : source;
  let n = 0;
  for (const _ of literal) n++;
  return n;
}

/** Each string of a text with its path: the text itself, or each language of a map. */
export function textStrings(text: unknown, path: Path): { path: Path; value: string; language?: string }[] {
  if (typeof text === 'string') return [{ path, value: text }];
  if (!isRecord(text)) return [];
  const out: { path: Path; value: string; language?: string }[] = [];
  for (const [language, value] of Object.entries(text)) {
    if (typeof value === 'string') out.push({ path: [...path, language], value, language });
  }
  return out;
}

/** ` in "fr"` for a language, or the empty string. */
export function inLanguage(language: string | undefined): string {
  return language === undefined ? '' : ` (language "${language}")`;
}
