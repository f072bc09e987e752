/**
 * A YAML file kept with its positions. Every parsed value can be traced back to a span in
 * the text: by JSON-pointer-like path (`['states', 'welcome', 'say', 0]`), or, inside a
 * string (a template, a condition), by an offset in the string's value.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type Scalar } from 'yaml';

/** A 1-based span; `endColumn` is exclusive. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export class SourceFile {
  /**
   * The parsed data as plain JS (YAML 1.2 core schema); `undefined` when the YAML has errors
   * or the file holds no document.
   * `known.data`, when given (by `parseSource`, which converts the document while checking
   * it), is used as is instead of converting the document again.
   */
  readonly data: unknown;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly doc: Document | undefined,
    readonly lineCounter: LineCounter,
    known?: { data: unknown },
  ) {
    this.data = known ? known.data : doc && doc.errors.length === 0 ? toData(doc) : undefined;
  }

  /** The span between two offsets of the text. */
  span(start: number, end: number): Span {
    const s = this.lineCounter.linePos(Math.max(0, Math.min(start, this.text.length)));
    const e = this.lineCounter.linePos(Math.max(0, Math.min(Math.max(end, start), this.text.length)));
    return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  }

  /** The YAML node at a path, or undefined when the path does not exist. */
  nodeAt(path: Path): Node | undefined {
    return this.walk(path).node;
  }

  /** True when every segment of the path exists in the document. */
  has(path: Path): boolean {
    return this.walk(path).depth === path.length;
  }

  /**
   * The span of a path's key (`part: 'key'`) or value (`part: 'value'`). A path that does not
   * exist falls back to the key of its deepest existing ancestor (so a missing key points at
   * its parent's key), and the root falls back to the first line.
   */
  spanOf(path: Path, part: 'key' | 'value' = 'value'): Span {
    const w = this.walk(path);
    if (w.depth === path.length) {
      if (part === 'key' && w.pair && isScalar(w.pair.key) && w.pair.key.range) {
        return this.span(w.pair.key.range[0], w.pair.key.range[1]);
      }
      if (part === 'key' && w.seqItem && w.node?.range) {
        // A list item has no key: point at its first line.
        return this.firstLineSpan(w.node.range[0], w.node.range[1]);
      }
      // The file itself has no key: a missing top-level key points at the first line.
      if (part === 'key' && path.length === 0 && w.node?.range) return this.firstLineSpan(w.node.range[0], w.node.range[1]);
      // A key with no value (`say:`) has an empty null scalar: point at the key instead.
      const emptyValue = w.node?.range && w.node.range[0] === w.node.range[1];
      if (emptyValue && w.pair && isScalar(w.pair.key) && w.pair.key.range) return this.span(w.pair.key.range[0], w.pair.key.range[1]);
      if (w.node?.range) return this.valueSpan(w.node);
    }
    if (w.pair && isScalar(w.pair.key) && w.pair.key.range) return this.span(w.pair.key.range[0], w.pair.key.range[1]);
    if (w.node?.range) return this.firstLineSpan(w.node.range[0], w.node.range[1]);
    return this.firstLineSpan(0, this.text.length);
  }

  /**
   * The span of characters `start..end` of the string value at `path` (a template or a
   * condition), whatever the scalar's style: plain, quoted (escapes included) or block
   * (`|`, `>`). Falls back to the whole value when the path is not a string scalar.
   */
  stringSpan(path: Path, start: number, end: number): Span {
    const node = this.nodeAt(path);
    if (!node || !isScalar(node) || typeof node.value !== 'string' || !node.range) return this.spanOf(path, 'value');
    const map = scalarOffsets(this.text, node as Scalar<string>);
    const value = node.value;
    const s = map(Math.max(0, Math.min(start, value.length)));
    const e = end > start ? map(Math.min(end, value.length) - 1) + 1 : s;
    return this.span(s, Math.max(e, s));
  }

  private valueSpan(node: Node): Span {
    const [start, valueEnd] = node.range!;
    // Block scalars and collections may end on the next line; keep the span on its own lines.
    let end = valueEnd;
    while (end > start && /\s/.test(this.text[end - 1] ?? '')) end--;
    return this.span(start, end);
  }

  private firstLineSpan(start: number, end: number): Span {
    let e = start;
    while (e < end && e < this.text.length && this.text[e] !== '\n') e++;
    while (e > start && /\s/.test(this.text[e - 1] ?? '')) e--;
    return this.span(start, e === start ? start + 1 : e);
  }

  private walk(path: Path): { node: Node | undefined; pair?: Pair; seqItem?: boolean; depth: number } {
    let node: unknown = this.doc?.contents ?? undefined;
    let pair: Pair | undefined;
    let seqItem = false;
    let depth = 0;
    for (const seg of path) {
      if (isMap(node)) {
        const found = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!found) break;
        pair = found;
        seqItem = false;
        node = found.value ?? undefined;
        if (node === undefined || node === null) {
          depth++;
          // A key with no value (`say:`): its value span is the key's.
          return { node: found.key as Node, pair, seqItem, depth };
        }
      } else if (isSeq(node) && (typeof seg === 'number' || /^\d+$/.test(seg)) && Number(seg) < node.items.length) {
        // A list index, given as a number or as a text of digits.
        node = node.items[Number(seg)];
        seqItem = true;
        pair = undefined;
      } else break;
      depth++;
    }
    return { node: node as Node | undefined, pair, seqItem, depth };
  }
}

/**
 * The document as plain JS, or undefined when it cannot be converted: `toJS` throws on an
 * alias whose anchor is missing (`*nope`), which `parseSource` already reports as FS006.
 */
export function toData(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: -1 });
  } catch {
    return undefined;
  }
}

/**
 * Maps an offset in a scalar's value to an offset in the source text. Greedy alignment: every
 * non-space character of the value appears in the source in order (escapes such as `\"` just
 * skip a character), so each value character is matched to the next equal source character;
 * spaces and line breaks (which folding and escapes change) stay where the source pointer is.
 */
export function scalarOffsets(text: string, node: Scalar<string>): (valueOffset: number) => number {
  const [start, end] = node.range!;
  const value = node.value;
  let p = start;
  const type = node.type;
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') p = start + 1;
  else if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    while (p < end && text[p] !== '\n') p++;
    p++;
  }
  const offsets = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (/\s/.test(c)) {
      offsets[i] = Math.min(p, end);
      if (p < end && /\s/.test(text[p]!)) {
        p++;
        // Skip the indentation that follows a folded line break.
        if (text[p - 1] === '\n') while (p < end && text[p] === ' ') p++;
      }
      continue;
    }
    let q = p;
    while (q < end && text[q] !== c) q++;
    if (q < end) {
      offsets[i] = q;
      p = q + 1;
    } else offsets[i] = Math.min(p, end);
  }
  return (i) => (i < offsets.length ? offsets[i]! : offsets.length ? offsets[offsets.length - 1]! + 1 : p);
}
