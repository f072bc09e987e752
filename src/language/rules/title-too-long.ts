import type { Rule } from './rule.js';
import { LIMITS } from '../model.js';
import { inLanguage, literalLength, textStrings } from './text.js';

/** FS401: quick reply and button titles fit in 20 characters (literal parts). */
export const titleTooLong: Rule = {
  id: 'title-too-long',
  description: `A quick reply or button title may have at most ${LIMITS.titleChars} characters (counting only the text outside {{...}}).`,
  check(ctx, report) {
    const limit = LIMITS.titleChars;
    for (const { file, index } of ctx.flows) {
      for (const t of index.texts) {
        if (t.kind !== 'title') continue;
        for (const s of textStrings(t.text, t.path)) {
          const n = literalLength(s.value, limit);
          if (n <= limit) continue;
          report(file.source, file.source.spanOf(s.path, 'value'),
            `This title${inLanguage(s.language)} in state "${t.state}" has ${n} characters; quick replies and buttons show at most ${limit} ` +
            '(a longer title is cut with "…"). Shorten it, and put the details in the message above.');
        }
      }
    }
  },
};
