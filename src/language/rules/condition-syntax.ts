import type { Rule } from './rule.js';
import { conditionAnalysis } from './analysis.js';

/** FS507: every `if:` of a `next` branch is a valid condition. */
export const conditionSyntax: Rule = {
  id: 'condition-syntax',
  description: 'Every `if:` condition must be a valid expression, such as days > 10 and user.department == "Sales".',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      for (const site of index.conditions) {
        const error = conditionAnalysis(site).error;
        if (!error) continue;
        report(file.source, file.source.stringSpan(site.path, error.start, error.end),
          `Condition error in state "${site.state}": ${error.message}` +
          (/\bfor example\b|\bwrite\b/i.test(error.message) ? '' : ' A condition reads like days > 10 and user.department == "Sales", not approved, or item in ["laptop", "phone"].'));
      }
    }
  },
};
