import { basename } from 'node:path';
import { schemaFor } from '../schema.js';
import { fileStart, type Rule } from './rule.js';

/** The form of a flow id and how to say it, from the schema (`$defs.flowId`), the one source of both. */
function flowIdRule(): { pattern: RegExp; explained: string } {
  const def = (schemaFor('flow').$defs as Record<string, { pattern: string; patternErrorMessage: string }>).flowId;
  return { pattern: new RegExp(def.pattern), explained: def.patternErrorMessage };
}

/** The nearest valid flow id to `name`: lowercase, other characters as "-", starting with a letter. */
function validIdLike(name: string): string {
  const id = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(id) ? id : `flow-${id}`.replace(/-+$/, '');
}

/**
 * FS108 for a flow id taken from the file name: a file without `id:` is named by its file
 * name, which must then have the form of a flow id (an `id:` of the wrong form is reported by
 * the schema, with the same code).
 */
export const flowFileName: Rule = {
  id: 'invalid-name',
  description: 'A flow id, state name, variable name or language code in the wrong form.',
  check(ctx, report) {
    const { pattern, explained } = flowIdRule();
    for (const file of ctx.project.flows) {
      if (file.source.has(['id']) || pattern.test(file.id)) continue;
      const name = basename(file.path);
      const better = validIdLike(file.id);
      report(file.source, fileStart(file.source),
        `This flow has no "id:", so its file name "${name}" gives its id, "${file.id}", which is not a valid flow id. ${explained} ` +
        `Rename the file (for example ${better}${name.slice(file.id.length)}), or add the line "id: ${better}" at the top of the file.`, better);
    }
  },
};
