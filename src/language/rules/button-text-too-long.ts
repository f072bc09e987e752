import type { Rule } from './rule.js';
import { LIMITS } from '../model.js';
import { inLanguage, literalLength, textStrings } from './text.js';

/** FS402: the message that carries buttons fits in 640 characters (literal parts). */
export const buttonTextTooLong: Rule = {
  id: 'button-text-too-long',
  description: `The message that carries buttons (the state's last say) may have at most ${LIMITS.buttonTextChars} characters.`,
  check(ctx, report) {
    const limit = LIMITS.buttonTextChars;
    for (const { file, index } of ctx.flows) {
      for (const t of index.texts) {
        if (t.kind !== 'button-say') continue;
        for (const s of textStrings(t.text, t.path)) {
          const n = literalLength(s.value, limit);
          if (n <= limit) continue;
          report(file.source, file.source.spanOf(s.path, 'value'),
            `This message${inLanguage(s.language)} carries the buttons of state "${t.state}" and has ${n} characters, counting only the text outside {{...}}; ` +
            `a message with buttons may have at most ${limit}. Split it: put the first part in an earlier item of "say", and keep the last one short.`);
        }
      }
    }
  },
};
