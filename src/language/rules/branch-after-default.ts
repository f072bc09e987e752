import { statesOf, type Rule } from './rule.js';
import { isRecord } from './flow-index.js';

/** FS207: no `next` branch follows a branch without `if` (it could never be taken). */
export const branchAfterDefault: Rule = {
  id: 'branch-after-default',
  description: 'A `next` branch placed after a branch without `if` can never be taken.',
  check(ctx, report) {
    for (const { file, name, state } of statesOf(ctx)) {
      if (!Array.isArray(state.next)) continue;
      const firstDefault = state.next.findIndex((b) => isRecord(b) && b.if === undefined);
      if (firstDefault < 0) continue;
      for (let i = firstDefault + 1; i < state.next.length; i++) {
        report(file.source, file.source.spanOf(['states', name, 'next', i], 'key'),
          `This branch of state "${name}" can never be taken: branch ${firstDefault + 1} has no "if", so it always matches first. ` +
          'Move the branch without "if" to the end of the list, or give it a condition.');
      }
    }
  },
};
