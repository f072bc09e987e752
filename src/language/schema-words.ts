/**
 * Plain words for schema messages: where a value is ("button 2 of state "confirm""), what
 * kind of value it is ("a list", "true or false"), and the closest allowed name.
 */
import { distance } from 'fastest-levenshtein';
import type { Path } from '../source/source-file.js';

/** The word for one item of each list authors write, by the list's key. */
const ITEM_WORDS: Record<string, string> = {
  quick_replies: 'quick reply',
  buttons: 'button',
  next: 'branch',
  after: 'timer',
  say: 'message',
  keywords: 'keyword',
  postbacks: 'postback',
  persistent_menu: 'menu entry',
  languages: 'language',
  env_allow: '"env_allow" entry',
  call_allow: '"call_allow" entry',
  mocks: 'mock',
  steps: 'step',
  tests: 'test',
};

/** How the file itself is called when a problem is at its top level. */
export const ROOT_WORDS = { flow: 'this flow file', bot: 'the file bot.yaml', 'flow-test': 'this test file' } as const;

/**
 * Where a path is, in words, innermost first: `["states", "welcome", "buttons", 1, "goto"]`
 * -> `"goto" of button 2 of state "welcome"`. `data` gives test names (`test "open a ticket"`).
 * The empty path gives `root`.
 */
export function describePath(path: Path, data: unknown, root: string): string {
  const parts: string[] = [];
  let node: unknown = data;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const next = path[i + 1];
    const child = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(seg)] : undefined;
    if (i === 0 && seg === 'states' && next !== undefined) {
      parts.push(`state "${next}"`);
      node = child && typeof child === 'object' ? (child as Record<string, unknown>)[String(next)] : undefined;
      i++;
      continue;
    }
    if (typeof next === 'number' && Array.isArray(child)) {
      const item = child[next] as Record<string, unknown> | undefined;
      const name = seg === 'tests' && item && typeof item === 'object' && typeof item.name === 'string' ? item.name : undefined;
      parts.push(name ? `test "${name}"` : `${ITEM_WORDS[String(seg)] ?? `"${seg}" item`} ${next + 1}`);
      node = item;
      i++;
      continue;
    }
    parts.push(typeof seg === 'number' ? `item ${seg + 1}` : `"${seg}"`);
    node = child;
  }
  return parts.length === 0 ? root : parts.reverse().join(' of ');
}

/** What kind of value this is, for "... but it is <kind>". */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a text';
    case 'number':
      return Number.isInteger(value) ? 'a whole number' : 'a number';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return 'a map of keys and values';
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map of keys and values',
  null: 'empty',
};

/** Expected JSON types in words: `["string", "array"]` -> `a text or a list`. */
export function typeWords(types: readonly string[], isTextMap: boolean): string {
  const words = types.map((t) =>
    t === 'object' && isTextMap ? 'a map from language to text (such as { en: Hello, fr: Bonjour })' : t === 'array' && isTextMap ? 'a list of those' : TYPE_WORDS[t] ?? t,
  );
  return orList(words);
}

/** `a, b or c`. */
export function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Quoted and sorted: `"a", "b", "c"`. */
export function quotedList(names: readonly string[]): string {
  return [...names].sort().map((n) => `"${n}"`).join(', ');
}

/** The closest candidate when it is close enough to be a likely typo (ignoring capitals). */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of [...candidates].sort()) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(3, Math.max(2, Math.floor(Math.max(name.length, best.length) / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** The first sentence of a schema description, for "is missing "save" (the variable that ...)". */
export function firstSentence(description: unknown): string | undefined {
  if (typeof description !== 'string' || description === '') return undefined;
  const m = /^(.*?[.:])(\s|$)/.exec(description);
  return (m ? m[1]! : description).replace(/[.:]$/, '');
}

/** Upper-cases the first letter of a message (leaves a leading quote alone). */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
