/**
 * Checks a parsed condition against the condition language (jsep parses more than we
 * allow) and lists the names it reads, with offsets in the condition text.
 */
import { FORBIDDEN_KEYS } from '../template/values.js';
import { REFUSED_OPERATORS, spanOf, type Node } from './parse.js';

/** The functions a condition may call, each with one value: `length(x)`, `lower(x)`, `upper(x)`. */
export const CONDITION_FUNCTIONS: readonly string[] = Object.freeze(['length', 'lower', 'upper']);

/** A name read by a condition: `ticket.priority` -> `['ticket', 'priority']`. */
export interface CheckedRef { path: string[]; start: number; end: number }

/**
 * A problem found by the check. `syntax` problems make the condition impossible to run;
 * `name` problems (reading `__proto__`, `constructor`, `prototype`) only read nothing.
 */
export interface CheckProblem { kind: 'syntax' | 'name'; message: string; start: number; end: number }

/** Everything the check found. */
export interface CheckResult { refs: CheckedRef[]; problems: CheckProblem[] }

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=', 'in']);
const WORD_OPERATORS = new Set(['and', 'or', 'in', 'not']);

class Checker {
  readonly refs: CheckedRef[] = [];
  readonly problems: CheckProblem[] = [];

  constructor(private readonly source: string) {}

  span(node: Node | null | undefined): { start: number; end: number } {
    return spanOf(node, { start: 0, end: this.source.length });
  }

  text(node: Node): string {
    const { start, end } = this.span(node);
    return this.source.slice(start, end);
  }

  problem(kind: CheckProblem['kind'], message: string, where: { start: number; end: number }): void {
    this.problems.push({ kind, message, ...where });
  }

  node(node: Node): void {
    switch (node.type) {
      case 'Literal':
        return;
      case 'Identifier':
      case 'MemberExpression':
        this.reference(node);
        return;
      case 'ArrayExpression':
        this.list(node.elements as Array<Node | null>, node);
        return;
      case 'UnaryExpression':
        this.node(node.argument as Node);
        return;
      case 'BinaryExpression':
        this.binary(node);
        return;
      case 'CallExpression':
        this.call(node);
        return;
      case 'Compound':
        this.compound(node);
        return;
      case 'ConditionalExpression':
        this.problem('syntax', '"? :" cannot be used in a condition: write one branch per case, each with its own "if".', this.span(node));
        return;
      case 'SequenceExpression':
        this.problem('syntax', 'A "," can only separate the items of a list, as in ["a", "b"].', this.span(node));
        return;
      case 'ThisExpression':
        this.problem('syntax', '"this" has no meaning in a condition: write the name of a variable.', this.span(node));
        return;
      default:
        this.problem('syntax', 'This part of the condition cannot be used.', this.span(node));
    }
  }

  list(items: Array<Node | null>, node: Node): void {
    items.forEach((item, i) => {
      if (!item) {
        this.problem('syntax', 'This list has an empty item: remove the extra ",".', this.span(node));
        return;
      }
      const previous = items[i - 1];
      // jsep accepts `[1 2]`; a list needs its commas.
      if (previous && !this.source.slice(this.span(previous).end, this.span(item).start).includes(',')) {
        this.problem('syntax', 'Expected a "," between the items of this list.', this.span(item));
      }
      this.node(item);
    });
  }

  compound(node: Node): void {
    const body = node.body as Node[];
    if (body.length === 0) {
      this.problem('syntax', 'This condition is empty: write a test such as days > 10.', { start: 0, end: this.source.length });
      return;
    }
    const second = body[1];
    const word = second.type === 'Identifier' ? String(second.name) : '';
    const message = WORD_OPERATORS.has(word)
      ? `Expected a value after "${word}".`
      : `Expected an operator such as "and", "or" or "==" before "${this.text(second)}".`;
    this.problem('syntax', message, this.span(second));
    for (const part of body) this.node(part);
  }

  binary(node: Node): void {
    const operator = String(node.operator);
    const left = node.left as Node;
    const right = node.right as Node;
    const refused = REFUSED_OPERATORS[operator];
    if (refused) {
      const from = this.span(left).end;
      const at = this.source.indexOf(operator, from);
      this.problem('syntax', refused, at === -1 ? this.span(node) : { start: at, end: at + operator.length });
    }
    if (COMPARISONS.has(operator) && left.type === 'UnaryExpression' && (left.operator === 'not' || left.operator === '!')) {
      const value = this.text(left.argument as Node);
      const whole = `${value} ${operator} ${this.text(right)}`;
      this.problem(
        'syntax',
        `"${String(left.operator)}" here applies only to "${value}", not to the whole comparison: write "not (${whole})"${operator === '==' ? ', or use "!="' : ''}.`,
        this.span(left),
      );
    }
    this.node(left);
    this.node(right);
  }

  call(node: Node): void {
    const callee = node.callee as Node;
    const args = node.arguments as Node[];
    const name = callee.type === 'Identifier' ? String(callee.name) : this.text(callee);
    const list = `${CONDITION_FUNCTIONS.slice(0, -1).join(', ')} and ${CONDITION_FUNCTIONS.at(-1)}`;
    if (callee.type !== 'Identifier' || !CONDITION_FUNCTIONS.includes(name)) {
      this.problem('syntax', `Unknown function "${name}": the functions you can use are ${list}.`, this.span(callee));
    } else if (args.length !== 1) {
      this.problem('syntax', `"${name}" takes exactly one value, as in ${name}(items).`, this.span(node));
    }
    if (callee.type !== 'Identifier') this.node(callee);
    for (const arg of args) this.node(arg);
  }

  /** Records the name a chain reads (as far as it is written out) and checks each key. */
  reference(node: Node): void {
    const links: Node[] = [];
    let root = node;
    while (root.type === 'MemberExpression') {
      links.unshift(root);
      root = root.object as Node;
    }
    if (root.type !== 'Identifier') this.node(root);
    if (root.type === 'Identifier' && WORD_OPERATORS.has(String(root.name))) {
      const word = String(root.name);
      const message = word === 'not' ? 'Expected a value after "not".' : `"${word}" needs a value on each side, as in a ${word} b.`;
      this.problem('syntax', message, this.span(root));
      return;
    }
    let path: string[] | undefined = root.type === 'Identifier' ? [String(root.name)] : undefined;
    let last: Node = root;
    if (path) this.forbidden(path[0], root);
    for (const link of links) {
      const property = link.property as Node;
      const key = link.computed
        ? property.type === 'Literal' && (typeof property.value === 'string' || typeof property.value === 'number') ? String(property.value) : undefined
        : String(property.name);
      if (key !== undefined) this.forbidden(key, property);
      if (link.computed && property.type !== 'Literal') this.node(property);
      if (path && key !== undefined) {
        path = [...path, key];
        last = link;
      } else if (path) {
        this.refs.push({ path, ...this.span(last) });
        path = undefined;
      }
    }
    if (path) this.refs.push({ path, ...this.span(last) });
  }

  forbidden(key: string, where: Node): void {
    if (FORBIDDEN_KEYS.has(key)) {
      this.problem('name', `"${key}" cannot be read in a condition: it is not data. Use the name of a variable or of one of its fields.`, this.span(where));
    }
  }
}

/** Checks a parsed condition; never throws. */
export function checkCondition(source: string, tree: Node): CheckResult {
  const checker = new Checker(source);
  checker.node(tree);
  checker.refs.sort((a, b) => a.start - b.start);
  checker.problems.sort((a, b) => a.start - b.start);
  return { refs: checker.refs, problems: checker.problems };
}
