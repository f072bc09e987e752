/**
 * One ajv error -> one plain-words message, the place it points at (the key for an unknown
 * key or a missing one's parent, the value for a wrong value, the first item over a limit)
 * and the kind of problem (which picks the diagnostic code).
 */
import type { ErrorObject } from 'ajv';
import type { Path, SourceFile } from '../source/source-file.js';
import { ROOT_WORDS, closestName, describePath, firstSentence, kindOf, orList, quotedList, sentence, typeWords } from './schema-words.js';

export type SchemaProblem =
  | 'unknown-key'
  | 'wrong-type'
  | 'missing-key'
  | 'invalid-value'
  | 'too-many-items'
  | 'empty-value'
  | 'conflicting-keys'
  | 'invalid-name'
  | 'invalid-duration'
  | 'duplicate-item';

export interface Explained {
  problem: SchemaProblem;
  path: Path;
  part: 'key' | 'value';
  message: string;
  suggestion?: string;
  /** For a missing key: the key(s) of which one is missing (a misspelt key may explain it). */
  missing?: string[];
}

type Schema = Record<string, unknown>;
type Kind = keyof typeof ROOT_WORDS;

/** A `$ref` inside the same schema file (`#/$defs/x`) -> the schema it names. */
function resolve(schema: unknown, root: Schema): Schema | undefined {
  let s = schema as Schema | undefined;
  for (let i = 0; i < 10 && s && typeof s === 'object' && typeof s.$ref === 'string'; i++) {
    const ref = s.$ref as string;
    let target: unknown = root;
    for (const part of ref.replace(/^#\//, '').split('/')) target = (target as Schema | undefined)?.[part];
    if (!target || typeof target !== 'object') break;
    s = { ...(target as Schema), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) };
  }
  return s && typeof s === 'object' ? s : undefined;
}

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const seg of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(seg)] : undefined;
  return node;
}

const quote = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/** What a failed pattern means, from the schema's `patternErrorMessage`, and which problem it is. */
function patternProblem(schema: Schema | undefined): { problem: SchemaProblem; hint: string } {
  const hint = typeof schema?.patternErrorMessage === 'string' ? schema.patternErrorMessage : 'It does not have the expected form.';
  if (hint.startsWith('A duration')) return { problem: 'invalid-duration', hint };
  return { problem: /^(A flow id|A state name|A variable name|A language code|An environment variable name)/.test(hint) ? 'invalid-name' : 'invalid-value', hint };
}

