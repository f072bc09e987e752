/**
 * How the studio starts a flow for a new person: by the same event a colleague would send.
 * The engine has no "start flow X" event of its own; a flow starts from one of its trigger
 * postbacks (its `triggers.postbacks`, the persistent menu, "Get started"), else from one of
 * its keywords (a new person has no conversation, so a keyword starts its flow).
 */
import type { CompiledBot } from '../engine/index.js';
import type { InboundEvent } from '../engine/types.js';

export interface FlowStart {
  /** The event to send as the new person. */
  event: InboundEvent;
  /** In words, for the chat pane ("its postback IT_HELPDESK"). */
  how: string;
}

/** The event that starts `flowId` for a person without a conversation, or undefined when nothing does. */
export function flowStart(bot: CompiledBot, flowId: string): FlowStart | undefined {
  const flow = bot.flows.get(flowId);
  if (!flow) return undefined;
  const own = (flow.flow.triggers?.postbacks ?? []).find((p) => bot.postbacks.get(p) === flowId);
  const payload = own ?? [...bot.postbacks].find(([, id]) => id === flowId)?.[0];
  if (payload !== undefined) return { event: { kind: 'postback', payload, title: payload }, how: `its postback ${payload}` };
  const keyword = (flow.flow.triggers?.keywords ?? []).find((k) => bot.keywords.get(k.trim().toLowerCase()) === flowId);
  if (keyword !== undefined) return { event: { kind: 'text', text: keyword }, how: `its keyword "${keyword}"` };
  return undefined;
}

/** Why a flow cannot be started on its own (shown instead of the Start button). */
export function noStartReason(flowId: string): string {
  return `The flow "${flowId}" has no trigger postback or keyword, so it only starts from another flow (a choice with flow: ${flowId}). To try it on its own, add "triggers: { postbacks: [${flowId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}] }" to it.`;
}
