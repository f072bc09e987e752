/**
 * Evaluating a checked condition tree over a scope. A small interpreter: no `eval`, no
 * `Function`, no access to prototypes or functions; missing names are `undefined` and
 * nothing here throws on strange data.
 */
import { compareValues, isTruthy, lengthOf, looseEquals, numericValue, safeGet, toText } from '../template/values.js';
import type { Node } from './parse.js';

type Scope = Record<string, unknown>;

function arithmetic(operator: string, left: unknown, right: unknown): unknown {
  const x = numericValue(left);
  const y = numericValue(right);
  if (operator === '+' && (x === undefined || y === undefined)) {
    return typeof left === 'string' || typeof right === 'string' ? toText(left) + toText(right) : undefined;
  }
  if (x === undefined || y === undefined) return undefined;
  const result = operator === '+' ? x + y : operator === '-' ? x - y : operator === '*' ? x * y : x / y;
  return Number.isFinite(result) ? result : undefined;
}

/** `a in b`: an item of a list, a piece of a text, or a field of an object. */
function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((element) => looseEquals(item, element));
  if (typeof container === 'string') {
    return (typeof item === 'string' || typeof item === 'number') && container.includes(String(item));
  }
  if (container !== null && typeof container === 'object' && (typeof item === 'string' || typeof item === 'number')) {
    return safeGet(container, item) !== undefined;
  }
  return false;
}

function binary(node: Node, scope: Scope): unknown {
  const operator = String(node.operator);
  if (operator === 'and' || operator === '&&') {
    return isTruthy(evaluate(node.left as Node, scope)) && isTruthy(evaluate(node.right as Node, scope));
  }
  if (operator === 'or' || operator === '||') {
    return isTruthy(evaluate(node.left as Node, scope)) || isTruthy(evaluate(node.right as Node, scope));
  }
  const left = evaluate(node.left as Node, scope);
  const right = evaluate(node.right as Node, scope);
  switch (operator) {
    case '==': return looseEquals(left, right);
    case '!=': return !looseEquals(left, right);
    case 'in': return contains(right, left);
    case '+': case '-': case '*': case '/': return arithmetic(operator, left, right);
    default: {
      const order = compareValues(left, right);
      if (order === undefined) return false;
      if (operator === '<') return order < 0;
      if (operator === '<=') return order <= 0;
      if (operator === '>') return order > 0;
      if (operator === '>=') return order >= 0;
      return undefined; // refused operators never reach a compiled condition
    }
  }
}

function call(node: Node, scope: Scope): unknown {
  const name = String((node.callee as Node).name);
  const value = evaluate((node.arguments as Node[])[0], scope);
  if (name === 'lower') return toText(value).toLowerCase();
  if (name === 'upper') return toText(value).toUpperCase();
  return lengthOf(value);
}

/** The value of a node; `undefined` for anything missing, forbidden or not computable. */
export function evaluate(node: Node | null | undefined, scope: Scope): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'Identifier':
      return safeGet(scope, String(node.name));
    case 'MemberExpression': {
      const object = evaluate(node.object as Node, scope);
      const property = node.property as Node;
      const key = node.computed ? evaluate(property, scope) : property.name;
      return typeof key === 'string' || typeof key === 'number' ? safeGet(object, key) : undefined;
    }
    case 'ArrayExpression':
      return (node.elements as Array<Node | null>).map((item) => evaluate(item, scope));
    case 'UnaryExpression': {
      const value = evaluate(node.argument as Node, scope);
      if (node.operator === '-') {
        const n = numericValue(value);
        return n === undefined ? undefined : -n;
      }
      return !isTruthy(value);
    }
    case 'BinaryExpression':
      return binary(node, scope);
    case 'CallExpression':
      return call(node, scope);
    default:
      return undefined;
  }
}
