import { fileStart, shownPath, type Rule } from './rule.js';
import type { FlowFile } from '../project.js';

/** FS601: flow ids are unique in the folder; the second file points back at the first. */
export const duplicateFlowId: Rule = {
  id: 'duplicate-flow-id',
  description: 'Two flow files may not have the same flow id (file name without .yaml, or `id:`).',
  check(ctx, report) {
    const first = new Map<string, FlowFile>();
    for (const file of ctx.project.flows) {
      const earlier = first.get(file.id);
      if (!earlier) {
        first.set(file.id, file);
        continue;
      }
      const hasId = file.source.has(['id']);
      const line = earlier.source.has(['id']) ? earlier.source.spanOf(['id'], 'value').line : 1;
      report(file.source, hasId ? file.source.spanOf(['id'], 'value') : fileStart(file.source),
        `The flow id "${file.id}" is already used by ${shownPath(ctx, earlier.path)}:${line}. Flow ids must be unique in a folder: ` +
        (hasId ? 'change this "id:".' : 'rename this file, or give it its own "id:".'));
    }
  },
};
