import type { Rule } from './rule.js';
import { asksOf } from './asks.js';

/** FS301: `ask.pattern` compiles as a JavaScript regular expression. */
export const askBadPattern: Rule = {
  id: 'ask-bad-pattern',
  description: '`ask.pattern` must be a valid regular expression (JavaScript syntax).',
  check(ctx, report) {
    for (const { file, state, path, ask } of asksOf(ctx)) {
      if (typeof ask.pattern !== 'string') continue;
      let problem: string | undefined;
      try {
        new RegExp(ask.pattern);
      } catch (e) {
        problem = (e as Error).message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '').toLowerCase();
      }
      if (problem === undefined) continue;
      report(file.source, file.source.spanOf([...path, 'pattern'], 'value'),
        `The pattern of the question in state "${state}" is not a valid regular expression (${problem}). ` +
        'Check that every "(", "[" and "{" is closed, and put a "\\" before a special character meant literally, for example "\\." for a dot.');
    }
  },
};
