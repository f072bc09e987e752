import type { Rule } from './rule.js';
import { templateAnalysis } from './analysis.js';

/** FS501: every template (say, titles, retry, set values, call fields, image, button url) parses. */
export const templateSyntax: Rule = {
  id: 'template-syntax',
  description: 'Every template must be valid: each "{{" closed by "}}", each {{#block}} closed by {{/block}}.',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      for (const site of index.templates) {
        const error = templateAnalysis(site).error;
        if (!error) continue;
        const where = site.state === undefined ? 'this flow' : `state "${site.state}"`;
        report(file.source, file.source.stringSpan(site.path, error.start, error.end), `Template error in ${where}: ${error.message}`);
      }
    }
  },
};
