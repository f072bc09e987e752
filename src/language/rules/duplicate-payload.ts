import type { Rule } from './rule.js';
import type { ChoiceSite } from './flow-index.js';

/** FS404: the explicit payloads of a state's quick replies and buttons are all different. */
export const duplicatePayload: Rule = {
  id: 'duplicate-payload',
  description: 'Two choices (quick replies or buttons) of the same state may not share a payload: the bot could not tell which was tapped.',
  check(ctx, report) {
    for (const { file, index } of ctx.flows) {
      const seen = new Map<string, ChoiceSite>();
      for (const c of index.choices) {
        const payload = c.choice.payload;
        if (typeof payload !== 'string') continue;
        const key = `${c.state}\0${payload}`;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, c);
          continue;
        }
        const firstLine = file.source.spanOf([...first.path, 'payload'], 'value').line;
        report(file.source, file.source.spanOf([...c.path, 'payload'], 'value'),
          `The payload "${payload}" is already used by another choice of state "${c.state}" (line ${firstLine}), so the bot could not tell which one was tapped. ` +
          'Give each choice its own payload, or remove both payloads and let Flowstate generate them.');
      }
    }
  },
};
