/**
 * Comparing what the bot said with what a test expects: exact text, or `/regex/` (with
 * optional flags, matching a part of the text), and the titles of quick replies and buttons.
 */
import type { OutMessage } from '../engine/types.js';

/** `/.../flags` as a RegExp, or undefined for a plain text. An invalid pattern throws. */
export function asRegex(expected: string): RegExp | undefined {
  const m = /^\/(.*)\/([dgimsuy]*)$/s.exec(expected);
  return m ? new RegExp(m[1]!, m[2]!.replace('g', '')) : undefined;
}

/** True when `actual` is the expected text, or matches the expected /regex/. */
export function textMatches(expected: string, actual: string): boolean {
  const re = asRegex(expected);
  return re ? re.test(actual) : expected === actual;
}

/** A message as one line a person reads in a failure report. */
export function describeMessage(m: OutMessage): string {
  if (m.kind === 'image') return `an image (${m.url})`;
  const { quickReplies, buttons } = titlesOf(m);
  const parts = [buttons.length ? `buttons [${buttons.join(', ')}]` : '', quickReplies.length ? `quick replies [${quickReplies.join(', ')}]` : ''].filter(Boolean);
  return `"${m.text}"${parts.length ? ` with ${parts.join(' and ')}` : ''}`;
}

/** The titles of a message's quick replies and buttons. */
export function titlesOf(m: OutMessage): { quickReplies: string[]; buttons: string[] } {
  if (m.kind === 'image') return { quickReplies: [], buttons: [] };
  return { quickReplies: (m.quick_replies ?? []).map((q) => q.title), buttons: m.kind === 'buttons' ? m.buttons.map((b) => b.title) : [] };
}

/** Deep equality of JSON values (for `vars:` checks). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
