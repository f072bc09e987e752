import { fileStart, type Rule } from './rule.js';
import { quotedList } from './suggest.js';

/** FS605: with several flows, bot.yaml names a `default_flow`. */
export const noDefaultFlow: Rule = {
  id: 'no-default-flow',
  description: 'With more than one flow, bot.yaml should name a default_flow; otherwise people who write something unexpected only get the fallback message.',
  check(ctx, report) {
    const ids = ctx.flowIds;
    if (ids.length < 2 || ctx.project.botFile?.default_flow !== undefined) return;
    // A bot.yaml that failed its schema already has an error; do not guess what it meant.
    if (ctx.project.botSource && !ctx.project.botFile) return;
    const message =
      `This folder has ${ids.length} flows (${quotedList(ids, 5)}) and no default_flow, so people who write something no trigger keyword matches only get the fallback message. ` +
      'Add "default_flow: <flow id>" to flows/bot.yaml (for example your main menu).';
    const source = ctx.project.botSource;
    if (source) {
      report(source, fileStart(source), message);
      return;
    }
    const first = ctx.project.flows[0]!;
    report(first.source, fileStart(first.source), message);
  },
};
