import type { Rule } from './rule.js';
import { DURATION_PATTERN, parseDuration } from '../duration.js';
import type { Path, SourceFile } from '../../source/source-file.js';

function problem(text: unknown): string | undefined {
  if (typeof text !== 'string') return 'that is not a duration';
  const ms = parseDuration(text);
  if (ms === undefined) return DURATION_PATTERN.test(text) ? 'that is far too long' : 'that is not a duration';
  if (ms === 0) return 'a duration must be above zero';
  return undefined;
}

/** FS607: timer `after`, `call.timeout` and bot.yaml's `session_timeout` are usable durations. */
export const badDuration: Rule = {
  id: 'bad-duration',
  description: 'Durations (timer after, call.timeout, session_timeout) must be a number followed by s, m, h or d, above zero and of a sensible size.',
  check(ctx, report) {
    const check = (source: SourceFile, path: Path, text: unknown, what: string) => {
      const p = problem(text);
      if (p === undefined) return;
      report(source, source.spanOf(path, 'value'),
        `The ${what} is "${String(text)}": ${p}. Write a whole number above zero followed by s, m, h or d, for example 10s, 30m, 1h30m or 2d.`);
    };
    for (const { file, index } of ctx.flows) {
      for (const d of index.durations) {
        check(file.source, d.path, d.text, d.kind === 'after' ? `timer of state "${d.state}"` : `call timeout of state "${d.state}"`);
      }
    }
    const bot = ctx.project.botFile;
    if (bot && ctx.project.botSource && bot.session_timeout !== undefined) {
      check(ctx.project.botSource, ['session_timeout'], bot.session_timeout, 'session_timeout');
    }
  },
};
