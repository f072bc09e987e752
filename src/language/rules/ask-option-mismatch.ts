import type { Rule } from './rule.js';
import { asksOf } from './asks.js';

/** The options that apply to each input type; options not listed (save, retry...) apply to all. */
const APPLIES: Record<string, readonly string[]> = {
  min: ['number', 'integer'],
  max: ['number', 'integer'],
  min_length: ['text', 'pattern'],
  max_length: ['text', 'pattern'],
  pattern: ['pattern'],
};

/** FS303: each `ask` option applies to the question's `type`. */
export const askOptionMismatch: Rule = {
  id: 'ask-option-mismatch',
  description: 'An `ask` option must apply to its type: min/max to number and integer, min_length/max_length to text and pattern, pattern to pattern.',
  check(ctx, report) {
    for (const { file, state, path, ask, type } of asksOf(ctx)) {
      for (const [option, types] of Object.entries(APPLIES)) {
        if (ask[option] === undefined || types.includes(type)) continue;
        const hint = option === 'pattern'
          ? 'Add "type: pattern" to check answers against the pattern, or remove "pattern".'
          : `Remove "${option}", or change the type to ${types.map((t) => `"${t}"`).join(' or ')}.`;
        report(file.source, file.source.spanOf([...path, option], 'key'),
          `"${option}" does not apply to a question of type "${type}" (state "${state}"): it works only with ${types.map((t) => `"${t}"`).join(' and ')}. ${hint}`);
      }
    }
  },
};
