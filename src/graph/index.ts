/** Flow diagrams: Mermaid (default of `flow graph`) and Graphviz DOT. */
export { flowToMermaid, type GraphOptions } from './mermaid.js';
export { flowToDot } from './dot.js';
export { buildFlowGraph, type FlowGraph, type GraphNode, type GraphEdge } from './graph-model.js';
