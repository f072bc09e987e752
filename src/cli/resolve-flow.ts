/**
 * `<flow-id or file>` as `flow chat` and `flow graph` take it: a path to a flow file (its
 * folder is the bot), or the id of a flow in the flows folder (`--dir`, default `flows/`).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { closest, didYouMean } from '../language/rules/suggest.js';
import { checkProjectDir } from '../language/validate.js';
import type { FlowFile, Project } from '../language/project.js';
import { UsageError } from './io.js';
import { DEFAULT_FLOWS_DIR, displayPath } from './paths.js';

export interface ResolvedFlow {
  project: Project;
  /** Every diagnostic of the bot (all files). */
  diagnostics: Diagnostic[];
  flowFile: FlowFile;
}

/** Finds the flow; an unknown id or a missing file is a `UsageError` listing the flows there are. */
export function resolveFlow(command: string, cwd: string, arg: string | undefined, dirOption: string | undefined): ResolvedFlow {
  if (arg === undefined) throw new UsageError(`\`flow ${command}\` needs a flow: its id (\`flow ${command} it-helpdesk\`) or its file (\`flow ${command} flows/it-helpdesk.yaml\`).`);
  const asPath = resolve(cwd, arg);
  const looksLikeFile = /\.ya?ml$/i.test(arg) || arg.includes('/') || arg.includes('\\');
  if (looksLikeFile) {
    if (!existsSync(asPath) || !statSync(asPath).isFile()) throw new UsageError(`"${arg}" does not exist (looked in ${cwd}).`);
    const { project, diagnostics } = checkProjectDir(dirname(asPath));
    const flowFile = project.flows.find((f) => resolve(f.path) === asPath);
    if (!flowFile) throw new UsageError(`"${arg}" is not a flow of its folder (bot.yaml and test files are not flows).`);
    return { project, diagnostics, flowFile };
  }
  const dir = resolve(cwd, dirOption ?? DEFAULT_FLOWS_DIR);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`The flows folder "${displayPath(cwd, dir)}" does not exist. Run the command in the project folder, give the folder with --dir, or give the flow's file.`);
  }
  const { project, diagnostics } = checkProjectDir(dir);
  const flowFile = project.flows.find((f) => f.id === arg);
  if (!flowFile) {
    const ids = project.flows.map((f) => f.id).sort();
    const list = ids.length ? `The flows in ${displayPath(cwd, dir)} are: ${ids.join(', ')}.` : `${displayPath(cwd, dir)} holds no flow.`;
    throw new UsageError(`There is no flow "${arg}".${didYouMean(closest(arg, ids))} ${list}`);
  }
  return { project, diagnostics, flowFile };
}
