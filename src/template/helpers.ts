/**
 * The helpers a flow's templates may use: Handlebars' four block built-ins plus the small
 * documented set below (docs/templates.md shows each with an example). Nothing else is
 * registered in the template environment.
 */
import { compareValues, isTruthy, lengthOf, looseEquals, numericValue, toText } from './values.js';

/** Handlebars' block built-ins that flows may use. */
export const BUILTIN_HELPERS: readonly string[] = Object.freeze(['if', 'unless', 'each', 'with']);

/** Flowstate's documented helpers. */
export const FLOW_HELPERS: readonly string[] = Object.freeze([
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'and', 'or', 'not', 'default',
  'upper', 'lower', 'capitalize', 'number', 'date', 'join', 'length',
]);

/** Every helper name a template may use, sorted (for "did you mean" and messages). */
export const HELPER_NAMES: readonly string[] = Object.freeze([...BUILTIN_HELPERS, ...FLOW_HELPERS].sort());

/** The styles of the `date` helper; `long` when none is given. */
export const DATE_STYLES: readonly string[] = Object.freeze(['short', 'long', 'weekday']);

/** A helper as Handlebars calls it: the written arguments, then Handlebars' options object. */
type Helper = (...args: unknown[]) => unknown;

/** Handlebars' options argument, as far as the helpers read it. */
interface HelperOptionsLike { data?: { language?: unknown } }

const DATE_FORMATS: Record<string, Intl.DateTimeFormatOptions> = {
  short: { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC' },
  long: { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' },
  weekday: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' },
};

/**
 * The BCP 47 language for Intl from a scope language such as `fr`, `fr_FR` or `pt-BR`;
 * `en` when it is missing or not a language tag.
 */
export function intlLanguage(language: unknown): string {
  if (typeof language !== 'string' || language.trim() === '') return 'en';
  try {
    return Intl.getCanonicalLocales(language.trim().replace(/_/g, '-'))[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/**
 * The time (epoch milliseconds, UTC) a `date` helper input stands for: an ISO date
 * `YYYY-MM-DD` (optionally followed by a time, as in `2026-12-01T23:30:00-05:00`, which
 * stands for its date as written: 1 December), or epoch milliseconds as a number or a text
 * of digits. `undefined` for anything else.
 */
export function parseDateInput(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  // With a time and an offset: the calendar date as written, never shifted to another day.
  if (!m[4]) return time;
  return Number.isNaN(Date.parse(text)) ? undefined : time;
}

function languageOf(options: unknown): string {
  return intlLanguage((options as HelperOptionsLike | undefined)?.data?.language);
}

/** Splits Handlebars' call into the written arguments and its trailing options object. */
function split(args: unknown[]): { values: unknown[]; options: unknown } {
  return { values: args.slice(0, -1), options: args[args.length - 1] };
}

function compareWith(test: (order: number) => boolean): Helper {
  return (...args) => {
    const { values } = split(args);
    const order = compareValues(values[0], values[1]);
    return order !== undefined && test(order);
  };
}

function caseHelper(kind: 'upper' | 'lower' | 'capitalize'): Helper {
  return (...args) => {
    const { values, options } = split(args);
    const text = toText(values[0]);
    const language = languageOf(options);
    if (kind === 'upper') return text.toLocaleUpperCase(language);
    if (kind === 'lower') return text.toLocaleLowerCase(language);
    const first = String.fromCodePoint(text.codePointAt(0) ?? 0);
    return text === '' ? '' : first.toLocaleUpperCase(language) + text.slice(first.length);
  };
}

/** `number n decimals`: `n` in the person's language, with exactly `decimals` digits when given. */
function numberHelper(...args: unknown[]): unknown {
  const { values, options } = split(args);
  const n = numericValue(values[0]);
  if (n === undefined) return toText(values[0]);
  const decimals = numericValue(values[1]);
  const format: Intl.NumberFormatOptions = {};
  if (decimals !== undefined) {
    const d = Math.min(20, Math.max(0, Math.trunc(decimals)));
    format.minimumFractionDigits = d;
    format.maximumFractionDigits = d;
  }
  return new Intl.NumberFormat(languageOf(options), format).format(n);
}

/** `date d style`: a date in the person's language; text that is not a date is shown unchanged. */
function dateHelper(...args: unknown[]): unknown {
  const { values, options } = split(args);
  const time = parseDateInput(values[0]);
  if (time === undefined) return toText(values[0]);
  const style = typeof values[1] === 'string' && DATE_STYLES.includes(values[1]) ? values[1] : 'long';
  try {
    return new Intl.DateTimeFormat(languageOf(options), DATE_FORMATS[style]).format(new Date(time));
  } catch {
    return toText(values[0]);
  }
}

function joinHelper(...args: unknown[]): unknown {
  const { values } = split(args);
  const separator = values.length > 1 ? toText(values[1]) : ', ';
  return Array.isArray(values[0]) ? values[0].map(toText).join(separator) : toText(values[0]);
}

function lengthHelper(...args: unknown[]): unknown {
  return lengthOf(split(args).values[0]);
}

/**
 * The implementations of {@link FLOW_HELPERS}, by name. Each takes Handlebars' trailing
 * options argument (`options.data.language` is the person's language), never throws, and
 * treats a missing value as empty.
 */
export const FLOW_HELPER_IMPLEMENTATIONS: Readonly<Record<string, Helper>> = Object.freeze({
  eq: (...args: unknown[]) => {
    const [a, b] = split(args).values;
    return looseEquals(a, b);
  },
  ne: (...args: unknown[]) => {
    const [a, b] = split(args).values;
    return !looseEquals(a, b);
  },
  gt: compareWith((o) => o > 0),
  gte: compareWith((o) => o >= 0),
  lt: compareWith((o) => o < 0),
  lte: compareWith((o) => o <= 0),
  and: (...args: unknown[]) => split(args).values.every(isTruthy),
  or: (...args: unknown[]) => split(args).values.some(isTruthy),
  not: (...args: unknown[]) => !isTruthy(split(args).values[0]),
  default: (...args: unknown[]) => {
    const [value, fallback] = split(args).values;
    return value === undefined || value === null || value === '' ? fallback : value;
  },
  upper: caseHelper('upper'),
  lower: caseHelper('lower'),
  capitalize: caseHelper('capitalize'),
  number: numberHelper,
  date: dateHelper,
  join: joinHelper,
  length: lengthHelper,
});
