/**
 * Offsets inside a template string from Handlebars' `{line, column}` positions (line
 * 1-based, column 0-based; `\r\n`, `\r` and `\n` each end a line, as Handlebars counts).
 */

/** Maps Handlebars positions of one template string to offsets in that string. */
export interface OffsetMap { offset(line: number, column: number): number }

/** Builds the {@link OffsetMap} of a template string. */
export function offsetMap(source: string): OffsetMap {
  const starts = [0];
  const lineBreak = /\r\n?|\n/g;
  for (let m = lineBreak.exec(source); m; m = lineBreak.exec(source)) starts.push(m.index + m[0].length);
  return {
    offset(line, column) {
      const start = starts[Math.min(Math.max(line, 1), starts.length) - 1];
      return Math.min(start + Math.max(column, 0), source.length);
    },
  };
}
