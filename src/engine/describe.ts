/**
 * A readable view of a conversation for people debugging a flow: the CLI's `/state` and
 * `/vars`, and the studio.
 */
import type { CompiledBot } from '../compile/types.js';
import { movedTo } from './conversation.js';
import type { Conversation } from './types.js';

/** Where a conversation is and what it waits for. */
export interface StateDescription {
  status: 'none' | 'active' | 'ended';
  flowId?: string;
  state?: string;
  /** What the person is expected to do next. */
  waitingFor: 'nothing' | 'choice' | 'answer' | 'choice_or_answer' | 'call_result';
  /** Titles of the current choices (as written, default language). */
  choices: string[];
  /** The `ask` type when the state asks for input. */
  askType?: string;
  vars: Record<string, unknown>;
  attempts: number;
  /** True when the flow changed since the conversation was last in it. */
  flowChanged: boolean;
}

/** Describes `conversation` against `bot` (undefined conversation -> status `none`). */
export function describeState(bot: CompiledBot, conversation: Conversation | undefined): StateDescription {
  if (!conversation) return { status: 'none', waitingFor: 'nothing', choices: [], vars: {}, attempts: 0, flowChanged: false };
  const flow = conversation.flowId !== undefined ? bot.flows.get(conversation.flowId) : undefined;
  // A state renamed by an edit, with `moved:`: the person is there now (the engine moves
  // them on their next message).
  const name = flow && conversation.state !== undefined && !flow.states.has(conversation.state) ? (movedTo(flow, conversation.state) ?? conversation.state) : conversation.state;
  const state = name !== undefined ? flow?.states.get(name) : undefined;
  const active = conversation.status === 'active';
  const choices = active && state ? state.choices.map((c) => c.title.literals[0] ?? '') : [];
  let waitingFor: StateDescription['waitingFor'] = 'nothing';
  if (active && state) {
    if (conversation.pendingCall) waitingFor = 'call_result';
    else if (state.ask && state.payloads.size > 0) waitingFor = 'choice_or_answer';
    else if (state.ask) waitingFor = 'answer';
    else if (state.payloads.size > 0) waitingFor = 'choice';
  }
  const out: StateDescription = {
    status: conversation.status,
    flowId: conversation.flowId,
    state: active ? name : undefined,
    waitingFor,
    choices,
    vars: { ...conversation.vars },
    attempts: conversation.attempts,
    flowChanged: active && flow !== undefined && conversation.flowHash !== flow.hash,
  };
  if (active && state?.ask) out.askType = state.ask.type;
  return out;
}
