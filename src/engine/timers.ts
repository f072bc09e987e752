/**
 * `after` timers. They count from `waitingSince`: the later of the state's entry and the
 * person's last message (a message, even an unexpected one, re-arms them). Ids encode the
 * visit, the timer's position as written and the arming time — `T1:<visit>:<index>:<since>` —
 * so a timer from an older visit or an older arming is recognised and ignored.
 */
import type { CompiledBot, CompiledTimer } from '../compile/types.js';
import type { Conversation, TimerSpec } from './types.js';

/** The id of timer `index` of the visit `visit`, armed at `since`. */
export function timerId(visit: number, index: number, since: number): string {
  return `T1:${visit}:${index}:${since}`;
}

/** Parses a timer id; undefined when it is not one of ours. */
export function parseTimerId(id: string): { visit: number; index: number; since: number } | undefined {
  const m = /^T1:(\d+):(\d+):(-?\d+)$/.exec(id);
  return m ? { visit: Number(m[1]), index: Number(m[2]), since: Number(m[3]) } : undefined;
}

/** The current state's timers of `conversation`, if it is waiting in a state that has some. */
export function stateTimers(bot: CompiledBot, conversation: Conversation): CompiledTimer[] {
  if (conversation.status !== 'active' || conversation.pendingCall || conversation.flowId === undefined || conversation.state === undefined) return [];
  return bot.flows.get(conversation.flowId)?.states.get(conversation.state)?.timers ?? [];
}

/** The timers that must be pending after a step: those of the current state not fired yet. */
export function pendingTimers(bot: CompiledBot, conversation: Conversation): TimerSpec[] {
  const timers = stateTimers(bot, conversation);
  if (timers.length === 0) return [];
  const since = conversation.waitingSince ?? conversation.lastActivity;
  const fired = conversation.timersFired ?? 0;
  return timers.slice(fired).map((t) => ({ id: timerId(conversation.visit, t.index, since), at: since + t.ms }));
}
