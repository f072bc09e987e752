import type { Rule } from './rule.js';
import { parseDuration } from '../duration.js';

/** FS608: a timer is not longer than `session_timeout` (the conversation would expire first). */
export const timerExceedsSession: Rule = {
  id: 'timer-exceeds-session',
  description: 'A timer longer than session_timeout never fires: the conversation expires first.',
  check(ctx, report) {
    const { session_timeout: timeout, sessionTimeoutMs } = ctx.project.settings;
    for (const { file, index } of ctx.flows) {
      for (const d of index.durations) {
        if (d.kind !== 'after' || typeof d.text !== 'string') continue;
        const ms = parseDuration(d.text);
        if (ms === undefined || ms <= sessionTimeoutMs) continue;
        report(file.source, file.source.spanOf(d.path, 'value'),
          `This timer of state "${d.state}" waits ${d.text}, longer than the session_timeout of ${timeout}: the conversation expires first, so it never fires. ` +
          `Use a shorter time, or raise "session_timeout" in flows/bot.yaml.`);
      }
    }
  },
};
