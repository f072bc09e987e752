/**
 * Static analysis of every template and condition string of a flow, done once per string and
 * cached: several rules (syntax, helpers, variables) read the same results. A template without
 * `{{` is plain text and is not parsed at all, and the common shapes (name tags, documented
 * helper calls, `{{#if}}` blocks) are read by hand (`simpleTemplate`, `fastTemplate`), which
 * keeps validation close to the cost of parsing the YAML.
 */
import { analyzeTemplate } from '../../template/analyze.js';
import { analyzeCondition } from '../../expression/condition.js';
import type { StringSite } from './flow-index.js';
import { fastTemplate } from './template-fast-path.js';

export type TemplateAnalysis = ReturnType<typeof analyzeTemplate>;
export type ConditionAnalysis = ReturnType<typeof analyzeCondition>;

const PLAIN: TemplateAnalysis = { refs: [], helpers: [] };
/**
 * The cached analysis is kept on the site itself, under a key private to this module: a
 * lookup in a WeakMap per call cost more than the analysis of most templates.
 */
const ANALYSIS = Symbol('analysis');
type Cached<A> = StringSite & { [ANALYSIS]?: A };

const SIMPLE_TAG = /\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\}\}(?!\})/y;
const LITERALS = new Set(['true', 'false', 'null', 'undefined', 'this', 'else']);

/**
 * The analysis of a template made only of text and plain `{{name.path}}` tags (the common
 * case), without running the Handlebars parser; undefined for anything else (helpers, blocks,
 * `{{{`, `~`, escapes, literals), which goes to `analyzeTemplate`. Same result either way.
 */
export function simpleTemplate(source: string): TemplateAnalysis | undefined {
  if (source.includes('\\{{') || source.includes('{{{')) return undefined;
  const refs: TemplateAnalysis['refs'] = [];
  for (let at = source.indexOf('{{'); at !== -1; at = source.indexOf('{{', at)) {
    SIMPLE_TAG.lastIndex = at;
    const m = SIMPLE_TAG.exec(source);
    if (!m) return undefined;
    const path = m[1]!.split('.');
    if (LITERALS.has(path[0]!)) return undefined;
    const start = at + m[0].indexOf(m[1]!);
    refs.push({ path, start, end: start + m[1]!.length });
    at = SIMPLE_TAG.lastIndex;
  }
  return { refs, helpers: [] };
}

/** The references, helpers and syntax error of a template site. */
export function templateAnalysis(site: StringSite): TemplateAnalysis {
  const cached = site as Cached<TemplateAnalysis>;
  let a = cached[ANALYSIS];
  if (!a) {
    a = !site.source.includes('{{') ? PLAIN : simpleTemplate(site.source) ?? fastTemplate(site.source) ?? analyzeTemplate(site.source);
    cached[ANALYSIS] = a;
  }
  return a;
}

/** The references and syntax error of a condition site. */
export function conditionAnalysis(site: StringSite): ConditionAnalysis {
  const cached = site as Cached<ConditionAnalysis>;
  let a = cached[ANALYSIS];
  if (!a) {
    a = analyzeCondition(site.source);
    cached[ANALYSIS] = a;
  }
  return a;
}
