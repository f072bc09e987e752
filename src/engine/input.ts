/**
 * Validating and normalising typed answers for `ask`, one rule per input type. Pure: the
 * person's locale is the only context (for `1/12/2026`).
 */
import type { CompiledAsk } from '../compile/types.js';

/** The outcome of checking an answer: the value to store, or why it was refused. */
export type AnswerResult = { ok: true; value: unknown } | { ok: false };

const YES = new Set(['yes', 'y', 'yeah', 'yep', 'ok', 'okay', 'sure', 'true', 'oui', 'o', 'ouais', 'si', 'sí', 'sì', 'ja', 'j', 'sim', 'da', 'tak', 'evet', 'はい', '是', '👍']);
const NO = new Set(['no', 'n', 'nope', 'nah', 'false', 'non', 'nein', 'não', 'nao', 'nee', 'nie', 'hayır', 'いいえ', '否', '👎']);

/** Locales that write dates month first (`12/1/2026` is 1 December); all others write day first. */
const MONTH_FIRST = new Set(['en_us', 'en-us', 'es_us', 'en_ph', 'fil_ph', 'en_ca']);

const codePoints = (s: string) => [...s].length;

/** `1,5`, `1.5`, `-3`, `1 000` (spaces as thousands separators) -> a number; else undefined. */
export function parseNumber(text: string): number | undefined {
  const compact = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (!/^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/.test(compact)) return undefined;
  const n = Number(compact.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

function isoDate(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || y < 1000 || y > 9999) return undefined;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate(); // pure: a calendar computation, not the clock
  if (d > days) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whether people of `locale` write dates month first (12/31/2026), as in the US. */
export function isMonthFirst(locale: string | undefined): boolean {
  return MONTH_FIRST.has((locale ?? '').toLowerCase());
}

/**
 * A date as `YYYY-MM-DD`: ISO (`2026-12-01`), or `d/m/yyyy` (also with `.` or `-`, and
 * two-digit years as 20xx), read month first for US-style locales (`en_US`).
 */
export function parseDate(text: string, locale: string | undefined): string | undefined {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[2])];
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  return isMonthFirst(locale) ? isoDate(year, a, b) : isoDate(year, b, a);
}

function parseUrl(text: string): string | undefined {
  const t = text.trim();
  if (/\s/.test(t) || t === '') return undefined;
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`;
  try {
    const u = new URL(candidate);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname.includes('.')) return undefined;
    return candidate;
  } catch {
    return undefined;
  }
}

function inRange(n: number, ask: CompiledAsk): boolean {
  return (ask.min === undefined || n >= ask.min) && (ask.max === undefined || n <= ask.max);
}

/** `min_length` and `max_length` (of `text` and `pattern`), counted in code points. */
function lengthFits(text: string, ask: CompiledAsk): boolean {
  const n = codePoints(text);
  return (ask.minLength === undefined || n >= ask.minLength) && (ask.maxLength === undefined || n <= ask.maxLength);
}

/** Checks `text` against the `ask` rules; on success returns the value to store. */
export function checkAnswer(ask: CompiledAsk, text: string | undefined, locale: string | undefined): AnswerResult {
  if (text === undefined) return { ok: false };
  const t = text.trim();
  if (t === '') return { ok: false };
  switch (ask.type) {
    case 'number':
    case 'integer': {
      const n = parseNumber(t);
      if (n === undefined || (ask.type === 'integer' && !Number.isInteger(n)) || !inRange(n, ask)) return { ok: false };
      return { ok: true, value: n };
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t) ? { ok: true, value: t } : { ok: false };
    case 'phone': {
      const compact = t.replace(/[\s().\-\u00a0]/g, '');
      return /^\+?\d{6,15}$/.test(compact) ? { ok: true, value: compact } : { ok: false };
    }
    case 'url': {
      const u = parseUrl(t);
      return u === undefined ? { ok: false } : { ok: true, value: u };
    }
    case 'date': {
      const d = parseDate(t, locale);
      return d === undefined ? { ok: false } : { ok: true, value: d };
    }
    case 'yes_no': {
      const w = t.toLowerCase().replace(/[.!]+$/, '');
      if (YES.has(w)) return { ok: true, value: true };
      if (NO.has(w)) return { ok: true, value: false };
      return { ok: false };
    }
    case 'pattern':
      return ask.pattern?.test(t) && lengthFits(t, ask) ? { ok: true, value: t } : { ok: false };
    case 'text':
    default:
      return lengthFits(t, ask) ? { ok: true, value: t } : { ok: false };
  }
}