/** Explains one (pruned) ajv error; `undefined` for errors that add nothing. */
export function explainError(kind: Kind, e: ErrorObject, path: Path, file: SourceFile, root: Schema): Explained | undefined {
  const data = file.data;
  const where = (p: Path): string => describePath(p, data, ROOT_WORDS[kind]);
  const value = valueAt(data, path);
  const parent = e.parentSchema as Schema | undefined;
  const params = e.params as Record<string, unknown>;

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((parent?.properties as Schema | undefined) ?? {});
      const close = closestName(key, allowed);
      const hint = close ? ` Did you mean "${close}"?` : '';
      return {
        problem: 'unknown-key', path: [...path, key], part: 'key', suggestion: close,
        message: `Unknown key "${key}" in ${where(path)}.${hint} The keys allowed here are: ${quotedList(allowed)}.`,
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const prop = resolve((parent?.properties as Schema | undefined)?.[key], root);
      const about = firstSentence(prop?.description);
      return {
        problem: 'missing-key', path, part: 'key', missing: [key],
        message: `${sentence(where(path))} is missing "${key}"${about ? ` (${lower(about)})` : ''}: add "${key}:".`,
      };
    }
    case 'oneOf':
    case 'anyOf':
      return explainAlternatives(e, path, value, where, root);
    case 'type': {
      const types = Array.isArray(params.type) ? (params.type as string[]) : [String(params.type)];
      const isTextMap = types.includes('object') && types.includes('string');
      const expected = typeWords(types, isTextMap);
      if (value === null && path.length === 2 && path[0] === 'states' && kind === 'flow') {
        return { problem: 'wrong-type', path, part: 'key', message: `State "${path[1]}" is empty: give it "say" and then "quick_replies", "buttons", "ask", "next" or "end: true".` };
      }
      // (At the top of the file there is no colon nor key: the general message below says it.)
      if (value === null && path.length > 0) return { problem: 'wrong-type', path, part: 'value', message: `${sentence(where(path))} is empty: write ${expected} after the colon, or remove the key.` };
      let hint = '';
      if (typeof parent?.patternErrorMessage === 'string') hint = ` ${parent.patternErrorMessage}`;
      else if (types.includes('boolean') && typeof value === 'string') hint = ' Write true or false (yes, no, on and off are ordinary words in flow files).';
      else if (types.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) hint = ` If you mean the text, put it in quotes: "${String(value)}".`;
      else if (types.includes('array') && !types.includes('string') && typeof value === 'string') hint = ` Write a list: [${value}], or one "- " item per line.`;
      return { problem: 'wrong-type', path, part: 'value', message: `${sentence(where(path))} should be ${expected}, but it is ${kindOf(value)}.${hint}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const close = typeof value === 'string' ? closestName(value, allowed) : undefined;
      return {
        problem: 'invalid-value', path, part: 'value', suggestion: close,
        message: `${quote(value)} is not allowed for ${where(path)}.${close ? ` Did you mean "${close}"?` : ''} Use one of: ${allowed.join(', ')}.`,
      };
    }
    case 'pattern': {
      const { problem, hint } = patternProblem(parent);
      if (e.propertyName !== undefined) {
        return { problem, path: [...path, e.propertyName], part: 'key', message: `"${e.propertyName}" is not a valid name here (in ${where(path)}). ${hint}` };
      }
      return { problem, path, part: 'value', message: `${quote(value)} is not valid for ${where(path)}. ${hint}` };
    }
    case 'maxItems': {
      const limit = Number(params.limit);
      const count = Array.isArray(value) ? value.length : limit + 1;
      return {
        problem: 'too-many-items', path: [...path, limit], part: 'key',
        message: `${sentence(where(path))} has ${count} items, but at most ${limit} are allowed (a platform limit): remove ${count - limit}, or split them over two states.`,
      };
    }
    case 'minItems':
    case 'minProperties':
    case 'minLength':
      return { problem: 'empty-value', path, part: 'value', message: `${sentence(where(path))} is empty: ${emptyHint(e.keyword, parent)}.` };
    case 'maxLength':
      return { problem: 'invalid-value', path, part: 'value', message: `${sentence(where(path))} is too long: at most ${String(params.limit)} characters are allowed.` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const bound = e.keyword.endsWith('inimum') ? 'at least' : 'at most';
      const strict = e.keyword.startsWith('exclusive') ? (bound === 'at least' ? 'more than' : 'less than') : bound;
      return { problem: 'invalid-value', path, part: 'value', message: `${sentence(where(path))} is ${String(value)}, but it must be ${strict} ${String(params.limit)}.` };
    }
    case 'uniqueItems': {
      const i = Number(params.i);
      const j = Number(params.j);
      return { problem: 'duplicate-item', path: [...path, Math.max(i, j)], part: 'value', message: `${quote(valueAt(data, [...path, Math.max(i, j)]))} appears twice in ${where(path)} (items ${Math.min(i, j) + 1} and ${Math.max(i, j) + 1}): remove one.` };
    }
    case 'false schema': {
      const key = String(path[path.length - 1]);
      const other = /dependentSchemas\/([^/]+)\//.exec(e.schemaPath)?.[1];
      const owner = where(path.slice(0, -1));
      if (other) return { problem: 'conflicting-keys', path, part: 'key', message: `"${key}" cannot be used together with "${other}" in ${owner}: remove one of them.` };
      return { problem: 'unknown-key', path, part: 'key', message: `"${key}" is not allowed in ${owner}.` };
    }
    case 'dependentRequired': {
      const key = String(params.property);
      const needs = String(params.missingProperty);
      return { problem: 'missing-key', path: [...path, key], part: 'key', message: `"${key}" only works together with "${needs}" in ${where(path)}: add "${needs}:", or remove "${key}".` };
    }
    default:
      return { problem: 'invalid-value', path, part: 'value', message: `${sentence(where(path))} is not valid: ${e.message ?? 'it does not match the expected form'}.` };
  }
}

function lower(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function emptyHint(keyword: string, schema: Schema | undefined): string {
  if (keyword === 'minLength') return 'write some text, or remove the key';
  if (keyword === 'minProperties') return 'add at least one entry, or remove the key';
  return schema && Object.keys(schema).includes('maxItems') ? 'add at least one item, or remove the key' : 'add at least one item (a line starting with "- "), or remove the key';
}

/**
 * A `oneOf`/`anyOf` failure, explained once. Our schemas use them only to say "one of these
 * keys" (`{required: [goto]}`, `{required: [flow]}`, ...): when none is present the value is
 * missing a target; when several are, they conflict.
 */
function explainAlternatives(e: ErrorObject, path: Path, value: unknown, where: (p: Path) => string, root: Schema): Explained {
  const branches = ((e.schema as unknown[]) ?? []).map((b) => resolve(b, root));
  const keys = branches.flatMap((b) => (Array.isArray(b?.required) && b.required.length === 1 ? [String(b.required[0])] : []));
  const present = value && typeof value === 'object' ? Object.keys(value).filter((k) => keys.includes(k)) : [];
  const quotedKeys = orList(keys.map((k) => `"${k}"`));
  if (keys.length === branches.length && present.length > 1) {
    const [first, ...rest] = present;
    return {
      problem: 'conflicting-keys', path: [...path, rest[0]!], part: 'key',
      message: `${sentence(where(path))} has both "${first}" and ${orList(rest.map((k) => `"${k}"`)).replace(' or ', ' and ')}, but takes only one of ${quotedKeys}: keep one and remove the other${rest.length > 1 ? 's' : ''}.`,
    };
  }
  if (keys.length === branches.length) {
    return { problem: 'missing-key', path, part: 'key', missing: keys, message: `${sentence(where(path))} needs ${keys.length === 1 ? quotedKeys : `one of ${alternativesHint(keys) || quotedKeys}`}.` };
  }
  return { problem: 'invalid-value', path, part: 'value', message: `${sentence(where(path))} does not have any of the allowed forms: ${firstSentence(e.parentSchema && (e.parentSchema as Schema).description) ?? 'see the documentation'}.` };
}

function alternativesHint(keys: readonly string[]): string {
  const words: Record<string, string> = {
    goto: '"goto" (a state of this flow)',
    flow: '"flow" (another flow to start)',
    url: '"url" (a web page to open)',
    say: '"say" (a reminder)',
  };
  return keys.length > 1 && keys.every((k) => words[k]) ? orList(keys.map((k) => words[k]!)) : '';
}
