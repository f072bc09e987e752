/**
 * Checks what the browser sends (a person's message, a profile) and says, in plain words,
 * what is wrong. Returns the value or an error text; never throws.
 */
import type { InboundEvent, Profile } from '../engine/types.js';
import { PROFILE_FIELDS, STUDIO_USER } from './people.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_TEXT = 2000;
const MAX_FIELD = 200;
const LOCALE = /^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,4})?$/;

function str(v: unknown): v is string {
  return typeof v === 'string';
}

/** A studio person id (`studio-...`), as created by the studio. */
export function checkUser(v: unknown): Checked<string> {
  if (str(v) && STUDIO_USER.test(v)) return { ok: true, value: v };
  return { ok: false, error: `"user" must be a studio person id such as "studio-1a2b3c4d-1" (create one with POST /studio/api/person); got ${JSON.stringify(v ?? null)}.` };
}

/** A message the person sends: text, a quick-reply tap, or a button tap. */
export function checkEvent(v: unknown): Checked<InboundEvent> {
  const e = (v ?? {}) as Record<string, unknown>;
  if (e.kind === 'text') {
    if (!str(e.text) || e.text.trim() === '') return { ok: false, error: 'A text message needs some text: "text" is empty.' };
    if (e.text.length > MAX_TEXT) return { ok: false, error: `The message is ${e.text.length} characters long; the chat platforms take at most ${MAX_TEXT}.` };
    return { ok: true, value: { kind: 'text', text: e.text } };
  }
  if (e.kind === 'quick_reply' || e.kind === 'postback') {
    if (!str(e.payload) || e.payload === '' || e.payload.length > 1000) return { ok: false, error: `A ${e.kind} tap needs its "payload" (1 to 1000 characters).` };
    const title = str(e.title) ? e.title.slice(0, 100) : e.payload.slice(0, 100);
    return { ok: true, value: e.kind === 'quick_reply' ? { kind: 'quick_reply', payload: e.payload, title } : { kind: 'postback', payload: e.payload, title } };
  }
  return { ok: false, error: `"event.kind" must be "text", "quick_reply" or "postback" (what a person can send); got ${JSON.stringify(e.kind ?? null)}.` };
}

/** Profile fields for a new person: strings, at most 200 characters, a locale like `fr_FR`. */
export function checkProfile(v: unknown): Checked<Partial<Profile>> {
  if (v === undefined || v === null) return { ok: true, value: {} };
  if (typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: '"profile" must be an object of fields such as { "first_name": "Ana", "locale": "fr_FR" }.' };
  const out: Partial<Profile> = {};
  for (const [key, value] of Object.entries(v)) {
    if (!(PROFILE_FIELDS as readonly string[]).includes(key)) {
      return { ok: false, error: `"${key}" is not a profile field; use ${PROFILE_FIELDS.map((f) => `"${f}"`).join(', ')}.` };
    }
    if (value === undefined || value === null || value === '') continue;
    if (!str(value)) return { ok: false, error: `The profile field "${key}" must be text.` };
    if (value.length > MAX_FIELD) return { ok: false, error: `The profile field "${key}" is ${value.length} characters long; keep it under ${MAX_FIELD}.` };
    if (key === 'locale' && !LOCALE.test(value)) return { ok: false, error: `The locale "${value}" is not a locale such as "en_US" or "fr_FR": a language code, then optionally "_" and a country code.` };
    out[key as (typeof PROFILE_FIELDS)[number]] = value;
  }
  return { ok: true, value: out };
}
