/**
 * A flow as a Mermaid `flowchart TD` (GitHub and most editors render it): states as boxes,
 * end states rounded, other flows reached by `flow:` as subroutine boxes, choices and
 * conditions as edge labels, `on_fail`, `on_error` and timers as dashed edges.
 */
import type { Flow } from '../language/model.js';
import { buildFlowGraph, type GraphNode } from './graph-model.js';

export interface GraphOptions {
  /** A state to highlight (the conversation's current state). */
  highlight?: string;
}

/** Text inside a quoted Mermaid label: quotes and angle brackets as entity codes, one line. */
function quote(text: string): string {
  const clean = text.replace(/\s+/g, ' ').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  return `"${clean}"`;
}

function nodeLine(node: GraphNode): string {
  const label = quote(node.label);
  switch (node.kind) {
    case 'start':
      return `  ${node.id}((${quote('start')}))`;
    case 'end':
      return `  ${node.id}([${label}])`;
    case 'flow':
      return `  ${node.id}[[${label}]]`;
    case 'missing':
      return `  ${node.id}{{${label}}}`;
    default:
      return `  ${node.id}[${label}]`;
  }
}

/** The Mermaid source (ends with a newline). `flowId` is written as a comment heading the chart. */
export function flowToMermaid(flowId: string, flow: Flow, options: GraphOptions = {}): string {
  const graph = buildFlowGraph(flow, options.highlight);
  const lines = ['flowchart TD', `  %% flow: ${flowId.replace(/\s+/g, ' ')}`];
  for (const node of graph.nodes) lines.push(nodeLine(node));
  for (const e of graph.edges) {
    const arrow = e.dashed ? '-.->' : '-->';
    lines.push(e.label !== undefined ? `  ${e.from} ${arrow}|${quote(e.label)}| ${e.to}` : `  ${e.from} ${arrow} ${e.to}`);
  }
  const flows = graph.nodes.filter((n) => n.kind === 'flow').map((n) => n.id);
  if (flows.length > 0) {
    lines.push('  classDef otherFlow fill:#e8f0fe,stroke:#4a6fd0');
    lines.push(`  class ${flows.join(',')} otherFlow`);
  }
  const missing = graph.nodes.filter((n) => n.kind === 'missing').map((n) => n.id);
  if (missing.length > 0) {
    lines.push('  classDef missing fill:#fde2e2,stroke:#c0392b,stroke-dasharray:4 2');
    lines.push(`  class ${missing.join(',')} missing`);
  }
  const current = graph.nodes.filter((n) => n.highlighted).map((n) => n.id);
  if (current.length > 0) {
    lines.push('  classDef current fill:#ffe08a,stroke:#b58900,stroke-width:3px');
    lines.push(`  class ${current.join(',')} current`);
  }
  return lines.join('\n') + '\n';
}
