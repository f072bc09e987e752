import type { Rule } from './rule.js';
import { HELPER_NAMES } from '../../template/helpers.js';
import { templateAnalysis } from './analysis.js';
import { closest, didYouMean, quotedList } from './suggest.js';

/** FS502: templates use only the documented helpers. */
export const unknownHelper: Rule = {
  id: 'unknown-helper',
  description: 'A template may use only the documented helpers (if, unless, each, with, eq, upper, date...).',
  check(ctx, report) {
    const known = new Set(HELPER_NAMES);
    for (const { file, index } of ctx.flows) {
      for (const site of index.templates) {
        for (const h of templateAnalysis(site).helpers) {
          if (known.has(h.name)) continue;
          const suggestion = closest(h.name, HELPER_NAMES);
          report(file.source, file.source.stringSpan(site.path, h.start, h.end),
            `"${h.name}" is not a helper.${didYouMean(suggestion)} The helpers are ${quotedList(HELPER_NAMES, 30)}; ` +
            'to show a variable, write just its name, as in {{name}}.', suggestion);
        }
      }
    }
  },
};
