import type { Rule } from './rule.js';
import { closest, didYouMean, quotedList } from './suggest.js';
import { PROFILE_FIELDS, variableUses } from './variables.js';

/** FS504: `user.x` names a field of the person's profile. */
export const unknownProfileField: Rule = {
  id: 'unknown-profile-field',
  description: '`user.x` must name a profile field: id, name, first_name, last_name, email, title, department or locale.',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      for (const use of variableUses(index)) {
        const field = use.path[1];
        if (use.path[0] !== 'user' || field === undefined || PROFILE_FIELDS.includes(field)) continue;
        const close = closest(field, PROFILE_FIELDS);
        const suggestion = close === undefined ? undefined : `user.${close}`;
        report(file.source, file.source.stringSpan(use.site.path, use.start, use.end),
          `"user.${field}" is not part of a person's profile.${didYouMean(suggestion)} ` +
          `The profile fields are ${quotedList(PROFILE_FIELDS)}. To ask for something else, use "ask" and save the answer in a variable.`, suggestion);
      }
    }
  },
};
