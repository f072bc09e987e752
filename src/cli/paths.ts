/**
 * Paths given on the command line: resolved against the injected working directory, shown
 * relative to it, and sorted into folders and files (a missing path is bad usage).
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from './io.js';

/** The default path of `flow validate` and `flow test`. */
export const DEFAULT_FLOWS_DIR = 'flows';

export interface Target {
  /** As typed. */
  given: string;
  /** Absolute. */
  path: string;
  kind: 'dir' | 'file';
}

/** A path as shown to a person: relative to `cwd` when inside it, else absolute. */
export function displayPath(cwd: string, path: string): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}

/** Resolves each path; a path that does not exist is a `UsageError` naming it. */
export function resolveTargets(command: string, cwd: string, paths: readonly string[]): Target[] {
  const list = paths.length > 0 ? paths : [DEFAULT_FLOWS_DIR];
  return list.map((given) => {
    const path = resolve(cwd, given);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      const hint = paths.length === 0 ? ` Run \`flow ${command}\` inside the project (the folder that holds flows/), or give the folder: \`flow ${command} path/to/flows\`.` : '';
      throw new UsageError(`"${given}" does not exist (looked in ${cwd}).${hint}`);
    }
    return { given, path, kind: isDir ? 'dir' : 'file' };
  });
}
