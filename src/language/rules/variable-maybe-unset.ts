import type { Rule } from './rule.js';
import { BUILTIN_ROOTS, isDefinedAt, savedNames, variableUses } from './variables.js';

/** FS506: a variable is saved on every path from `start` before it is used. */
export const variableMaybeUnset: Rule = {
  id: 'variable-maybe-unset',
  description: 'A variable should be saved on every path from the start state before a state uses it (vars: count as saved at the start).',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      const saved = savedNames(index);
      for (const use of variableUses(index)) {
        const root = use.path[0]!;
        if (BUILTIN_ROOTS.has(root) || !saved.has(root)) continue;
        if (isDefinedAt(index, use.site.state, use.site.phase, root) !== false) continue;
        report(file.source, file.source.stringSpan(use.site.path, use.start, use.end),
          `The variable "${root}" may not be set yet here: some way from the start state to state "${use.site.state}" does not save it, so it would show empty. ` +
          `Give it a default under "vars:", or save it on every way to this state.`);
      }
    }
  },
};
