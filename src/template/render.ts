/**
 * Compiling and rendering templates. Each template source is compiled once, lazily, in an
 * isolated Handlebars environment that knows only the documented helpers, never escapes
 * HTML (this is chat), and never reaches prototypes, functions or anything outside the
 * scope it is given. Text a person typed is data: it is inserted as it is, never read as
 * a template.
 */
import Handlebars from 'handlebars';
import { FLOW_HELPER_IMPLEMENTATIONS, FLOW_HELPERS } from './helpers.js';
import { FORBIDDEN_KEYS, RESERVED_NAMES, toPlainData, toText } from './values.js';
import { renderSimple, simpleParts } from './simple-template.js';

/** What a template can read while it renders. */
export interface TemplateScope {
  /** Profile fields (`id`, `name`, `first_name`, ...), `''` when unknown. */
  user: Record<string, string>;
  /** Saved variables, by plain name. */
  vars: Record<string, unknown>;
  /** The last text the person typed. */
  input?: string;
  /** Only the environment variables listed in `env_allow`. */
  env: Record<string, string>;
  /** Set in and after an `on_error` state. */
  error?: { status: number; message: string };
  /** The person's language, such as `fr` or `fr_FR`: used by `date`, `number`, `upper`... */
  language: string;
}

/** A compiled template: renders a scope to text, and never throws. */
export type CompiledTemplate = (scope: TemplateScope) => string;

/** The internal helper every `{{value}}` goes through; its name cannot be typed as a helper call. */
const SHOW = 'flowstate show';

/** Beyond this many cached sources the cache starts afresh (flows hold far fewer). */
const CACHE_LIMIT = 10_000;

const env = createEnvironment();
const cache = new Map<string, CompiledTemplate>();

const KNOWN_HELPERS: Record<string, boolean> = {
  ...Object.fromEntries([...FLOW_HELPERS, SHOW].map((name) => [name, true])),
  lookup: false,
  log: false,
};

const RUNTIME_OPTIONS = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowCallsToHelperMissing: false,
  allowedProtoProperties: {},
  allowedProtoMethods: {},
};

function createEnvironment(): typeof Handlebars {
  const hbs = Handlebars.create();
  // Only if/unless/each/with stay of the built-ins: `lookup` and `log` are not documented.
  hbs.unregisterHelper('lookup');
  hbs.unregisterHelper('log');
  // A call of an unknown helper (only in a template validation would reject) shows nothing.
  hbs.registerHelper('helperMissing', () => '');
  for (const [name, fn] of Object.entries(FLOW_HELPER_IMPLEMENTATIONS)) hbs.registerHelper(name, fn);
  hbs.registerHelper(SHOW, (value: unknown) => toText(value));
  return hbs;
}

/**
 * The data a template (and a condition) sees for a scope: the saved variables by name,
 * then `user`, `env`, `input` and `error`, which variables cannot shadow. It is a deep
 * copy holding plain data only (see `toPlainData`): no functions, no prototypes.
 */
export function buildTemplateData(scope: TemplateScope): Record<string, unknown> {
  const data: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(scope.vars ?? {})) {
    if (RESERVED_NAMES.has(name) || FORBIDDEN_KEYS.has(name)) continue;
    const plain = toPlainData(value);
    if (plain !== undefined) data[name] = plain;
  }
  data.user = toPlainData(scope.user ?? {});
  data.env = toPlainData(scope.env ?? {});
  if (typeof scope.input === 'string') data.input = scope.input;
  if (scope.error) data.error = toPlainData(scope.error);
  return data;
}

type Node = hbs.AST.Node;

/**
 * Routes every `{{...}}` through the SHOW helper, so that values render as `toText` says
 * (lists as "a, b", objects as JSON) rather than as JavaScript would. `{{name}}` without
 * arguments always reads the value `name`, even when a helper has that name.
 */
