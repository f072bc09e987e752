import type { Rule } from './rule.js';
import { isRecord } from './flow-index.js';
import { closest, didYouMean, quotedList } from './suggest.js';

/** FS206: each `moved:` entry sends old conversations to a state that exists. */
export const unknownMovedTarget: Rule = {
  id: 'unknown-moved-target',
  description: 'Each `moved:` entry must name, as its new state, a state of the flow.',
  check(ctx, report) {
    for (const { file, flow, index } of ctx.flows) {
      if (!isRecord(flow.moved)) continue;
      for (const [old, target] of Object.entries(flow.moved)) {
        if (typeof target !== 'string' || index.stateSet.has(target)) continue;
        const suggestion = closest(target, index.states);
        report(file.source, file.source.spanOf(['moved', old], 'value'),
          `"moved:" sends conversations from the old state "${old}" to "${target}", which is not a state of this flow.${didYouMean(suggestion)} ` +
          `Write one of its states (${quotedList(index.states)}), or remove this entry so those conversations restart the flow.`, suggestion);
      }
    }
  },
};
