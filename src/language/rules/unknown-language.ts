import type { Rule } from './rule.js';
import { listedLanguages, textMaps } from './text-maps.js';
import { closest, didYouMean, quotedList } from './suggest.js';

/** FS509: when bot.yaml lists `languages`, text maps use only those. */
export const unknownLanguage: Rule = {
  id: 'unknown-language',
  description: 'When bot.yaml lists `languages`, a text map may use only those languages.',
  check(ctx, report) {
    const languages = listedLanguages(ctx);
    if (!languages) return;
    for (const t of textMaps(ctx)) {
      for (const language of Object.keys(t.map)) {
        if (languages.includes(language)) continue;
        const suggestion = closest(language, languages);
        report(t.source, t.source.spanOf([...t.path, language], 'key'),
          `The language "${language}" (${t.where}) is not listed in bot.yaml's languages (${quotedList(languages)}).${didYouMean(suggestion)} ` +
          `Add "${language}" to "languages" in flows/bot.yaml, or remove this text.`, suggestion);
      }
    }
  },
};
