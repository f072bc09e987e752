/**
 * Outgoing messages within the platform limits (`LIMITS`): titles cut to 20 code points
 * with "…", at most 13 quick replies and 3 buttons, texts split at sentence, then word
 * boundaries (2000 code points, 640 for a text that carries buttons); the quick replies or
 * buttons go with the last part. An empty text carrying choices becomes "…"; an empty text
 * without choices is dropped.
 */
import { LIMITS } from '../language/model.js';
import type { OutMessage } from './types.js';

/** A title of at most 20 code points: longer ones keep 19 and end with "…". */
export function cutTitle(title: string): string {
  const cps = [...title];
  return cps.length <= LIMITS.titleChars ? title : `${cps.slice(0, LIMITS.titleChars - 1).join('').trimEnd()}…`;
}

/** Splits `text` into parts of at most `max` code points, preferring sentence ends, then spaces. */
export function splitText(text: string, max: number): string[] {
  // A text of at most `max` UTF-16 units has at most `max` code points: nothing to split.
  if (text.length <= max) return [text.trim()];
  let rest = [...text.trim()];
  const parts: string[] = [];
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    // a sentence end: . ! ? … followed by a space, or a line break (keep at least a third of the window)
    for (let i = max - 1; i >= Math.floor(max / 3); i--) {
      const c = window[i]!;
      const next = window[i + 1];
      if (c === '\n' || ('.!?…'.includes(c) && (next === undefined || /\s/.test(next)))) {
        cut = i + 1;
        break;
      }
    }
    if (cut < 0) {
      for (let i = max; i > 0; i--) {
        if (/\s/.test(window[i]!)) {
          cut = i;
          break;
        }
      }
    }
    if (cut <= 0) cut = max;
    const head = rest.slice(0, cut).join('').trim();
    if (head) parts.push(head);
    rest = [...rest.slice(cut).join('').trimStart()];
  }
  const last = rest.join('').trim();
  if (last || parts.length === 0) parts.push(last);
  return parts;
}

/** Every message within the platform limits (see the module comment). */
export function fitMessages(messages: readonly OutMessage[]): OutMessage[] {
  const out: OutMessage[] = [];
  for (const m of messages) {
    if (m.kind === 'image') {
      out.push(m);
      continue;
    }
    const quick = m.quick_replies?.slice(0, LIMITS.quickReplies).map((q) => ({ title: cutTitle(q.title), payload: q.payload }));
    const buttons = m.kind === 'buttons' ? m.buttons.slice(0, LIMITS.buttons).map((b) => ({ ...b, title: cutTitle(b.title) })) : undefined;
    const carries = (quick?.length ?? 0) > 0 || (buttons?.length ?? 0) > 0;
    const text = m.text.trim() === '' && carries ? '…' : m.text;
    if (text.trim() === '') continue;
    const parts = splitText(text, buttons?.length ? LIMITS.buttonTextChars : LIMITS.textChars);
    for (const p of parts.slice(0, -1)) out.push({ kind: 'text', text: p });
    const last = parts[parts.length - 1]!;
    if (buttons?.length) out.push(quick?.length ? { kind: 'buttons', text: last, buttons, quick_replies: quick } : { kind: 'buttons', text: last, buttons });
    else if (quick?.length) out.push({ kind: 'text', text: last, quick_replies: quick });
    else out.push({ kind: 'text', text: last });
  }
  return out;
}
