import type { Rule } from './rule.js';
import type { Path } from '../../source/source-file.js';
import { closest, didYouMean, quotedList } from './suggest.js';

/** FS603: bot.yaml's `default_flow`, `get_started.flow` and `persistent_menu[].flow` name flows of the folder. */
export const unknownBotFlow: Rule = {
  id: 'unknown-bot-flow',
  description: "bot.yaml's default_flow, get_started.flow and persistent_menu flows must name flows of the folder.",
  check(ctx, report) {
    const bot = ctx.project.botFile;
    const source = ctx.project.botSource;
    if (!bot || !source) return;
    const refs: { path: Path; flow: unknown; what: string }[] = [
      { path: ['default_flow'], flow: bot.default_flow, what: 'default_flow' },
      { path: ['get_started', 'flow'], flow: bot.get_started?.flow, what: 'get_started' },
      ...(bot.persistent_menu ?? []).map((e, i) => ({ path: ['persistent_menu', i, 'flow'], flow: e?.flow, what: `persistent_menu entry ${i + 1}` })),
    ];
    const ids = ctx.flowIds;
    for (const r of refs) {
      if (typeof r.flow !== 'string' || ids.includes(r.flow)) continue;
      const suggestion = closest(r.flow, ids);
      report(source, source.spanOf(r.path, 'value'),
        `${r.what} names the flow "${r.flow}", which is not in this folder.${didYouMean(suggestion)} ` +
        (ids.length > 0 ? `The flows are ${quotedList(ids)}: use one of their ids, or create flows/${r.flow}.yaml.` : `Create flows/${r.flow}.yaml.`), suggestion);
    }
  },
};
