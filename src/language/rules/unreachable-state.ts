import type { Rule } from './rule.js';
import { reachableStates, startState } from './graph.js';

/** FS204: every state can be reached from the start state. */
export const unreachableState: Rule = {
  id: 'unreachable-state',
  description: 'Every state should be reachable from the start state by some goto, next, on_fail, on_error or timer goto.',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      const start = startState(index);
      if (start === undefined) continue;
      const reach = reachableStates(index);
      for (const state of index.states) {
        if (reach.has(state)) continue;
        report(file.source, file.source.spanOf(['states', state], 'key'),
          `No conversation can reach the state "${state}": no goto, next, on_fail, on_error or timer goto leads to it from the start state "${start}". ` +
          `Point a choice or a next at "${state}", or remove the state if it is no longer needed.`);
      }
    }
  },
};
