/**
 * "Did you mean ...?" and candidate lists for messages (house style 5): quote the names,
 * sort them, and suggest the closest one when it is close enough to be a typo.
 */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `name`, or undefined when none is plausibly a typo of it: a
 * case-insensitive match, an edit distance of at most 1 (names up to 3 letters), 2 (up to 8)
 * or 3, or one being a prefix of the other (three letters or more).
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = name.length <= 3 ? 1 : name.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of [...candidates].sort()) {
    if (c === name) continue;
    const cl = c.toLowerCase();
    // A prefix of three letters or more (`dept` for `department`, `uppercase` for `upper`) counts as close.
    const prefix = Math.min(cl.length, lower.length) >= 3 && (cl.startsWith(lower) || lower.startsWith(cl));
    const d = cl === lower ? 0 : prefix ? Math.min(limit, distance(lower, cl)) : distance(lower, cl);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** ` Did you mean "x"?` (with its leading space) or the empty string. */
export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
}

/** `"a", "b" and "c"`: sorted, quoted, at most `max` names then "and N more". */
export function quotedList(names: Iterable<string>, max = 12): string {
  const sorted = [...new Set(names)].sort();
  const shown = sorted.slice(0, max).map((n) => `"${n}"`);
  const rest = sorted.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
