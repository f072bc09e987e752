/**
 * What the studio needs from the server's bot holder (src/server/bot-holder.ts satisfies it):
 * the version being served, the outcome of the last load, and a `reload` event. Declared
 * here so the studio does not import the server layer, which sits above it.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Engine } from '../engine/index.js';
import type { Project } from '../language/project.js';

export interface ServedVersion {
  project: Project;
  engine: Engine;
  /** Incremented on each successful load. */
  generation: number;
}

export interface LoadOutcome {
  ok: boolean;
  /** Every diagnostic of the last load (warnings included). */
  diagnostics: Diagnostic[];
}

export interface StudioBot {
  readonly flowsDir: string;
  /** The last good version (throws before the first good load). */
  readonly version: ServedVersion;
  readonly loaded: boolean;
  readonly lastLoad: LoadOutcome;
  on(event: 'reload', listener: (outcome: LoadOutcome) => void): unknown;
  off(event: 'reload', listener: (outcome: LoadOutcome) => void): unknown;
}
