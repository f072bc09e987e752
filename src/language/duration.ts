/**
 * Durations as authors write them: a whole number followed by `s`, `m`, `h` or `d`,
 * combinable (`10s`, `30m`, `1h30m`, `2d`). The flow schema checks the shape with the same
 * pattern (`^(\d+[smhd])+$`); these helpers turn a duration into milliseconds and back.
 */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The pattern every duration matches; the schemas use the same one. */
export const DURATION_PATTERN = /^(\d+[smhd])+$/;

/**
 * The duration in milliseconds, or `undefined` when `text` is not a duration (empty, a bare
 * number, an unknown unit, spaces, a negative or fractional number, or a result too large to
 * be exact). Units may repeat and come in any order (`1h30m`, `90m`, `30m1h` all work).
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || !DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)([smhd])/g)) {
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/**
 * A duration in the authors' notation, largest units first (`5400000` -> `1h30m`, `0` ->
 * `0s`). Milliseconds below a second are dropped (rounded down); negative input counts as 0.
 */
export function formatDuration(ms: number): string {
  let rest = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) * 1000 : 0;
  if (rest === 0) return '0s';
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out;
}
