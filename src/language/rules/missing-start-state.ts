import type { Rule } from './rule.js';
import { closest, didYouMean, quotedList } from './suggest.js';

/** FS203: `start:`, when written, names a state of the flow. */
export const missingStartState: Rule = {
  id: 'missing-start-state',
  description: '`start` must name a state of the flow (without `start`, the first state listed is the start).',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      if (!index.startWritten || index.start === undefined || index.stateSet.has(index.start)) continue;
      const suggestion = closest(index.start, index.states);
      report(file.source, file.source.spanOf(['start'], 'value'),
        `The start state "${index.start}" is not a state of this flow.${didYouMean(suggestion)} ` +
        `Write the name of one of its states (${quotedList(index.states)}), or remove "start:" to start at the first state listed.`, suggestion);
    }
  },
};
