/**
 * A fast renderer for the most common templates: text with plain `{{name}}` or
 * `{{ticket.id}}` references and nothing else (no helpers, blocks, comments, `this`, `@`,
 * `../` or whitespace control). It gives exactly what the Handlebars renderer gives —
 * the value shown as `toText` shows it, nothing for a missing value — and hands over to it
 * whenever a lookup would go through a text or a number (where Handlebars reads a property
 * such as `length` of the primitive).
 */
import Handlebars from 'handlebars';
import type { TemplateScope } from './render.js';
import { FORBIDDEN_KEYS, RESERVED_NAMES, toPlainData, toText } from './values.js';

/** The scope fields a plain reference reads (the language matters only to helpers). */
type Scope = Omit<TemplateScope, 'language'>;

type Part = string | readonly string[];

/** Returned by a lookup that the simple renderer does not handle. */
const HAND_OVER = Symbol('hand over');

const SIMPLE_PATH = /^[A-Za-z_$][\w$-]*(\.[\w$-]+)*$/;
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The parts of `source` when it is simple enough (see the module comment), else undefined. */
export function simpleParts(source: string): Part[] | undefined {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch {
    return undefined;
  }
  const parts: Part[] = [];
  for (const node of ast.body) {
    if (node.type === 'ContentStatement') {
      const content = node as hbs.AST.ContentStatement;
      if (content.value !== (content as unknown as { original: unknown }).original) return undefined;
      parts.push(content.value);
      continue;
    }
    if (node.type !== 'MustacheStatement') return undefined;
    const m = node as hbs.AST.MustacheStatement & { strip?: { open: boolean; close: boolean } };
    if (m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0 || m.strip?.open || m.strip?.close) return undefined;
    if (m.path.type !== 'PathExpression') return undefined;
    const path = m.path as hbs.AST.PathExpression;
    if (path.data || path.depth !== 0 || !SIMPLE_PATH.test(path.original) || path.original === 'this' || path.original.startsWith('this.')) return undefined;
    if (path.parts.some((p) => FORBIDDEN_KEYS.has(p))) return undefined;
    parts.push(path.parts);
  }
  return parts;
}

function lookup(scope: Scope, path: readonly string[]): unknown {
  const [head, ...rest] = path as [string, ...string[]];
  let value: unknown;
  if (head === 'user') value = scope.user;
  else if (head === 'env') value = scope.env;
  else if (head === 'input') value = scope.input;
  else if (head === 'error') value = scope.error;
  else if (RESERVED_NAMES.has(head) || !scope.vars || !hasOwn(scope.vars, head)) value = undefined;
  else value = scope.vars[head];
  for (const key of rest) {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object') return HAND_OVER;
    value = hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/**
 * Renders `parts` with `scope`; `undefined` means "hand over to the Handlebars renderer".
 */
export function renderSimple(parts: readonly Part[], scope: Scope): string | undefined {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = lookup(scope, part);
    if (value === HAND_OVER) return undefined;
    out += toText(toPlainData(value));
  }
  return out;
}
