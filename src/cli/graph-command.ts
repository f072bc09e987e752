/** `flow graph <flow-id or file> [--format mermaid|dot]`: prints the flow as a diagram. */
import { resolve } from 'node:path';
import { flowToDot } from '../graph/dot.js';
import { flowToMermaid } from '../graph/mermaid.js';
import { closest, didYouMean } from '../language/rules/suggest.js';
import type { Command } from './command.js';
import { choiceOption, parseCommandArgs } from './args.js';
import { printErrors } from './bot-errors.js';
import { EXIT, UsageError } from './io.js';
import { resolveFlow } from './resolve-flow.js';

export const graphCommand: Command = {
  name: 'graph',
  summary: 'print a flow as a Mermaid flowchart (default) or Graphviz DOT',
  help: [
    'Usage: flow graph [options] <flow-id or file>',
    '',
    'Prints the flow as a diagram: states, choices and conditions as labelled arrows,',
    '`flow:` jumps to other flows, and on_fail / on_error / timers as dashed arrows.',
    '',
    'Options:',
    '  --format mermaid|dot  Mermaid flowchart (default; GitHub renders it) or Graphviz DOT',
    '  --highlight STATE     mark one state',
    '  --dir FOLDER          the flows folder when a flow id is given (default flows/)',
    '  -h, --help            show this help',
    '',
    'Examples:',
    '  flow graph it-helpdesk > helpdesk.mmd',
    '  flow graph flows/it-helpdesk.yaml --format dot | dot -Tsvg > helpdesk.svg',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('graph', args, {
      format: { type: 'string' },
      highlight: { type: 'string' },
      dir: { type: 'string' },
    });
    const format = choiceOption('graph', 'format', values.format, ['mermaid', 'dot'] as const, 'mermaid');
    if (positionals.length > 1) throw new UsageError(`\`flow graph\` draws one flow at a time; got ${positionals.length}: ${positionals.join(', ')}.`);
    const { flowFile, diagnostics } = resolveFlow('graph', io.cwd, positionals[0], values.dir as string | undefined);
    if (!flowFile.flow) {
      // Only the flow's own file can stop it being drawn; problems elsewhere are not shown here.
      const own = diagnostics.filter((d) => resolve(d.file) === resolve(flowFile.path));
      io.stderr.write(`The flow "${flowFile.id}" cannot be drawn until these problems are fixed:\n`);
      printErrors(io, own, new Map([[flowFile.path, flowFile.source.text]]), 1, io.stderr);
      return EXIT.problems;
    }
    const highlight = values.highlight as string | undefined;
    if (highlight !== undefined && !(highlight in flowFile.flow.states)) {
      const states = Object.keys(flowFile.flow.states);
      throw new UsageError(`"${highlight}" is not a state of the flow "${flowFile.id}".${didYouMean(closest(highlight, states))} Its states are: ${states.join(', ')}.`);
    }
    const options = highlight !== undefined ? { highlight } : {};
    io.stdout.write(format === 'dot' ? flowToDot(flowFile.id, flowFile.flow, options) : flowToMermaid(flowFile.id, flowFile.flow, options));
    return EXIT.ok;
  },
};
