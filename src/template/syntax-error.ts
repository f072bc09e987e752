/**
 * Turns a Handlebars parse failure into a problem a flow author can act on: plain words
 * and the offsets of the offending text. Handlebars' own messages ("Expecting 'ID', got
 * 'INVALID'") are not shown to authors.
 */
import Handlebars from 'handlebars';
import type { TemplateProblem } from './analyze.js';
import { offsetMap } from './positions.js';

/** The part of Handlebars' shared lexer read after a failed parse (parsing is synchronous). */
interface LexerState { matched?: unknown; match?: unknown }

function lexerState(): { matched: string; match: string } {
  const lexer = (Handlebars as unknown as { Parser?: { lexer?: LexerState } }).Parser?.lexer;
  return {
    matched: typeof lexer?.matched === 'string' ? lexer.matched : '',
    match: typeof lexer?.match === 'string' ? lexer.match : '',
  };
}

/** The first `{{` (or `{{{`) whose `}}` never comes before the next `{{`; offsets of the braces. */
export function findUnclosedOpening(source: string): { start: number; end: number } | undefined {
  let position = 0;
  for (;;) {
    const start = source.indexOf('{{', position);
    if (start === -1) return undefined;
    let inner = start + 2;
    while (source[inner] === '{') inner++;
    if (start > 0 && source[start - 1] === '\\') {
      position = inner;
      continue;
    }
    const close = source.indexOf('}}', inner);
    const next = source.indexOf('{{', inner);
    if (close === -1 || (next !== -1 && next < close)) return { start, end: inner };
    position = close + 2;
  }
}

interface BlockTag { name: string; start: number; end: number }

/** The innermost block opened (`{{#name ...}}`) and never closed, by a scan of the tags. */
export function findUnclosedBlock(source: string): BlockTag | undefined {
  const stack: BlockTag[] = [];
  const tag = /\{\{~?\s*([#^/])\s*>?\s*([^\s}~()]+)[^}]*\}\}/g;
  for (let m = tag.exec(source); m; m = tag.exec(source)) {
    if (m[1] === '/') {
      const index = stack.map((t) => t.name).lastIndexOf(m[2]);
      if (index !== -1) stack.length = index;
    } else {
      stack.push({ name: m[2], start: m.index, end: m.index + m[0].length });
    }
  }
  return stack[stack.length - 1];
}

function quote(text: string): string {
  return `"${text}"`;
}

function parserProblem(source: string, message: string): TemplateProblem {
  const { matched, match } = lexerState();
  const end = Math.min(matched.length, source.length);
  const start = Math.max(0, end - match.length);
  const at = (msg: string, s = start, e = Math.max(end, s)): TemplateProblem => ({ message: msg, start: s, end: e });
  const got = /got '([^']+)'/.exec(message)?.[1] ?? '';
  const expected = /Expecting (.*), got/.exec(message)?.[1] ?? '';
  const text = source.slice(start, end);

  if (got === 'INVALID' || got === 'EOF' || message.startsWith('Lexical error')) {
    const comment = source.indexOf('{{!--');
    if (comment !== -1 && comment <= start && source.indexOf('--}}', comment) === -1) {
      return at('This comment "{{!--" is never closed: end it with "--}}".', comment, comment + 5);
    }
    const open = findUnclosedOpening(source);
    if (open && open.start <= start) {
      return at('This template has an opening "{{" without its closing "}}".', open.start, open.end);
    }
  }
  if (got === 'INVALID' && (text === '"' || text === "'")) {
    return at(`This quoted text has no closing quote: add the matching ${text} at its end.`);
  }
  if (got === 'INVALID' && text === '}') {
    return at('"{{" must be closed with "}}" (two braces), not with a single "}".');
  }
  if (got === 'EOF') {
    const block = findUnclosedBlock(source);
    if (block) {
      return at(`The block ${quote(`{{#${block.name}}}`)} is never closed: add ${quote(`{{/${block.name}}}`)} where it should end.`, block.start, block.end);
    }
  }
  if (got === 'INVERSE' || got === 'OPEN_INVERSE_CHAIN') {
    return expected.includes('OPEN_ENDBLOCK')
      ? at('This block already has an "{{else}}": a block has at most one (write "{{else if ...}}" to test more cases).')
      : at('"{{else}}" is outside any block: use it between "{{#if ...}}" and "{{/if}}".');
  }
  if (got === 'OPEN_ENDBLOCK') {
    const name = /^\{\{~?\s*\/\s*([^\s}~]*)/.exec(source.slice(start))?.[1] ?? '';
    const close = source.indexOf('}}', start);
    return at(`This closing ${quote(`{{/${name}}}`)} has no opening ${quote(`{{#${name} ...}}`)} before it.`, start, close === -1 ? end : close + 2);
  }
  if (got === 'EQUALS') {
    return at('"=" cannot be used here: to compare two values write "{{#if (eq a b)}}...{{/if}}"; "=" only joins an option to its value, as in name=value.');
  }
  if (got === 'CLOSE_SEXPR') return at('This ")" has no "(" before it: remove it, or add the missing "(".');
  if (got === 'CLOSE_UNESCAPED') return at('"{{" must be closed with "}}": there is one "}" too many here.');
  if (got === 'CLOSE' && expected.includes('CLOSE_UNESCAPED') && !expected.includes("'CLOSE'")) {
    return at('"{{{" must be closed with "}}}" (three braces).');
  }
  if (got === 'CLOSE' && expected.includes('CLOSE_BLOCK_PARAMS')) {
    return at('The names after "as |" need a closing "|", as in "{{#each items as |item|}}".');
  }
  if (got === 'CLOSE' && expected.includes('CLOSE_SEXPR')) {
    return at('A "(" is not closed: add ")" before "}}".');
  }
  if (got === 'CLOSE' && /=\s*$/.test(source.slice(0, start))) {
    return at('Expected a value after "=", as in name="value".');
  }
  if (got === 'CLOSE' && /\{\{[{~#^/&@\s]*$/.test(source.slice(0, start))) {
    return at('This "{{ }}" is empty: put a name inside, such as "{{user.first_name}}".');
  }
  if (got === 'EOF') return at('This template ends too early: check that every "{{" is closed.');
  const shown = text === '' ? 'this point' : quote(text);
  return at(`This template cannot be read at ${shown}: check the "{{ ... }}" around it.`);
}

/** The problem for an exception thrown by `Handlebars.parse(source)`. */
export function describeParseError(source: string, error: unknown): TemplateProblem {
  const message = error instanceof Error ? error.message : String(error);
  const mismatch = /^(.+) doesn't match (.+) - \d+:\d+$/.exec(message);
  if (mismatch) {
    const [, open, close] = mismatch;
    const end = Math.min(lexerState().matched.length, source.length);
    const start = Math.max(0, source.lastIndexOf('{{', end - 1));
    return {
      message: `${quote(`{{/${close}}}`)} closes the block ${quote(`{{#${open}}}`)}: write ${quote(`{{/${open}}}`)} here, or check which block you meant to close.`,
      start,
      end: Math.max(end, start),
    };
  }
  if (message.startsWith('Parse error') || message.startsWith('Lexical error')) return parserProblem(source, message);
  const line = (error as { lineNumber?: unknown }).lineNumber;
  const column = (error as { column?: unknown }).column;
  const start = typeof line === 'number' && typeof column === 'number' ? offsetMap(source).offset(line, column) : 0;
  const detail = message.replace(/ - \d+:\d+$/, '');
  return {
    message: `This part of the template cannot be used (${detail}): check the "{{ ... }}" here.`,
    start,
    end: Math.min(start + 1, source.length),
  };
}
