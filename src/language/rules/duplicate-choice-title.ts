import type { Rule } from './rule.js';
import type { ChoiceSite } from './flow-index.js';
import { textStrings } from './text.js';

/** FS405: the quick replies and buttons of a state have different titles (in every language). */
export const duplicateChoiceTitle: Rule = {
  id: 'duplicate-choice-title',
  description: 'Two choices of the same state may not have the same title: the person could not tell them apart, and typing the title would always pick the first.',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      const seen = new Map<string, { choice: ChoiceSite; path: readonly (string | number)[] }>();
      for (const c of index.choices) {
        for (const s of textStrings(c.choice.title, [...c.path, 'title'])) {
          const key = `${c.state}\0${s.language ?? ''}\0${s.value.trim().toLowerCase()}`;
          const first = seen.get(key);
          if (!first) {
            seen.set(key, { choice: c, path: s.path });
            continue;
          }
          if (first.choice === c) continue;
          const line = file.source.spanOf(first.path, 'value').line;
          report(file.source, file.source.spanOf(s.path, 'value'),
            `The title "${s.value}" is already used by another choice of state "${c.state}" (line ${line}). ` +
            'The person could not tell them apart, and typing it would always pick the first: give each choice its own title.');
        }
      }
    }
  },
};
