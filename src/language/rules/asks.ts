/** The `ask` of each state of each flow, with its path. */
import type { RuleContext } from './rule.js';
import type { FlowFile } from '../project.js';
import { isRecord } from './flow-index.js';

export interface AskSite {
  file: FlowFile;
  state: string;
  path: readonly (string | number)[];
  ask: Record<string, unknown>;
  /** `ask.type`, `text` when absent. */
  type: string;
}

/** Every `ask` of the checked flows. */
export function asksOf(ctx: RuleContext): AskSite[] {
  const out: AskSite[] = [];
  for (const { file, flow, index } of ctx.flows) {
    for (const state of index.states) {
      const raw = (flow.states as Record<string, unknown>)[state];
      if (!isRecord(raw) || !isRecord(raw.ask)) continue;
      const type = typeof raw.ask.type === 'string' ? raw.ask.type : 'text';
      out.push({ file, state, path: ['states', state, 'ask'], ask: raw.ask, type });
    }
  }
  return out;
}
