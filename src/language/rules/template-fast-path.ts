/**
 * A second fast path of template analysis (after `simpleTemplate`): templates made of text,
 * `{{name.path}}` tags, calls of documented inline helpers (`{{upper choice}}`,
 * `{{default name "there"}}`, nested `(gt count 3)`) and `{{#if}}` / `{{#unless}}` blocks
 * with one argument and an optional `{{else}}`. These are most templates that are not plain
 * tags, and reading them by hand is far cheaper than running the Handlebars parser.
 *
 * It answers only when it is sure to give exactly what `analyzeTemplate` gives (the same refs,
 * in the same order, with the same offsets, no helpers, no error); anything else (an unknown
 * helper, `{{#each}}`, `name=value` options, `@data`, `../`, `this`, literals used as names,
 * whitespace control, comments, escapes, partials, a syntax error...) returns `undefined`, and
 * the caller runs `analyzeTemplate`. `test/rules/template-fast-path.test.ts` checks the
 * agreement on generated templates.
 */
import { FLOW_HELPERS } from '../../template/helpers.js';
import type { TemplateAnalysis } from './analysis.js';

const INLINE = new Set(FLOW_HELPERS);
/** Words Handlebars reads as literals or specially: a path starting with one is left to Handlebars. */
const SPECIAL = new Set(['true', 'false', 'null', 'undefined', 'this', 'else', 'as']);
/** A name segment (a subset of Handlebars' ID), then a character that surely ends it. */
const ID = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?=[\s})])/y;
const STRING = /"[^"\\]*"|'[^'\\]*'/y;
const ELSE = /else\s*\}\}/y;

type Ref = TemplateAnalysis['refs'][number];

/** Thrown (and caught below) when the template is outside the fast path's subset. */
const GIVE_UP = Symbol('give up');

class Reader {
  pos = 0;
  readonly refs: Ref[] = [];

  constructor(readonly src: string) {}

  fail(): never {
    throw GIVE_UP;
  }

  spaces(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  /** `}}` not followed by another `}`. */
  close(): void {
    this.spaces();
    if (!this.src.startsWith('}}', this.pos) || this.src[this.pos + 2] === '}') this.fail();
    this.pos += 2;
  }

  /** A dotted path of name segments; undefined when none starts here. */
  path(): { parts: string[]; start: number; end: number } | undefined {
    const start = this.pos;
    const parts: string[] = [];
    for (;;) {
      ID.lastIndex = this.pos;
      const m = ID.exec(this.src);
      if (!m) {
        if (parts.length === 0) return undefined;
        this.fail(); // `a.` or `a.[0]`
      }
      parts.push(m[0]);
      this.pos = ID.lastIndex;
      if (this.src[this.pos] !== '.') break;
      this.pos++;
    }
    const next = this.src[this.pos];
    if (next !== undefined && next !== '}' && next !== ')' && !/\s/.test(next)) this.fail();
    if (SPECIAL.has(parts[0]!)) this.fail();
    return { parts, start, end: this.pos };
  }

  /** One argument of a helper: a path (a ref), a number or string literal, or `(helper ...)`. */
  argument(): void {
    const c = this.src[this.pos];
    if (c === '(') {
      this.pos++;
      this.spaces();
      this.call(')');
      this.pos++;
      return;
    }
    if (c === '"' || c === "'") {
      STRING.lastIndex = this.pos;
      const m = STRING.exec(this.src);
      if (!m) this.fail();
      this.pos = STRING.lastIndex;
      const next = this.src[this.pos];
      if (next !== undefined && next !== '}' && next !== ')' && !/\s/.test(next)) this.fail();
      return;
    }
    NUMBER.lastIndex = this.pos;
    if (NUMBER.exec(this.src)) {
      this.pos = NUMBER.lastIndex;
      return;
    }
    const p = this.path();
    if (!p) this.fail();
    this.refs.push({ path: p.parts, start: p.start, end: p.end });
  }

  /** `helper arg...` up to (not past) `end`; the helper must be a documented inline one. */
  call(end: '}' | ')'): void {
    const head = this.path();
    if (!head || head.parts.length !== 1 || !INLINE.has(head.parts[0]!)) this.fail();
    let count = 0;
    for (;;) {
      const before = this.pos;
      this.spaces();
      if (this.src[this.pos] === end) break;
      if (this.pos === before) this.fail(); // arguments are separated by spaces
      this.argument();
      count++;
    }
    if (count === 0 && end === ')') this.fail();
  }

  /** A mustache after `{{`: `{{path}}` reads the path, `{{helper args}}` calls the helper. */
  mustache(): void {
    this.spaces();
    const at = this.pos;
    const p = this.path();
    if (!p) this.fail();
    this.spaces();
    if (this.src[this.pos] === '}') {
      this.refs.push({ path: p.parts, start: p.start, end: p.end });
    } else {
      this.pos = at;
      this.call('}');
    }
    this.close();
  }

  /** The whole template; `open` holds the names of the blocks not closed yet and whether each has had its `{{else}}`. */
  template(): void {
    const open: { name: string; inverse: boolean }[] = [];
    const src = this.src;
    for (;;) {
      const at = src.indexOf('{{', this.pos);
      if (at === -1) break;
      this.pos = at + 2;
      const c = src[this.pos];
      if (c === '#') {
        this.pos++;
        this.spaces();
        const head = this.path();
        if (!head || head.parts.length !== 1 || (head.parts[0] !== 'if' && head.parts[0] !== 'unless')) this.fail();
        const before = this.pos;
        this.spaces();
        if (this.pos === before || src[this.pos] === '}') this.fail(); // needs exactly one argument
        this.argument();
        this.spaces();
        if (src[this.pos] !== '}') this.fail();
        this.close();
        open.push({ name: head.parts[0]!, inverse: false });
      } else if (c === '/') {
        this.pos++;
        this.spaces();
        const head = this.path();
        const block = open.pop();
        if (!head || !block || head.parts.length !== 1 || head.parts[0] !== block.name) this.fail();
        this.close();
      } else {
        ELSE.lastIndex = this.pos;
        const spaced = /\s/.test(c ?? '');
        if (!spaced && ELSE.exec(src)) {
          const block = open[open.length - 1];
          if (!block || block.inverse || src[ELSE.lastIndex] === '}') this.fail();
          block.inverse = true;
          this.pos = ELSE.lastIndex;
        } else {
          if (c !== undefined && !spaced && !/[A-Za-z_]/.test(c)) this.fail(); // {{{, {{!, {{>, {{~, {{^, {{&, {{@...
          this.mustache();
        }
      }
    }
    if (open.length > 0) this.fail();
  }
}

/**
 * The analysis of a template of text, name tags, documented inline helper calls and
 * `{{#if}}`/`{{#unless}}` blocks, without Handlebars; `undefined` for anything else (see the
 * file comment), which the caller hands to `analyzeTemplate`. Same result either way.
 */
export function fastTemplate(source: string): TemplateAnalysis | undefined {
  if (source.includes('\\') || source.includes('\r') || source.includes('{{{')) return undefined;
  const reader = new Reader(source);
  try {
    reader.template();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
  return { refs: reader.refs, helpers: [] };
}
