/**
 * The drawing-neutral picture of a flow shared by the Mermaid and DOT writers: nodes (the
 * start marker, states, other flows reached by `flow:`) and edges (labelled, dashed for the
 * exceptional ways: `on_fail`, `on_error`, timers).
 */
import type { Flow } from '../language/model.js';
import { flowTransitions, startState, type Transition } from '../testing/transitions.js';

export type NodeKind = 'start' | 'state' | 'end' | 'flow' | 'missing';

export interface GraphNode {
  /** An identifier safe in Mermaid and DOT: letters, digits and `_` only, unique in the graph. */
  id: string;
  label: string;
  kind: NodeKind;
  highlighted: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  dashed: boolean;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const DASHED: ReadonlySet<Transition['kind']> = new Set(['on_fail', 'on_error', 'timer']);

/** Builds the graph; `highlight` names a state to mark (the current state in the studio). */
export function buildFlowGraph(flow: Flow, highlight?: string): FlowGraph {
  const nodes: GraphNode[] = [];
  const ids = new Map<string, string>();
  const used = new Set<string>();
  const add = (key: string, label: string, kind: NodeKind, base: string): string => {
    const existing = ids.get(key);
    if (existing) return existing;
    let id = base.replace(/[^A-Za-z0-9_]/g, '_');
    for (let n = 2; used.has(id); n++) id = `${base.replace(/[^A-Za-z0-9_]/g, '_')}_${n}`;
    used.add(id);
    ids.set(key, id);
    nodes.push({ id, label, kind, highlighted: kind === 'state' || kind === 'end' ? label === highlight : false });
    return id;
  };
  const states = flow.states ?? {};
  const startId = add('start', 'start', 'start', 'start_');
  for (const [name, state] of Object.entries(states)) add(`state:${name}`, name, state?.end === true ? 'end' : 'state', `s_${name}`);
  const edges: GraphEdge[] = [];
  const first = startState(flow);
  if (first !== undefined) edges.push({ from: startId, to: add(`state:${first}`, first, 'missing', `s_${first}`), dashed: false });
  for (const t of flowTransitions(flow)) {
    const from = ids.get(`state:${t.from}`)!;
    const to = t.to !== undefined ? add(`state:${t.to}`, t.to, 'missing', `s_${t.to}`) : add(`flow:${t.flow}`, `flow: ${t.flow}`, 'flow', `f_${t.flow}`);
    const edge: GraphEdge = { from, to, dashed: DASHED.has(t.kind) };
    if (t.label !== undefined && t.label !== '') edge.label = t.label;
    edges.push(edge);
  }
  return { nodes, edges };
}
