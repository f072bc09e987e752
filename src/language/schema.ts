/**
 * Checks a parsed file against its JSON Schema (`schemas/*.schema.json`, the single source of
 * the files' shape) and turns ajv's errors into diagnostics an author can act on: one message
 * per problem, at the key or value it concerns, in plain words. A value that fails a
 * `oneOf`/`anyOf` gets one message about the most plausible reading, not one per branch.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeForRule } from '../diagnostics/codes.js';
import type { Path, PathSegment, SourceFile } from '../source/source-file.js';
import { explainError, type SchemaProblem } from './schema-messages.js';

/** Which file shape to check: a flow, `bot.yaml`, or a flow test file. */
export type SchemaKind = 'flow' | 'bot' | 'flow-test';

const SCHEMA_FILES: Record<SchemaKind, string> = {
  flow: 'flow.schema.json',
  bot: 'bot.schema.json',
  'flow-test': 'flow-test.schema.json',
};

/** The rule id for each kind of problem, for flows and bot.yaml (FS1xx) and for flow tests (FS7xx). */
const RULES: Record<SchemaProblem, { file: string; test: string }> = {
  'unknown-key': { file: 'unknown-key', test: 'test-unknown-key' },
  'wrong-type': { file: 'wrong-type', test: 'test-wrong-type' },
  'missing-key': { file: 'missing-key', test: 'test-missing-key' },
  'invalid-value': { file: 'invalid-value', test: 'test-invalid-value' },
  'too-many-items': { file: 'too-many-items', test: 'test-invalid-value' },
  'empty-value': { file: 'empty-value', test: 'test-empty-value' },
  'conflicting-keys': { file: 'conflicting-keys', test: 'test-conflicting-keys' },
  'invalid-name': { file: 'invalid-name', test: 'test-invalid-value' },
  'invalid-duration': { file: 'invalid-duration', test: 'test-invalid-value' },
  'duplicate-item': { file: 'duplicate-item', test: 'test-invalid-value' },
};

const schemas = new Map<SchemaKind, Record<string, unknown>>();

/**
 * Two ways to check a file. `quick` only says whether a file matches (ajv stops at the first
 * error): most files do, and for them this is the whole schema check. `explain` reports every
 * error with its schema, for the messages; a file that fails the quick check is checked again
 * that way.
 */
type Mode = 'quick' | 'explain';
const ajvs = new Map<Mode, InstanceType<typeof Ajv2020.default>>();
const validators = new Map<string, ValidateFunction>();

/** The URL of a schema file, `schemas/` at the package root (from `src/language/` or `dist/language/`). */
export function schemaUrl(kind: SchemaKind): URL {
  return new URL(`../../schemas/${SCHEMA_FILES[kind]}`, import.meta.url);
}

/** The parsed JSON Schema of a kind of file (read once). */
export function schemaFor(kind: SchemaKind): Record<string, unknown> {
  let schema = schemas.get(kind);
  if (!schema) {
    schema = JSON.parse(readFileSync(schemaUrl(kind), 'utf8')) as Record<string, unknown>;
    schemas.set(kind, schema);
  }
  return schema;
}

function newAjv(mode: Mode): InstanceType<typeof Ajv2020.default> {
  // explain: every error (allErrors), each with its schema (verbose), so messages can use its
  // descriptions and keys.
  const explain = mode === 'explain';
  const instance = new Ajv2020.default({ allErrors: explain, verbose: explain, strict: true, strictTypes: false, strictRequired: false });
  // Annotations for editors (VS Code's YAML extension shows them); ajv only keeps them.
  for (const keyword of ['markdownDescription', 'patternErrorMessage', 'errorMessage']) instance.addKeyword(keyword);
  return instance;
}

/** The validator of a kind of file in a mode (compiled once). */
function validatorFor(kind: SchemaKind, mode: Mode): ValidateFunction {
  const key = `${mode}:${kind}`;
  let validate = validators.get(key);
  if (!validate) {
    let ajv = ajvs.get(mode);
    if (!ajv) ajvs.set(mode, (ajv = newAjv(mode)));
    validate = ajv.compile(schemaFor(kind));
    validators.set(key, validate);
  }
  return validate;
}

/** ajv's instancePath (a JSON pointer) -> path segments, list indexes as numbers. */
function toPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(seg)) {
      path.push(Number(seg));
      node = node[Number(seg)];
    } else {
      path.push(seg);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

/**
 * Drops the noise of ajv's `allErrors` output: `if` and `propertyNames` summaries (their
 * inner error says it better), the per-branch `required` errors of a `oneOf`/`anyOf` (the
 * `oneOf`/`anyOf` error is explained once), and a second `type` error for the same value.
 */
function prune(errors: readonly ErrorObject[]): ErrorObject[] {
  const branchOwners = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const typed = new Set<string>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'propertyNames') continue;
    if (branchOwners.some((o) => o !== e && o.instancePath === e.instancePath && e.schemaPath.startsWith(`${o.schemaPath}/`))) continue;
    if (e.keyword === 'type') {
      if (typed.has(e.instancePath)) continue;
      typed.add(e.instancePath);
    }
    out.push(e);
  }
  // A value of the wrong type: its other problems follow from that one.
  return out.filter((e) => e.keyword === 'type' || ![...typed].some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)));
}

function pathKey(path: Path): string {
  return JSON.stringify(path.map(String));
}

/**
 * Checks `file.data` against the schema of `kind` and returns one diagnostic per problem,
 * sorted by position. A file whose YAML could not be read (no data) gives none: its YAML
 * diagnostics already say what is wrong.
 */
export function checkSchema(kind: SchemaKind, file: SourceFile): Diagnostic[] {
  if (file.data === undefined) return [];
  if (validatorFor(kind, 'quick')(file.data)) return [];
  const validate = validatorFor(kind, 'explain');
  if (validate(file.data)) return [];
  const list = prune(validate.errors ?? []).flatMap((error) => {
    const e = explainError(kind, error, toPath(error.instancePath, file.data), file, schemaFor(kind));
    return e ? [e] : [];
  });
  // A misspelt key ("sav" for "save") also leaves the right one missing: say it once.
  const misspelt = new Set(list.filter((e) => e.problem === 'unknown-key' && e.suggestion).map((e) => `${pathKey(e.path.slice(0, -1))}\0${e.suggestion}`));
  const out: Diagnostic[] = [];
  for (const explained of list) {
    if (explained.missing?.some((k) => misspelt.has(`${pathKey(explained.path)}\0${k}`))) continue;
    const rule = kind === 'flow-test' ? RULES[explained.problem].test : RULES[explained.problem].file;
    const info = codeForRule(rule);
    const span = file.spanOf(explained.path, explained.part);
    const d: Diagnostic = { file: file.path, ...span, severity: info.severity, code: info.code, rule, message: explained.message };
    if (explained.suggestion !== undefined) d.suggestion = explained.suggestion;
    out.push(d);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
