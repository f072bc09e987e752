import type { Rule } from './rule.js';
import { closest, didYouMean, quotedList } from './suggest.js';

/** FS202: every `flow:` of a choice or branch names a flow of the same folder. */
export const unknownFlow: Rule = {
  id: 'unknown-flow',
  description: 'A `flow:` target must name a flow of the same folder (its file name without .yaml, or its `id:`).',
  check(ctx, report) {
    const ids = ctx.flowIds;
    for (const { file, index } of ctx.flows) {
      for (const t of index.flowTargets) {
        if (ids.includes(t.flow)) continue;
        const suggestion = closest(t.flow, ids);
        report(file.source, file.source.spanOf(t.path, 'value'),
          `"${t.flow}" is not a flow of this folder (flow in state "${t.state}").${didYouMean(suggestion)} ` +
          `The flows are ${quotedList(ids)}: use one of their ids, or create flows/${t.flow}.yaml.`, suggestion);
      }
    }
  },
};
