import type { Rule } from './rule.js';
import { closest, didYouMean, quotedList } from './suggest.js';
import { variableUses } from './variables.js';

/** FS505: `env.X` names an environment variable listed in bot.yaml's `env_allow`. */
export const envNotAllowed: Rule = {
  id: 'env-not-allowed',
  description: '`env.X` may read only the environment variables that bot.yaml lists in `env_allow` (so secrets never leak by accident).',
  check(ctx, report) {
    const allowed = ctx.project.settings.env_allow;
    for (const { file, index } of ctx.flows) {
      for (const use of variableUses(index)) {
        const name = use.path[1];
        if (use.path[0] !== 'env' || name === undefined || allowed.includes(name)) continue;
        const close = closest(name, allowed);
        const suggestion = close === undefined ? undefined : `env.${close}`;
        const list = allowed.length > 0 ? `env_allow lists ${quotedList(allowed)}` : 'bot.yaml has no env_allow list';
        report(file.source, file.source.stringSpan(use.site.path, use.start, use.end),
          `"env.${name}" is not allowed: ${list}.${didYouMean(suggestion)} ` +
          `Add ${name} to "env_allow" in flows/bot.yaml if flows may read it.`, suggestion);
      }
    }
  },
};
