import type { Rule } from './rule.js';
import { asksOf } from './asks.js';

const PAIRS = [['min', 'max'], ['min_length', 'max_length']] as const;

/** FS302: `min` <= `max` and `min_length` <= `max_length`. */
export const askBadRange: Rule = {
  id: 'ask-bad-range',
  description: '`ask.min` may not exceed `ask.max`, nor `ask.min_length` exceed `ask.max_length`: no answer could pass.',
  check(ctx, report) {
    for (const { file, state, path, ask } of asksOf(ctx)) {
      for (const [low, high] of PAIRS) {
        const lo = ask[low];
        const hi = ask[high];
        if (typeof lo !== 'number' || typeof hi !== 'number' || lo <= hi) continue;
        report(file.source, file.source.spanOf([...path, high], 'value'),
          `The question in state "${state}" has ${high}: ${hi}, below ${low}: ${lo}, so no answer could ever be accepted. ` +
          `Make ${high} at least ${lo}, or lower ${low}.`);
      }
    }
  },
};
