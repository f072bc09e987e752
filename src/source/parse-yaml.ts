/**
 * YAML text -> SourceFile plus diagnostics. YAML is read as YAML 1.2 (so `on`, `yes`, `no`
 * stay strings). Syntax errors, duplicate keys, tabs used for indentation, several documents,
 * anchors, aliases and merge keys become diagnostics with a position, never exceptions.
 */
import { Alias, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq, parseAllDocuments, type Document, type YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeForRule } from '../diagnostics/codes.js';
import { SourceFile, toData, type Span } from './source-file.js';

export interface ParsedSource {
  file: SourceFile;
  diagnostics: Diagnostic[];
}

function diag(file: string, span: Span, rule: string, message: string): Diagnostic {
  const info = codeForRule(rule);
  return { file, ...span, severity: info.severity, code: info.code, rule, message };
}

/** Plain-words messages for the yaml package's error codes. `rest` is the text from the error to the end of its line. */
function yamlMessage(code: string, raw: string, rest: string): { rule: string; message: string } {
  const first = raw.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return { rule: 'yaml-duplicate-key', message: 'This key is already used above in the same map. Each key may appear only once: remove or rename one of them.' };
    case 'TAB_AS_INDENT':
      return { rule: 'yaml-tab-indent', message: 'A tab is used for indentation here. YAML only allows spaces: replace the tab with spaces (2 per level is usual).' };
    case 'BLOCK_AS_IMPLICIT_KEY': {
      // Almost always a text with ": " in it (`say: Hello: world`), which YAML reads as a key.
      const value = rest.replace(/\s+#.*$/, '').trim();
      if (value.includes(': ') && !/^["'[{|>]/.test(value)) {
        const quoted = value.includes('"') ? `'${value.replace(/'/g, "''")}'` : `"${value}"`;
        return { rule: 'yaml-syntax', message: `A text containing ": " needs quotes, or YAML reads it as another key: write ${quoted} (with the quotes).` };
      }
      return { rule: 'yaml-syntax', message: `${first}. Check the indentation of this line and of the line above; a text containing ": " or starting with a special character needs quotes.` };
    }
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
    case 'MULTILINE_IMPLICIT_KEY':
      return { rule: 'yaml-syntax', message: `${first}. Check the indentation of this line and of the line above; a text containing ": " or starting with a special character needs quotes.` };
    default:
      return { rule: 'yaml-syntax', message: `${first}.` };
  }
}

/**
 * Which of several syntax errors on one line says the most: the yaml package often reports
 * one mistake a few times (`say: Hello: world` gives two "nested mappings" errors and an
 * "implicit keys" one); the lowest rank is kept.
 */
const SYNTAX_RANK: Record<string, number> = { MISSING_CHAR: 0, BAD_SCALAR_START: 1, BLOCK_AS_IMPLICIT_KEY: 2, BAD_INDENT: 3, UNEXPECTED_TOKEN: 4, MULTILINE_IMPLICIT_KEY: 5 };

interface YamlProblem {
  start: number;
  end: number;
  rule: string;
  message: string;
}

/**
 * The yaml package's errors as problems, one syntax problem per line: of the syntax errors
 * that start on the same line (one mistake, reported several times), only the best-ranked
 * is kept, at its own position (the first of equals). Duplicate keys and tabs are always kept.
 */
function yamlErrors(errors: readonly YAMLError[], text: string, lines: LineCounter): YamlProblem[] {
  const out: YamlProblem[] = [];
  const kept = new Map<number, { rank: number; at: number }>();
  for (const err of errors) {
    const [start, end] = err.pos;
    const eol = text.indexOf('\n', start);
    const { rule, message } = yamlMessage(err.code, err.message, text.slice(start, eol < 0 ? text.length : eol));
    const problem = { start, end: Math.max(end, start + 1), rule, message };
    if (rule !== 'yaml-syntax') {
      out.push(problem);
      continue;
    }
    const line = lines.linePos(start).line;
    const rank = SYNTAX_RANK[err.code] ?? 6;
    const before = kept.get(line);
    if (!before) {
      kept.set(line, { rank, at: out.length });
      out.push(problem);
    } else if (rank < before.rank) {
      out[before.at] = problem;
      before.rank = rank;
    }
  }
  return out;
}

/** A YAML construct flows do not allow, found while reading the document. */
interface Unsupported {
  kind: 'anchor' | 'alias' | 'merge';
  start: number;
  end: number;
  name: string;
}

/** Returned by `DocumentReader.read` when the data must come from `doc.toJS` (an alias, a complex key, a special collection). */
const NOT_PLAIN = Symbol('not plain');


/**
 * One walk over the document that both finds anchors, aliases and merge keys (in the order
 * `yaml.visit` would) and, when `build` is set, converts it to plain JS exactly as
 * `doc.toJS()` does for the YAML 1.2 core schema. Any node whose conversion is not a plain
 * map/list/scalar (an alias, a key that is a collection, a YAML 1.1 `!!set`...) makes the
 * walk give up building (`NOT_PLAIN`), and the caller falls back to `doc.toJS`.
 */
class DocumentReader {
  readonly found: Unsupported[] = [];
  private building: boolean;

  constructor(
    private readonly text: string,
    build: boolean,
  ) {
    this.building = build;
  }

  read(node: unknown): unknown {
    const value = this.node(node);
    return this.building ? value : NOT_PLAIN;
  }

  private node(node: unknown): unknown {
    // `instanceof` rather than yaml's `isScalar`...: the same answers for the nodes the
    // composer makes, and much cheaper on the hot path.
    if (node instanceof Scalar) {
      if (node.anchor) this.anchor(node);
      return node.value;
    }
    if (node instanceof YAMLMap) {
      if (node.anchor) this.anchor(node);
      // A subclass (YAML 1.1 `!!set`) converts differently: leave it to `doc.toJS`.
      if (node.constructor !== YAMLMap) this.building = false;
      const map: Record<string, unknown> = {};
      for (const pair of node.items as Pair[]) {
        const key = pair.key;
        const scalarKey = key instanceof Scalar;
        if (scalarKey) this.mergeKey(key);
        const jsKey = this.node(key);
        const value = this.node(pair.value);
        if (!this.building) continue;
        let stringKey: string;
        if (jsKey === null) stringKey = '';
        else if (typeof jsKey === 'string') stringKey = jsKey;
        else if ((scalarKey || key === null) && typeof jsKey !== 'object') stringKey = String(jsKey);
        else {
          // A list or map as a key (`? [a, b]`): yaml stringifies it.
          this.building = false;
          continue;
        }
        // As yaml's addPairToJSMap: an inherited name ("constructor") becomes an own property.
        if (stringKey in map) Object.defineProperty(map, stringKey, { value, writable: true, enumerable: true, configurable: true });
        else map[stringKey] = value;
      }
      return map;
    }
    if (node instanceof YAMLSeq) {
      if (node.anchor) this.anchor(node);
      // A subclass (YAML 1.1 `!!omap`, `!!pairs`) converts differently.
      if (node.constructor !== YAMLSeq) this.building = false;
      const items = node.items;
      const list = new Array<unknown>(items.length);
      for (let i = 0; i < items.length; i++) list[i] = this.node(items[i]);
      return list;
    }
    if (node === null || typeof node !== 'object') return node;
    if (node instanceof Alias) {
      if (node.range) this.found.push({ kind: 'alias', start: node.range[0], end: node.range[1], name: String(node.source) });
    } else if (node instanceof Pair) {
      // A pair straight inside a list: a YAML 1.1 `!!omap` or `!!pairs`.
      if (node.key instanceof Scalar) this.mergeKey(node.key);
      this.node(node.key);
      this.node(node.value);
    }
    this.building = false;
    return NOT_PLAIN;
  }

  private mergeKey(key: Scalar): void {
    if (key.value === '<<' && key.range) this.found.push({ kind: 'merge', start: key.range[0], end: key.range[1], name: '<<' });
  }

  private anchor(node: Scalar | YAMLMap | YAMLSeq): void {
    if (!node.range) return;
    const at = this.text.lastIndexOf('&' + node.anchor, node.range[0]);
    const start = at >= 0 ? at : node.range[0];
    this.found.push({ kind: 'anchor', start, end: start + node.anchor!.length + 1, name: node.anchor! });
  }
}

/**
 * Reads a YAML text. `file.data` is set when the first document has no error; every problem
 * (syntax, duplicate key, tab indentation, second document, anchor, alias, merge key, empty
 * file) is a diagnostic.
 */
export function parseSource(path: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const docs = parseAllDocuments(text, { version: '1.2', uniqueKeys: true, prettyErrors: false, lineCounter, merge: false, keepSourceTokens: false });
  const list: Document[] = Array.isArray(docs) ? docs : [];
  const first = list[0];
  const clean = first !== undefined && first.errors.length === 0;
  // No content at all: no document, or one with nothing after its "---" (an empty null).
  const empty = first === undefined || (clean && isNothing(first.contents));
  const reader = new DocumentReader(text, clean);
  let data: unknown;
  if (first && !empty) {
    data = reader.read(first.contents);
    if (data === NOT_PLAIN) data = clean ? toData(first) : undefined;
  }
  const file = new SourceFile(path, text, first, lineCounter, { data });

  if (first) {
    for (const error of yamlErrors(first.errors, text, lineCounter)) diagnostics.push(diag(path, file.span(error.start, error.end), error.rule, error.message));
    for (const u of reader.found) diagnostics.push(diag(path, file.span(u.start, u.end), `yaml-${u.kind === 'merge' ? 'merge-key' : u.kind}`, UNSUPPORTED[u.kind](u.name)));
  }
  for (const doc of list.slice(1)) {
    const start = doc.range?.[0] ?? 0;
    diagnostics.push(diag(path, file.span(start, Math.min(start + 3, text.length)), 'yaml-multiple-documents',
      'This file holds a second YAML document (after "---"), but a file may hold only one: move the rest into its own file, or remove the "---" line.'));
  }
  if (empty) {
    diagnostics.push(diag(path, file.span(0, Math.min(1, text.length)), 'yaml-empty-file',
      'This file is empty (or holds only comments). Write its content (a flow needs at least a "states:" map), or delete the file.'));
  }
  return { file, diagnostics };
}

/** A document's contents when it holds nothing: no node, or an empty null scalar (a bare "---"). */
function isNothing(contents: unknown): boolean {
  return contents === null || (contents instanceof Scalar && contents.value === null && !!contents.range && contents.range[0] === contents.range[1]);
}

const UNSUPPORTED: Record<Unsupported['kind'], (name: string) => string> = {
  merge: () => 'Merge keys ("<<") are not supported in flows: write the keys out in full, so every state reads on its own.',
  alias: (name) => `The alias "*${name}" is not supported in flows: copy the value here instead, so every state reads on its own.`,
  anchor: (name) => `The anchor "&${name}" is not supported in flows: remove it and write the value out wherever it is needed.`,
};
