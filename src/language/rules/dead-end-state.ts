import { statesOf, type Rule } from './rule.js';
import { waitsForPerson } from './flow-index.js';

/** FS205: a state waits for the person, moves on, or ends. */
export const deadEndState: Rule = {
  id: 'dead-end-state',
  description: 'A state must wait for the person (quick_replies, buttons that lead somewhere, ask), move on (next) or end (end: true).',
  check(ctx, report) {
    for (const { file, name, state } of statesOf(ctx)) {
      if (waitsForPerson(state) || state.next !== undefined || state.end === true) continue;
      const onlyLinks = Array.isArray(state.buttons) && state.buttons.length > 0;
      report(file.source, file.source.spanOf(['states', name], 'key'),
        `The state "${name}" is a dead end: it does not wait for an answer, does not move on and does not end the conversation` +
        (onlyLinks ? ' (its buttons only open web pages)' : '') +
        '. Add "next:" to move on, "end: true" to finish the conversation, or quick_replies, buttons or ask to wait for the person.');
    }
  },
};
