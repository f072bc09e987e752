/**
 * Texts and values compiled once per flow, so a step only renders. Each template is a
 * `compileTemplate` function: plain strings (no `{{`) skip Handlebars entirely, rendering
 * never throws, and a template that cannot be compiled (which validation prevents) renders
 * its source as-is rather than crashing a conversation.
 */
import { compileTemplate } from '../template/render.js';
import type { Text } from '../language/model.js';
import type { CompiledText, CompiledValue, Renderer, RenderScope } from './types.js';

/** The key under which a plain (language-independent) text is stored. */
export const ANY_LANGUAGE = '*';

/**
 * The scope a template renders with: the variables, the person, their last typed text and
 * language, the allowed environment; `error` is the saved `call` error, when there is one.
 */
export function renderScope(
  vars: Record<string, unknown>,
  user: Record<string, string>,
  input: string | undefined,
  env: Readonly<Record<string, string>>,
  language: string,
): RenderScope {
  const error = vars.error;
  return {
    user,
    vars,
    input: input ?? '',
    env: env as Record<string, string>,
    error: error !== null && typeof error === 'object' ? (error as RenderScope['error']) : undefined,
    language,
  };
}

/** Compiles a text (a string, or a map from language to string). */
export function compileText(text: Text): CompiledText {
  if (typeof text === 'string') return { byLanguage: new Map([[ANY_LANGUAGE, compileTemplate(text)]]), literals: [text] };
  const byLanguage = new Map<string, Renderer>();
  for (const [lang, value] of Object.entries(text)) byLanguage.set(lang, compileTemplate(String(value)));
  return { byLanguage, literals: Object.values(text).map(String) };
}

/** Compiles `say`-like values: one text or a list of texts. */
export function compileTexts(texts: Text | Text[] | undefined): CompiledText[] {
  if (texts === undefined) return [];
  return (Array.isArray(texts) ? texts : [texts]).map(compileText);
}

/** The person's language: `fr_FR` -> `fr`; no locale -> the bot's default language. */
export function languageOf(locale: string | undefined, defaultLanguage: string): string {
  const lang = typeof locale === 'string' ? locale.split(/[_-]/)[0]!.toLowerCase() : '';
  return lang || defaultLanguage;
}

/**
 * The version of `text` for `language`, and the language it is written in: the text itself
 * when plain (written in `defaultLanguage`), else the language's entry, else
 * `defaultLanguage`'s, else the first entry.
 */
function pickText(text: CompiledText, language: string, defaultLanguage: string): { renderer: Renderer; language: string } {
  const m = text.byLanguage;
  const plain = m.get(ANY_LANGUAGE);
  if (plain) return { renderer: plain, language: defaultLanguage };
  for (const lang of [language, defaultLanguage]) {
    const renderer = m.get(lang);
    if (renderer) return { renderer, language: lang };
  }
  const [first] = m;
  return first ? { renderer: first[1], language: first[0] } : { renderer: () => '', language: defaultLanguage };
}

/** The renderer for `language` (see `pickText`). */
export function pickRenderer(text: CompiledText, language: string, defaultLanguage: string): Renderer {
  return pickText(text, language, defaultLanguage).renderer;
}

/**
 * Renders a text in the person's language (see `pickText`). Dates and numbers are written
 * the way of the language the text is written in: with the person's region (`en_GB`:
 * 31/12/2026) when that is their language, else the way of that language (a German speaker
 * reading the English text reads English dates, not German ones).
 */
export function renderText(text: CompiledText, scope: RenderScope, defaultLanguage: string): string {
  const { renderer, language } = pickText(text, scope.language, defaultLanguage);
  const locale = scope.user.locale;
  const format = language === scope.language && locale && languageOf(locale, '') === language ? locale : language;
  return renderer(format === scope.language ? scope : { ...scope, language: format });
}

/** Compiles a JSON value (a `set` value, a `call` body): strings become templates, the rest is kept. */
export function compileValue(value: unknown): CompiledValue {
  if (typeof value === 'string') return { t: 'str', r: compileTemplate(value) };
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
