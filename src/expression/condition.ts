/**
 * Conditions (`if:` of a `next` branch): analysis for the validator, compilation for the
 * engine. The language (docs/templates.md, "Conditions"): `and`/`or`/`not` (or `&&`,
 * `||`, `!`), `== != < <= > >=`, `in`, `+ - * /`, parentheses, numbers, "texts",
 * `true`/`false`/`null`, lists `[...]`, names with fields `a.b`, `a["b"]`, `a[0]`, and the
 * functions `length(x)`, `lower(x)`, `upper(x)`. Parsed by jsep, never `eval`ed.
 */
import { isTruthy } from '../template/values.js';
import { checkCondition } from './check.js';
import { evaluate } from './evaluate.js';
import { ConditionSyntaxError, parseCondition, type Node } from './parse.js';

export { CONDITION_FUNCTIONS } from './check.js';
export { ConditionSyntaxError } from './parse.js';

/** A name a condition reads: `ticket.priority` -> `['ticket', 'priority']`, with offsets. */
export interface ExprRef { path: string[]; start: number; end: number }

/** What a condition reads (in source order) and its first problem, with offsets in the text. */
export interface ExprAnalysis { refs: ExprRef[]; error?: { message: string; start: number; end: number } }

/** A compiled condition: true or false for a scope; never throws. */
export type CompiledCondition = (scope: Record<string, unknown>) => boolean;

/**
 * Analyzes a condition: the names it reads (as far as they are written out: `a[i].b`
 * reads `['a']` and `['i']`) and its first problem in plain words. Never throws.
 */
export function analyzeCondition(source: string): ExprAnalysis {
  let tree: Node;
  try {
    tree = parseCondition(source);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) {
      return { refs: [], error: { message: error.message, start: error.start, end: error.end } };
    }
    throw error;
  }
  const { refs, problems } = checkCondition(source, tree);
  const first = problems[0];
  return first ? { refs, error: { message: first.message, start: first.start, end: first.end } } : { refs };
}

/**
 * Compiles a condition. The scope is the data a template sees (build it with
 * `buildTemplateData` from `src/template/render.ts`): saved variables, `user`, `input`,
 * `env`, `error`.
 *
 * Throws a {@link ConditionSyntaxError} only for a condition that cannot run (a syntax
 * error, an unknown operator or function), which validation reports first. Evaluation
 * never throws: a missing name is `undefined` (false), `__proto__`, `constructor` and
 * `prototype` read nothing, only own properties are read, and a comparison between
 * values that cannot be ordered is false.
 */
export function compileCondition(source: string): CompiledCondition {
  const tree = parseCondition(source);
  const syntax = checkCondition(source, tree).problems.find((problem) => problem.kind === 'syntax');
  if (syntax) throw new ConditionSyntaxError(syntax.message, syntax.start, syntax.end);
  return (scope) => {
    try {
      return isTruthy(evaluate(tree, scope ?? {}));
    } catch {
      return false;
    }
  };
}
