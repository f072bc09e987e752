import type { Rule } from './rule.js';
import { listedLanguages, textMaps } from './text-maps.js';
import { quotedList } from './suggest.js';

/** FS508: when bot.yaml lists `languages`, every text map has each of them. */
export const missingTranslation: Rule = {
  id: 'missing-translation',
  description: 'When bot.yaml lists `languages`, a text written as a map must give each of them (a plain text serves every language).',
  check(ctx, report) {
    const languages = listedLanguages(ctx);
    if (!languages) return;
    for (const t of textMaps(ctx)) {
      const missing = languages.filter((l) => !(l in t.map));
      if (missing.length === 0) continue;
      // What those people get instead (as the engine picks a text): the default language, else the first one written.
      const fallback = ctx.project.settings.default_language in t.map ? ctx.project.settings.default_language : Object.keys(t.map)[0];
      report(t.source, t.source.spanOf(t.path, 'key'),
        `This text (${t.where}) has no ${quotedList(missing)} version, but bot.yaml lists the languages ${quotedList(languages)}. ` +
        `Add ${missing.map((l) => `"${l}:"`).join(', ')} to the map; people using ${missing.length === 1 ? 'that language' : 'those languages'} would get the "${fallback}" text.`);
    }
  },
};
