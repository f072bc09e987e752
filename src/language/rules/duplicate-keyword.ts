import { shownPath, type Rule } from './rule.js';
import { keywordsOf, type KeywordSite } from './triggers.js';

/** FS602: a trigger keyword belongs to one flow (when shared, the flow whose id sorts first wins). */
export const duplicateKeyword: Rule = {
  id: 'duplicate-keyword',
  description: 'A trigger keyword should start one flow only; when two flows share it, the flow whose id sorts first wins.',
  check(ctx, report) {
    const winner = new Map<string, KeywordSite>();
    for (const k of keywordsOf(ctx)) {
      const first = winner.get(k.key);
      if (!first) {
        winner.set(k.key, k);
        continue;
      }
      const line = first.file.source.spanOf(first.path, 'value').line;
      const where = first.file === k.file ? `line ${line} of this flow` : `the flow "${first.file.id}" (${shownPath(ctx, first.file.path)}:${line})`;
      report(k.file.source, k.file.source.spanOf(k.path, 'value'),
        `The keyword "${k.keyword}" is also a trigger of ${where}, ` +
        (first.file === k.file ? 'so this entry is not needed. Remove it.' : `which wins because its id sorts first, so this flow never starts with it. Remove it from one of the two flows.`));
    }
  },
};
