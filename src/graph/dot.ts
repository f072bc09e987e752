/**
 * A flow as Graphviz DOT (`flow graph --format dot | dot -Tsvg > flow.svg`): the same
 * picture as the Mermaid chart.
 */
import type { Flow } from '../language/model.js';
import { buildFlowGraph, type GraphNode } from './graph-model.js';
import type { GraphOptions } from './mermaid.js';

/** A double-quoted DOT string. */
function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function nodeAttrs(node: GraphNode): string {
  const attrs = [`label=${q(node.label)}`];
  if (node.kind === 'start') attrs.push('shape=circle');
  if (node.kind === 'end') attrs.push('peripheries=2');
  if (node.kind === 'flow') attrs.push('shape=component', 'color="#4a6fd0"');
  if (node.kind === 'missing') attrs.push('color="#c0392b"', 'style="rounded,dashed"');
  if (node.highlighted) attrs.push('style="rounded,filled"', 'fillcolor="#ffe08a"', 'penwidth=3');
  return attrs.join(', ');
}

/** The DOT source (ends with a newline). */
export function flowToDot(flowId: string, flow: Flow, options: GraphOptions = {}): string {
  const graph = buildFlowGraph(flow, options.highlight);
  const lines = [`digraph ${q(flowId)} {`, '  rankdir=TB;', '  node [shape=box, style=rounded];'];
  for (const node of graph.nodes) lines.push(`  ${node.id} [${nodeAttrs(node)}];`);
  for (const e of graph.edges) {
    const attrs: string[] = [];
    if (e.label !== undefined) attrs.push(`label=${q(e.label)}`);
    if (e.dashed) attrs.push('style=dashed');
    lines.push(`  ${e.from} -> ${e.to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
