/** Trigger keywords of the checked flows, normalised as the engine matches them. */
import type { Path } from '../../source/source-file.js';
import type { FlowFile } from '../project.js';
import type { RuleContext } from './rule.js';

export interface KeywordSite {
  file: FlowFile;
  path: Path;
  keyword: string;
  /** Trimmed and lower-cased: keywords match the whole message, ignoring capitals. */
  key: string;
}

/** Every trigger keyword, flows sorted by id (the first id wins a shared keyword). */
export function keywordsOf(ctx: RuleContext): KeywordSite[] {
  const out: KeywordSite[] = [];
  const flows = [...ctx.flows].sort((a, b) => (a.file.id < b.file.id ? -1 : a.file.id > b.file.id ? 1 : 0));
  for (const { file, flow } of flows) {
    const keywords = flow.triggers?.keywords;
    if (!Array.isArray(keywords)) continue;
    keywords.forEach((keyword, i) => {
      if (typeof keyword === 'string') out.push({ file, path: ['triggers', 'keywords', i], keyword, key: keyword.trim().toLowerCase() });
    });
  }
  return out;
}
