import type { Rule } from './rule.js';
import type { CommandKey } from '../model.js';
import { keywordsOf } from './triggers.js';

/** FS606: a trigger keyword is not also a global command (the command would always win). */
export const keywordIsCommand: Rule = {
  id: 'keyword-is-command',
  description: 'A trigger keyword that is also a global command (restart, cancel, help) never starts its flow: the command wins.',
  check(ctx, report) {
    const commands = new Map<string, CommandKey>();
    for (const [command, words] of Object.entries(ctx.project.settings.commands) as [CommandKey, string[]][]) {
      for (const w of words) commands.set(w.trim().toLowerCase(), command);
    }
    for (const k of keywordsOf(ctx)) {
      const command = commands.get(k.key);
      if (command === undefined) continue;
      report(k.file.source, k.file.source.spanOf(k.path, 'value'),
        `The keyword "${k.keyword}" is also a word of the global command "${command}", which is checked first, so it never starts this flow. ` +
        `Choose another keyword, or list the words of "${command}" under "commands:" in flows/bot.yaml without this one.`);
    }
  },
};
