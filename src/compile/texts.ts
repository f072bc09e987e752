/**
 * Texts and values compiled once per flow: every Handlebars template is compiled at load
 * time, so a step only renders. Plain strings (no `{{`) skip Handlebars entirely.
 */
import { compileTemplate } from '../template/render.js';
import type { Text } from '../language/model.js';
import type { CompiledText, CompiledValue, Renderer, RenderScope } from './types.js';

/** The key under which a plain (language-independent) text is stored. */
export const ANY_LANGUAGE = '*';

/**
 * Compiles one template. A template that fails to compile (which validation prevents)
 * renders its source as-is rather than crashing a conversation; a template that throws
 * while rendering renders as ''.
 */
export function compileRenderer(source: string): Renderer {
  if (!source.includes('{{')) return () => source;
  let fn: ReturnType<typeof compileTemplate>;
  try {
    fn = compileTemplate(source);
  } catch {
    return () => source;
  }
  return (scope: RenderScope) => {
    try {
      return fn(scope);
    } catch {
      return '';
    }
  };
}

/** Compiles a text (a string, or a map from language to string). */
export function compileText(text: Text): CompiledText {
  if (typeof text === 'string') return { byLanguage: new Map([[ANY_LANGUAGE, compileRenderer(text)]]), literals: [text] };
  const byLanguage = new Map<string, Renderer>();
  for (const [lang, value] of Object.entries(text)) byLanguage.set(lang, compileRenderer(String(value)));
  return { byLanguage, literals: Object.values(text).map(String) };
}

/** Compiles `say`-like values: one text or a list of texts. */
export function compileTexts(texts: Text | Text[] | undefined): CompiledText[] {
  if (texts === undefined) return [];
  return (Array.isArray(texts) ? texts : [texts]).map(compileText);
}

/**
 * The renderer for `language`: the text itself when plain, else the language's entry,
 * else `defaultLanguage`'s, else the first entry.
 */
export function pickRenderer(text: CompiledText, language: string, defaultLanguage: string): Renderer {
  const m = text.byLanguage;
  return m.get(ANY_LANGUAGE) ?? m.get(language) ?? m.get(defaultLanguage) ?? m.values().next().value ?? (() => '');
}

/** Renders a text in the person's language (see `pickRenderer`). */
export function renderText(text: CompiledText, scope: RenderScope, defaultLanguage: string): string {
  return pickRenderer(text, scope.language, defaultLanguage)(scope);
}

/** Compiles a JSON value (a `set` value, a `call` body): strings become templates, the rest is kept. */
export function compileValue(value: unknown): CompiledValue {
  if (typeof value === 'string') return { t: 'str', r: compileRenderer(value) };
  if (Array.isArray(value)) return { t: 'arr', items: value.map(compileValue) };
  if (value !== null && typeof value === 'object') {
    return { t: 'obj', entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, compileValue(v)]) };
  }
  return { t: 'lit', v: value };
}

/** Renders a compiled value: strings are rendered, numbers, booleans and null kept as they are. */
export function renderValue(value: CompiledValue, scope: RenderScope): unknown {
  switch (value.t) {
    case 'str':
      return value.r(scope);
    case 'lit':
      return value.v;
    case 'arr':
      return value.items.map((v) => renderValue(v, scope));
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value.entries) out[k] = renderValue(v, scope);
      return out;
    }
  }
}
