/**
 * What a semantic rule is, and the context it runs in. A rule is a small module
 * `{ id, description, check }` (house style 3): `check` reads the loaded project through the
 * context and reports diagnostics for its own id only; the code and severity come from the
 * catalogue (`src/diagnostics/codes.ts`), so a rule cannot drift from the docs.
 */
import { dirname, relative } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { codeForRule } from '../../diagnostics/codes.js';
import type { SourceFile, Span } from '../../source/source-file.js';
import type { Flow } from '../model.js';
import type { FlowFile, Project } from '../project.js';
import { indexFlow, isRecord, type FlowIndex } from './flow-index.js';

/** Reports one diagnostic of the calling rule: where, what (a plain-words message), and an optional concrete fix. */
export type Report = (source: SourceFile, span: Span, message: string, suggestion?: string) => void;

/** A flow file whose flow passed the schema, so rules can read its model. */
export interface CheckedFlow {
  file: FlowFile;
  flow: Flow;
  /** The facts every rule needs (states, edges, texts, templates...), computed once per flow. */
  index: FlowIndex;
}

/** Shared, read-only input of every rule. Lazily computed facts are cached here. */
export class RuleContext {
  private checked?: CheckedFlow[];
  private ids?: string[];

  constructor(readonly project: Project) {}

  /** The schema-valid flows, in the project's order, each with its index. */
  get flows(): CheckedFlow[] {
    this.checked ??= this.project.flows
      .filter((f): f is FlowFile & { flow: Flow } => f.flow !== undefined)
      .map((file) => ({ file, flow: file.flow, index: indexFlow(file.flow) }));
    return this.checked;
  }

  /** Every flow id of the folder (schema-valid or not), sorted and without repeats. */
  get flowIds(): string[] {
    this.ids ??= [...new Set(this.project.flows.map((f) => f.id))].sort();
    return this.ids;
  }
}

/** A state of a checked flow, as written (a map of its keys), with its name. */
export interface StateSite {
  file: FlowFile;
  name: string;
  state: Record<string, unknown>;
}

/** Every state of the checked flows, in the order written, for rules that read a state's own keys. */
export function statesOf(ctx: RuleContext): StateSite[] {
  const out: StateSite[] = [];
  for (const { file, flow, index } of ctx.flows) {
    const states = flow.states as Record<string, unknown>;
    for (const name of index.states) {
      const state = states[name];
      if (isRecord(state)) out.push({ file, name, state });
    }
  }
  return out;
}

/** A semantic rule: one check, one file, one id, one catalogue code. */
export interface Rule {
  /** Stable id, the same as the rule of its catalogue entry (e.g. `unknown-state`). */
  id: string;
  /** One sentence for the docs and `--list-rules`. */
  description: string;
  check(ctx: RuleContext, report: Report): void;
}

/** Runs one rule and returns its diagnostics (code and severity from the catalogue). */
export function runRule(rule: Rule, ctx: RuleContext): Diagnostic[] {
  const info = codeForRule(rule.id);
  const out: Diagnostic[] = [];
  rule.check(ctx, (source, span, message, suggestion) => {
    const d: Diagnostic = { file: source.path, ...span, severity: info.severity, code: info.code, rule: rule.id, message };
    if (suggestion !== undefined) d.suggestion = suggestion;
    out.push(d);
  });
  return out;
}

/** The span of a file's first line (at least one character): where file-wide diagnostics point. */
export function fileStart(source: SourceFile): Span {
  const nl = source.text.indexOf('\n');
  const end = nl < 0 ? source.text.length : nl;
  return source.span(0, Math.max(1, end));
}

/**
 * How a message names another file of the folder: from the folder's parent
 * (`flows/onboarding.yaml`), as `flow validate` shows paths when run next to the folder,
 * never the absolute path.
 */
export function shownPath(ctx: RuleContext, path: string): string {
  return relative(dirname(ctx.project.dir), path).split('\\').join('/');
}
