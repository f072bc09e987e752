/**
 * Holds the bot currently served: the checked project, its engine, and the diagnostics of
 * the last load. `reload()` re-validates the flows folder; a valid folder replaces the
 * engine (live conversations follow the flow-change rules of the engine), an invalid one
 * keeps the last good version running and exposes the diagnostics. `watch()` reloads when
 * a file of the folder changes.
 */
import { watch, type FSWatcher } from 'node:fs';
import { EventEmitter } from 'node:events';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkProjectDir } from '../language/validate.js';
import type { Project } from '../language/project.js';
import { compileBot, createEngine, type Engine } from '../engine/index.js';
import type { FlowSummary } from './local-page.js';

export interface BotVersion {
  project: Project;
  engine: Engine;
  summaries: FlowSummary[];
  /** Incremented on each successful load. */
  generation: number;
}

export interface LoadOutcome {
  ok: boolean;
  /** Every diagnostic of the last load (warnings included). */
  diagnostics: Diagnostic[];
}

function text(t: unknown): string | undefined {
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object') return Object.values(t as Record<string, string>)[0];
  return undefined;
}

export class BotHolder extends EventEmitter {
  private current: BotVersion | undefined;
  private last: LoadOutcome = { ok: false, diagnostics: [] };
  private watcher: FSWatcher | undefined;
  private pending: NodeJS.Timeout | undefined;

  constructor(readonly flowsDir: string, private readonly env: Record<string, string>) {
    super();
  }

  /** The version being served (the last good one); throws before the first good load. */
  get version(): BotVersion {
    if (!this.current) throw new Error('no valid version of the flows has been loaded');
    return this.current;
  }

  get loaded(): boolean {
    return this.current !== undefined;
  }

  get lastLoad(): LoadOutcome {
    return this.last;
  }

  /** Validates and compiles the folder; on success the new version is served at once. */
  reload(): LoadOutcome {
    const { project, diagnostics } = checkProjectDir(this.flowsDir);
    const ok = !diagnostics.some((d) => d.severity === 'error');
    this.last = { ok, diagnostics };
    if (ok) {
      const engine = createEngine(compileBot(project, { env: this.env }));
      const summaries = project.flows.map((f) => ({
        id: f.id,
        title: text(f.flow?.title),
        description: text(f.flow?.description),
        states: Object.keys(f.flow?.states ?? {}).length,
      }));
      this.current = { project, engine, summaries, generation: (this.current?.generation ?? 0) + 1 };
    }
    this.emit('reload', this.last);
    return this.last;
  }

  /** Reloads (debounced) whenever a file in the folder changes. */
  watch(debounceMs = 150): void {
    if (this.watcher) return;
    this.watcher = watch(this.flowsDir, { recursive: false }, () => {
      clearTimeout(this.pending);
      this.pending = setTimeout(() => this.reload(), debounceMs);
    });
    this.watcher.on('error', () => undefined);
  }

  close(): void {
    clearTimeout(this.pending);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
