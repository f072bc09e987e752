import type { Rule } from './rule.js';
import { errorStates } from './graph.js';
import { closest, didYouMean, quotedList } from './suggest.js';
import { BUILTIN_ROOTS, PROFILE_FIELDS, savedNames, variableUses } from './variables.js';

/** Names authors give the person's profile, which Flowstate calls `user`. */
const PROFILE_ALIASES: ReadonlySet<string> = new Set(['profile', 'person', 'me', 'sender', 'employee', 'member', 'requester', 'author', 'contact']);

/** Names authors put in front of a saved answer (`answers.days`), which Flowstate reads as `days`. */
const CONTAINER_ALIASES: ReadonlySet<string> = new Set(['answers', 'answer', 'vars', 'variables', 'saved', 'data', 'context', 'session']);

/**
 * FS503: every variable used is saved somewhere in the flow (or declared in `vars:`); `error`
 * only after an `on_error`. Two common mistakes get their own explanation: naming the profile
 * `profile.*` (or `person.*`...) instead of `user.*`, and reading an answer as `answers.days`
 * instead of `days`. The suggestion is the whole corrected name (`ticket.id` for `tiket.id`).
 */
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
        const [, ...rest] = use.path;
        const span = file.source.stringSpan(use.site.path, use.start, use.end);
        // How the author writes the corrected name where it stands.
        const written = (name: string): string => (use.inCondition ? name : `{{${name}}}`);
        if (PROFILE_ALIASES.has(root.toLowerCase())) {
          const fixed = ['user', ...(rest.length > 0 ? rest : ['name'])].join('.');
          report(file.source, span,
            `"${root}" is not a name Flowstate knows. The person's profile is "user": write ${written(fixed)}. ` +
            `Its fields: ${quotedList(PROFILE_FIELDS)}.`, fixed);
          continue;
        }
        if (CONTAINER_ALIASES.has(root.toLowerCase()) && rest.length > 0) {
          const name = saved.has(rest[0]!) ? rest[0]! : closest(rest[0]!, saved);
          if (name !== undefined) {
            const fixed = [name, ...rest.slice(1)].join('.');
            report(file.source, span,
              `Saved answers and variables are read by their own name, without "${root}.": write ${written(fixed)}.`, fixed);
            continue;
          }
        }
        const candidates = [...saved, ...BUILTIN_ROOTS];
        const suggestion = closest(root, candidates);
        const known = saved.size > 0 ? ` Variables of this flow: ${quotedList(saved)}.` : '';
        report(file.source, span,
          `The variable "${root}" is used here but saved nowhere in this flow.${didYouMean(suggestion)}${known} ` +
          `Save it with ask.save, call.save or set, or declare it under "vars:" (also to read what an earlier flow saved).`,
          suggestion === undefined ? undefined : [suggestion, ...rest].join('.'));
      }
    }
  },
};
