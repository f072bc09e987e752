import type { Rule } from './rule.js';
import { LIMITS } from '../model.js';
import { isRecord } from './flow-index.js';
import { inLanguage, literalLength, textStrings } from './text.js';

/** FS403: every message fits in 2000 characters (literal parts): `say`, timer `say`, `retry`, bot messages. */
export const textTooLong: Rule = {
  id: 'text-too-long',
  description: `A message may have at most ${LIMITS.textChars} characters (counting only the text outside {{...}}).`,
  check(ctx, report) {
    const limit = LIMITS.textChars;
    const fix = `A message may have at most ${limit}: split it into several items of "say".`;
    for (const { file, index } of ctx.flows) {
      for (const t of index.texts) {
        if (t.kind !== 'say' && t.kind !== 'timer-say' && t.kind !== 'retry') continue;
        for (const s of textStrings(t.text, t.path)) {
          const n = literalLength(s.value, limit);
          if (n > limit) {
            report(file.source, file.source.spanOf(s.path, 'value'),
              `This message${inLanguage(s.language)} in state "${t.state}" has ${n} characters, counting only the text outside {{...}}. ${fix}`);
          }
        }
      }
    }
    const bot = ctx.project.botFile;
    const source = ctx.project.botSource;
    if (!bot || !source || !isRecord(bot.messages)) return;
    for (const [key, text] of Object.entries(bot.messages)) {
      for (const s of textStrings(text, ['messages', key])) {
        const n = literalLength(s.value, limit);
        if (n > limit) {
          report(source, source.spanOf(s.path, 'value'),
            `The bot message "${key}"${inLanguage(s.language)} has ${n} characters; a message may have at most ${limit}. Shorten it.`);
        }
      }
    }
  },
};
