/**
 * Static analysis of every template and condition string of a flow, done once per string and
 * cached: several rules (syntax, helpers, variables) read the same results. A template without
 * `{{` is plain text and is not parsed at all, which keeps validation close to the cost of
 * parsing the YAML.
 */
import { analyzeTemplate } from '../../template/analyze.js';
import { analyzeCondition } from '../../expression/condition.js';
import type { StringSite } from './flow-index.js';

export type TemplateAnalysis = ReturnType<typeof analyzeTemplate>;
export type ConditionAnalysis = ReturnType<typeof analyzeCondition>;

const PLAIN: TemplateAnalysis = { refs: [], helpers: [] };
const templates = new WeakMap<StringSite, TemplateAnalysis>();
const conditions = new WeakMap<StringSite, ConditionAnalysis>();

/** The references, helpers and syntax error of a template site. */
export function templateAnalysis(site: StringSite): TemplateAnalysis {
  if (!site.source.includes('{{')) return PLAIN;
  let a = templates.get(site);
  if (!a) {
    a = analyzeTemplate(site.source);
    templates.set(site, a);
  }
  return a;
}

/** The references and syntax error of a condition site. */
export function conditionAnalysis(site: StringSite): ConditionAnalysis {
  let a = conditions.get(site);
  if (!a) {
    a = analyzeCondition(site.source);
    conditions.set(site, a);
  }
  return a;
}
