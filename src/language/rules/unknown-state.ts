import type { Rule } from './rule.js';
import type { TargetKind } from './flow-index.js';
import { closest, didYouMean, quotedList } from './suggest.js';

const WHERE: Record<TargetKind, string> = {
  choice: 'goto',
  next: 'next',
  on_fail: 'ask.on_fail',
  on_error: 'call.on_error',
  timer: 'after.goto',
};

/** FS201: every `goto`, `next`, `on_fail`, `on_error` and timer `goto` names a state of the same flow. */
export const unknownState: Rule = {
  id: 'unknown-state',
  description: 'A `goto`, `next`, `on_fail`, `on_error` or timer `goto` must name a state of the same flow.',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      for (const t of index.targets) {
        if (index.stateSet.has(t.target)) continue;
        const suggestion = closest(t.target, index.states);
        report(file.source, file.source.spanOf(t.path, 'value'),
          `"${t.target}" is not a state of this flow (${WHERE[t.kind]} in state "${t.state}").${didYouMean(suggestion)} ` +
          `Write the name of one of its states (${quotedList(index.states)}), or add a state called "${t.target}". ` +
          'To go to another flow, use "flow:" instead.', suggestion);
      }
    }
  },
};
