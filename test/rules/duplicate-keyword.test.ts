import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

const flow = (keywords: string) => `triggers: { keywords: [${keywords}] }\nstates:\n  a: { say: A, end: true }\n`;

describe('duplicate-keyword', () => {
  it('accepts distinct keywords', () => {
    expect(check('duplicate-keyword', { 'a.yaml': flow('laptop'), 'b.yaml': flow('room') })).toEqual([]);
  });

  it('warns on the flow whose id sorts last, ignoring capitals', () => {
    const d = check('duplicate-keyword', { 'b.yaml': flow('Laptop'), 'a.yaml': flow('laptop, phone') });
    expect(d.map((x) => `${x.file}:${x.line}:${x.column}`)).toEqual(['flows/b.yaml:1:24']);
    expect(d[0]!.message).toContain('the flow "a" (flows/a.yaml:1)');
    expect(d[0]!.severity).toBe('warning');
  });
});
