/** The `ask` of each state of each flow, with its path. */
import { statesOf, type RuleContext } from './rule.js';
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
  for (const { file, name, state } of statesOf(ctx)) {
    if (!isRecord(state.ask)) continue;
    const type = typeof state.ask.type === 'string' ? state.ask.type : 'text';
    out.push({ file, state: name, path: ['states', name, 'ask'], ask: state.ask, type });
  }
  return out;
}
