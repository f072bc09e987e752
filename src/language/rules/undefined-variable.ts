import type { Rule } from './rule.js';
import { errorStates } from './graph.js';
import { closest, didYouMean, quotedList } from './suggest.js';
import { BUILTIN_ROOTS, savedNames, variableUses } from './variables.js';

/** FS503: every variable used is saved somewhere in the flow (or declared in `vars:`); `error` only after an `on_error`. */
export const undefinedVariable: Rule = {
  id: 'undefined-variable',
  description: 'A variable used in a template or condition must be saved in the same flow (ask.save, call.save, set) or declared under vars:.',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      const saved = savedNames(index);
      const errors = errorStates(index);
      for (const use of variableUses(index)) {
        const root = use.path[0]!;
        if (root === 'error') {
          if (use.site.state !== undefined && errors.has(use.site.state)) continue;
          report(file.source, file.source.stringSpan(use.site.path, use.start, use.end),
            `"error" is only set after a call fails, but state "${use.site.state}" does not follow a call's on_error. ` +
            'Use {{error.status}} and {{error.message}} in the state named by "on_error" (or a state after it).');
          continue;
        }
        if (BUILTIN_ROOTS.has(root) || saved.has(root)) continue;
        const candidates = [...saved, ...BUILTIN_ROOTS];
        const suggestion = closest(root, candidates);
        const known = saved.size > 0 ? ` Variables of this flow: ${quotedList(saved)}.` : '';
        report(file.source, file.source.stringSpan(use.site.path, use.start, use.end),
          `The variable "${root}" is used here but saved nowhere in this flow.${didYouMean(suggestion)}${known} ` +
          `Save it with ask.save, call.save or set, or declare it under "vars:" (also to read what an earlier flow saved).`, suggestion);
      }
    }
  },
};
