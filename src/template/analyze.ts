/**
 * Static analysis of a template: which names it reads, which unknown helpers it calls, and
 * its first problem, each with offsets inside the template string, so the validator can
 * check names against the flow and point at them in the file.
 */
import Handlebars from 'handlebars';
import { BUILTIN_HELPERS, FLOW_HELPERS } from './helpers.js';
import { offsetMap, type OffsetMap } from './positions.js';
import { describeParseError } from './syntax-error.js';

/** A name the template reads: `{{ticket.id}}` -> path `['ticket', 'id']`, offsets of `ticket.id`. */
export interface TemplateRef { path: string[]; start: number; end: number }
/** A call of a helper that is not a documented one (`HELPER_NAMES`), with the offsets of its name. */
export interface TemplateHelperUse { name: string; start: number; end: number }
/** A problem in plain words, with offsets (end exclusive) in the template string. */
export interface TemplateProblem { message: string; start: number; end: number }
/**
 * What a template uses. `refs` are names read from the conversation (in source order);
 * `helpers` lists only the uses of unknown helpers; `error` is the first syntax or usage
 * problem (a template with an `error` should not be used).
 */
export interface TemplateAnalysis { refs: TemplateRef[]; helpers: TemplateHelperUse[]; error?: TemplateProblem }

type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;

/** Where a walk stands: how many blocks changed `this`, and the `as |name|` names in scope. */
interface Scope { depth: number; locals: ReadonlySet<string> }

const CONTEXT_BLOCKS = new Set(['each', 'with']);
const INLINE_HELPERS = new Set(FLOW_HELPERS);
const BLOCK_HELPERS = new Set(BUILTIN_HELPERS);

class Analyzer {
  readonly refs: TemplateRef[] = [];
  readonly helpers: TemplateHelperUse[] = [];
  error?: TemplateProblem;

  constructor(private readonly offsets: OffsetMap) {}

  span(node: Node): { start: number; end: number } {
    return {
      start: this.offsets.offset(node.loc.start.line, node.loc.start.column),
      end: this.offsets.offset(node.loc.end.line, node.loc.end.column),
    };
  }

  problem(message: string, node: Node): void {
    if (!this.error) this.error = { message, ...this.span(node) };
  }

  program(program: hbs.AST.Program | undefined, scope: Scope): void {
    for (const statement of program?.body ?? []) this.statement(statement, scope);
  }

  statement(node: Node, scope: Scope): void {
    switch (node.type) {
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (m.params.length === 0 && (m.hash?.pairs.length ?? 0) === 0) this.value(m.path, scope);
        else this.call(m.path, m.params, m.hash, scope);
        return;
      }
      case 'BlockStatement':
        this.block(node as hbs.AST.BlockStatement, scope);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement':
        this.problem('Partials ("{{> name}}") are not available in flows: write the text here instead.', node);
        return;
      case 'Decorator':
      case 'DecoratorBlock':
        this.problem('Decorators ("{{* name}}") are not available in flows: remove this "{{* ...}}".', node);
        return;
      default:
        return; // content and comments read nothing
    }
  }

  block(block: hbs.AST.BlockStatement, scope: Scope): void {
    const name = helperName(block.path);
    if (name !== undefined && INLINE_HELPERS.has(name)) {
      this.problem(`The helper "${name}" cannot open a block. To show text only when it holds, write "{{#if (${name} ...)}}...{{/if}}".`, block.path);
    } else if (name === undefined || !BLOCK_HELPERS.has(name)) {
      this.unknownHelper(block.path);
    } else if (block.params.length !== 1) {
      const example = name === 'each' ? 'items' : name === 'with' ? 'ticket' : 'approved';
      this.problem(`"{{#${name}}}" needs exactly one value, as in "{{#${name} ${example}}}".`, block.path);
    }
    for (const param of block.params) this.value(param, scope);
    for (const pair of block.hash?.pairs ?? []) this.value(pair.value, scope);
    const changesContext = name === undefined || !BLOCK_HELPERS.has(name) || CONTEXT_BLOCKS.has(name);
    const locals = new Set([...scope.locals, ...(block.program?.blockParams ?? [])]);
    this.program(block.program, { depth: scope.depth + (changesContext ? 1 : 0), locals });
    // `{{else}}` runs with the context outside the block.
    this.program(block.inverse, scope);
  }

  call(path: Expression, params: Expression[], hash: hbs.AST.Hash | undefined, scope: Scope): void {
    const name = helperName(path);
    if (name !== undefined && BLOCK_HELPERS.has(name)) {
      this.problem(`"${name}" works only as a block: write "{{#${name} ...}}...{{/${name}}}".`, path);
    } else if (name === undefined || !INLINE_HELPERS.has(name)) {
      this.unknownHelper(path);
    }
    for (const param of params) this.value(param, scope);
    for (const pair of hash?.pairs ?? []) this.value(pair.value, scope);
  }

  unknownHelper(path: Expression): void {
    const name = path.type === 'PathExpression'
      ? (path as hbs.AST.PathExpression).original
      : String((path as hbs.AST.StringLiteral).original ?? '');
    this.helpers.push({ name, ...this.span(path) });
  }

  value(node: Expression, scope: Scope): void {
    if (node.type === 'SubExpression') {
      const sub = node as hbs.AST.SubExpression;
      this.call(sub.path, sub.params, sub.hash, scope);
      return;
    }
    if (node.type !== 'PathExpression') return; // literals
    const path = refPath(node as hbs.AST.PathExpression, scope);
    if (path) this.refs.push({ path, ...this.span(node) });
  }
}

/** The name of a helper call's head when it is a plain name (`eq`), else `undefined`. */
function helperName(path: Expression): string | undefined {
  if (path.type !== 'PathExpression') return undefined;
  const p = path as hbs.AST.PathExpression;
  return !p.data && p.depth === 0 && p.parts.length === 1 && p.original === p.parts[0] ? p.parts[0] : undefined;
}

/** The top-level name a path reads, or `undefined` when it is local to a block or not a name. */
function refPath(path: hbs.AST.PathExpression, scope: Scope): string[] | undefined {
  const parts = path.parts.filter((part) => part !== '');
  if (path.data) return parts[0] === 'root' && parts.length > 1 && path.depth === 0 ? parts.slice(1) : undefined;
  if (parts.length === 0) return undefined;
  const scoped = path.depth > 0 || /^(\.|this\b)/.test(path.original);
  if (scoped) return path.depth === scope.depth ? parts : undefined;
  if (scope.locals.has(parts[0]) || scope.depth > 0) return undefined;
  return parts;
}

/**
 * Analyzes a template source (a `say` text, a `set` value, a `call` field...).
 *
 * Refs are the names read from the conversation: every path used as a value, in `{{...}}`,
 * helper arguments, `name=value` options and block arguments. Not refs: helper names,
 * `this`, `@index`-style data, `as |item|` names, and inside `{{#each}}` / `{{#with}}`
 * the names relative to the current item; there, only `@root.x` and `../x` (reaching the
 * top) count, as `['x']`. `{{name}}` alone always reads the value `name`, even when a
 * helper has that name. Never throws.
 */
export function analyzeTemplate(source: string): TemplateAnalysis {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    return { refs: [], helpers: [], error: describeParseError(source, error) };
  }
  const analyzer = new Analyzer(offsetMap(source));
  analyzer.program(ast, { depth: 0, locals: new Set() });
  const result: TemplateAnalysis = { refs: analyzer.refs, helpers: analyzer.helpers };
  if (analyzer.error) result.error = analyzer.error;
  return result;
}