function routeThroughShow(node: Node): void {
  if (node.type === 'Program') {
    for (const statement of (node as hbs.AST.Program).body) routeThroughShow(statement);
    return;
  }
  if (node.type === 'BlockStatement') {
    const block = node as hbs.AST.BlockStatement;
    if (block.program) routeThroughShow(block.program);
    if (block.inverse) routeThroughShow(block.inverse);
    return;
  }
  if (node.type !== 'MustacheStatement') return;
  const mustache = node as hbs.AST.MustacheStatement;
  const hasArguments = mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0;
  const value: hbs.AST.Expression = hasArguments
    ? ({ type: 'SubExpression', path: mustache.path, params: mustache.params, hash: mustache.hash, loc: mustache.loc } as hbs.AST.SubExpression)
    : mustache.path;
  const show: hbs.AST.PathExpression = {
    type: 'PathExpression', data: false, depth: 0, parts: [SHOW], original: SHOW, loc: mustache.loc,
  };
  Object.assign(mustache, { path: show, params: [value], hash: undefined });
}

type Renderer = (data: Record<string, unknown>, options: object) => string;

/** Compiles a parsed template; `knownHelpersOnly` when the template allows it. */
function compileAst(source: string): Renderer | undefined {
  const attempts = [
    { noEscape: true, strict: false, knownHelpersOnly: true, knownHelpers: KNOWN_HELPERS },
    // Only a template with an unknown helper (which validation rejects) gets here.
    { noEscape: true, strict: false, knownHelpers: KNOWN_HELPERS },
  ];
  for (const options of attempts) {
    try {
      const ast = Handlebars.parse(source);
      routeThroughShow(ast);
      const template = env.compile(ast, options) as unknown as Renderer;
      // Handlebars compiles on the first call: render once with no data to surface errors now.
      template(Object.create(null), { ...RUNTIME_OPTIONS, data: { language: 'en' } });
      return template;
    } catch {
      // try the next, more permissive, way; a syntax error fails them all
    }
  }
  return undefined;
}

/**
 * Renders with Handlebars only, never the simple fast path: the reference the fast path is
 * tested against (test/template/simple-template.test.ts). Not cached.
 */
export function renderWithHandlebars(source: string, scope: TemplateScope): string {
  return runRenderer(compileAst(source), source, scope);
}

/** Runs a compiled Handlebars renderer; a missing renderer or a failure gives the source. */
function runRenderer(renderer: Renderer | undefined, source: string, scope: TemplateScope): string {
  if (!renderer) return source;
  try {
    const output = renderer(buildTemplateData(scope), { ...RUNTIME_OPTIONS, data: { language: scope.language } });
    return typeof output === 'string' ? output : source;
  } catch {
    return source;
  }
}

function remember(source: string, render: CompiledTemplate): CompiledTemplate {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, render);
  return render;
}

/**
 * Compiles a template (once per source; later calls return the cached function).
 *
 * Rendering never throws. Values render as: nothing for a missing value, texts as they
 * are (no HTML escaping: `<b>&` stays `<b>&`), numbers in plain digits, `true`/`false`,
 * lists as their items separated by ", ", objects as compact JSON. A template that cannot
 * be compiled (a syntax error, which validation reports) renders as its own source text,
 * unchanged, and so does one whose rendering fails unexpectedly.
 */
export function compileTemplate(source: string): CompiledTemplate {
  const cached = cache.get(source);
  if (cached) return cached;
  // Plain text (most titles and many messages): Handlebars would give it back unchanged.
  if (!source.includes('{{')) return remember(source, () => source);
  let renderer: Renderer | undefined;
  let compiled = false;
  let simple: ReturnType<typeof simpleParts> | null = null;
  const render: CompiledTemplate = (scope) => {
    if (simple === null) simple = simpleParts(source);
    if (simple) {
      const fast = renderSimple(simple, scope);
      if (fast !== undefined) return fast;
    }
    if (!compiled) {
      renderer = compileAst(source);
      compiled = true;
    }
    return runRenderer(renderer, source, scope);
  };
  return remember(source, render);
}
