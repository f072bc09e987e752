/**
 * Parsing conditions with jsep (a maintained expression parser; nothing is ever `eval`ed).
 * jsep's configuration is global to the process, so this module is the only one that
 * configures it: the operators of the condition language, and hooks that record where
 * each value starts and ends in the condition text.
 */
import jsep from 'jsep';

/** A parsed node with its offsets in the condition text (end exclusive), when known. */
export type Node = jsep.Expression & { start?: number; end?: number };

/** A condition that cannot be parsed: plain words and offsets in the condition text. */
export class ConditionSyntaxError extends Error {
  /** Offsets (end exclusive) of the offending text in the condition string. */
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
    this.name = 'ConditionSyntaxError';
  }
}

/** Operators authors may write, with jsep precedences (higher binds tighter). */
const BINARY_OPERATORS: ReadonlyArray<[string, number]> = [
  ['or', 1], ['||', 1], ['and', 2], ['&&', 2],
  ['==', 6], ['!=', 6], ['<', 7], ['>', 7], ['<=', 7], ['>=', 7], ['in', 7],
  ['+', 9], ['-', 9], ['*', 10], ['/', 10],
];

/**
 * Operators parsed only to be refused with a helpful message (`=` instead of `==`...).
 * They are never evaluated.
 */
export const REFUSED_OPERATORS: Readonly<Record<string, string>> = Object.freeze({
  '=': 'Unknown operator "=": use "==" to compare.',
  '===': 'Unknown operator "===": use "==" to compare.',
  '!==': 'Unknown operator "!==": use "!=" to compare.',
  '&': 'Unknown operator "&": use "and".',
  '|': 'Unknown operator "|": use "or".',
  '%': 'Unknown operator "%": conditions can add (+), subtract (-), multiply (*) and divide (/).',
});

const CONFIGURED = Symbol.for('flowstate.jsep.configured');

interface PositionScope { index: number; expr: string; starts?: number[] }

function configure(): void {
  const registry = jsep as unknown as Record<symbol, boolean>;
  if (registry[CONFIGURED]) return;
  registry[CONFIGURED] = true;
  jsep.removeAllBinaryOps();
  for (const [op, precedence] of BINARY_OPERATORS) jsep.addBinaryOp(op, precedence);
  for (const op of Object.keys(REFUSED_OPERATORS)) jsep.addBinaryOp(op, op === '|' ? 1 : op === '&' ? 2 : op === '%' ? 10 : 6);
  jsep.removeAllUnaryOps();
  for (const op of ['!', 'not', '-']) jsep.addUnaryOp(op);
  // Every token records where it starts; numbers are read here so that each start is
  // matched by the 'after-token' hook below (jsep skips that hook for numbers).
  jsep.hooks.add('gobble-token', function (this: jsep.HookScope, env) {
    const scope = this as unknown as PositionScope;
    (scope.starts ??= []).push(this.index);
    if ((this.code >= 48 && this.code <= 57) || this.code === 46) env.node = this.gobbleNumericLiteral();
  });
  jsep.hooks.add('after-token', function (this: jsep.HookScope, env) {
    const scope = this as unknown as PositionScope;
    const start = scope.starts?.pop();
    if (start === undefined || !env.node) return;
    let end = this.index;
    while (end > start && /\s/.test(scope.expr[end - 1])) end--;
    annotateChain(scope.expr, env.node as Node, start, end);
  });
}

/** Records offsets on a token and on each link of its `a.b[0]` / `f(x)` chain. */
function annotateChain(expr: string, node: Node, start: number, end: number): void {
  const chain: Node[] = [];
  let root: Node = node;
  while (root.type === 'MemberExpression' || root.type === 'CallExpression') {
    chain.unshift(root);
    root = (root.type === 'MemberExpression' ? root.object : root.callee) as Node;
  }
  if (root.start === undefined && root.type === 'Identifier' && expr.startsWith(String(root.name), start)) {
    root.start = start;
    root.end = start + String(root.name).length;
  }
  let position = root.end ?? end;
  const skip = (chars: RegExp) => {
    while (position < end && chars.test(expr[position])) position++;
  };
  for (const link of chain) {
    if (root.end === undefined) break;
    skip(/[\s)]/);
    if (link.type === 'CallExpression') {
      const args = link.arguments as Node[];
      const last = args[args.length - 1];
      const close = expr.indexOf(')', last?.end ?? position);
      position = close === -1 ? end : close + 1;
    } else if (link.computed) {
      const property = link.property as Node;
      const close = property.end === undefined ? -1 : expr.indexOf(']', property.end);
      position = close === -1 ? end : close + 1;
    } else {
      skip(/[\s?.]/);
      const property = link.property as Node;
      const name = String(property.name);
      if (expr.startsWith(name, position)) {
        property.start = position;
        property.end = position + name.length;
        position += name.length;
      }
    }
    link.start ??= start;
    link.end ??= Math.min(position, end);
  }
  node.start ??= start;
  node.end ??= end;
}

/** Offsets of a node; for operators, from the start of the left value to the end of the right. */
export function spanOf(node: Node | null | undefined, fallback: { start: number; end: number }): { start: number; end: number } {
  if (!node) return fallback;
  if (node.start !== undefined && node.end !== undefined) return { start: node.start, end: node.end };
  const parts: Array<Node | undefined> =
    node.type === 'BinaryExpression' ? [node.left as Node, node.right as Node]
      : node.type === 'ConditionalExpression' ? [node.test as Node, node.alternate as Node]
        : node.type === 'Compound' ? [(node.body as Node[])[0], (node.body as Node[]).at(-1)]
          : node.type === 'SequenceExpression' ? [(node.expressions as Node[])[0], (node.expressions as Node[]).at(-1)]
            : [];
  if (parts.length === 0) return fallback;
  return { start: spanOf(parts[0], fallback).start, end: spanOf(parts[1], fallback).end };
}

/** Offsets of the unmatched opening character (`(`, `[` or a quote), ignoring quoted text. */
function unmatchedOpening(source: string, open: string): number | undefined {
  const stack: number[] = [];
  let quote: string | undefined;
  let quoteStart = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      quoteStart = i;
    } else if (ch === open) stack.push(i);
    else if ((open === '(' && ch === ')') || (open === '[' && ch === ']')) stack.pop();
  }
  if (open === 'quote') return quote ? quoteStart : undefined;
  return stack.at(-1);
}

/** A jsep error in plain words, pointing at the offending text. */
function friendlyError(source: string, error: unknown): ConditionSyntaxError {
  const description = String((error as { description?: unknown }).description ?? (error as Error).message ?? error);
  const rawIndex = (error as { index?: unknown }).index;
  const index = Math.min(typeof rawIndex === 'number' ? rawIndex : source.length, source.length);
  const at = (message: string, start = index, end = Math.min(start + 1, source.length)) =>
    new ConditionSyntaxError(message, start, Math.max(end, start));
  const after = /^Expected expression after (.+)$/.exec(description);
  if (after) {
    const op = after[1];
    const where = source.lastIndexOf(op, index - 1);
    return where === -1 ? at(`Expected a value after "${op}".`) : at(`Expected a value after "${op}".`, where, where + op.length);
  }
  if (description === 'missing unaryOp argument') {
    const op = /(not|!|-)\s*$/.exec(source.slice(0, index))?.[1] ?? 'not';
    const where = source.slice(0, index).lastIndexOf(op);
    return at(`Expected a value after "${op}".`, Math.max(where, 0), Math.max(where, 0) + op.length);
  }
  if (description.startsWith('Unclosed quote')) {
    const start = unmatchedOpening(source, 'quote') ?? index;
    return at(`This text has no closing quote: add ${source[start] ?? '"'} at its end.`, start);
  }
  if (description === 'Unclosed (' || description === 'Expected )') {
    const start = unmatchedOpening(source, '(') ?? index;
    return at('This "(" is not closed: add ")".', start);
  }
  if (description === 'Unclosed [' || description === 'Expected ]') {
    const start = unmatchedOpening(source, '[') ?? index;
    return at('This "[" is not closed: add "]".', start);
  }
  if (description === 'Expected comma') return at('Expected a "," between the items of this list.');
  if (description.startsWith('Variable names cannot start with a number')) {
    const word = /^[\w.]*/.exec(source.slice(index))?.[0] ?? '';
    const start = Math.max(0, index - (/[\d.]*$/.exec(source.slice(0, index))?.[0].length ?? 0));
    return at(`A name cannot start with a digit: "${source.slice(start, index)}${word}".`, start, index + word.length);
  }
  if (description === 'Expected :') return at('"?" cannot be used in a condition: write one branch per case, each with its own "if".');
  const unexpected = /^Unexpected "?(.*?)"?$/.exec(description)?.[1] ?? /^Unexpected token (.+)$/.exec(description)?.[1];
  if (unexpected !== undefined) {
    const previous = source.slice(0, index).trimEnd();
    if (previous.endsWith('.') && !/^[A-Za-z_$]/.test(unexpected)) {
      return at('Expected a name after ".", as in ticket.id.', previous.length - 1, previous.length);
    }
    if (unexpected === '') return at('This condition ends too early: something is missing at the end.', Math.max(0, source.length - 1), source.length);
    const hint = REFUSED_OPERATORS[unexpected] ?? (unexpected === ')' ? 'This ")" has no "(" before it.' : `"${unexpected}" cannot be used here.`);
    return at(hint);
  }
  return at(`This condition cannot be read here (${description}): check the names, operators and brackets around this point.`);
}

/** Parses a condition into jsep's tree with offsets; throws {@link ConditionSyntaxError}. */
export function parseCondition(source: string): Node {
  configure();
  try {
    return jsep(source) as Node;
  } catch (error) {
    throw friendlyError(source, error);
  }
}
