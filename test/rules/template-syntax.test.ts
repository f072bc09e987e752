import { describe, expect, it } from 'vitest';
import { check, yaml } from './helpers.js';

describe('template-syntax', () => {
  it('accepts valid templates', () => {
    expect(check('template-syntax', yaml`
      vars: { x: 1 }
      states:
        a: { say: "{{#if x}}yes{{else}}no{{/if}} {{x}}", end: true }
    `)).toEqual([]);
  });

  it('reports an unclosed tag inside the string', () => {
    const d = check('template-syntax', yaml`
      vars: { x: 1 }
      states:
        a: { say: "Hi {{x", end: true }
    `);
    expect(d).toHaveLength(1);
    expect(d[0]!.line).toBe(3);
    expect(d[0]!.column).toBeGreaterThanOrEqual(14);
    expect(d[0]!.message).toContain('Template error in state "a": ');
  });

  it('positions an error inside a block scalar on its own line', () => {
    const d = check('template-syntax', yaml`
      vars: { x: 1 }
      states:
        a:
          say: |
            First line
            {{#if x}}unclosed
          end: true
    `);
    expect(d).toHaveLength(1);
    expect(d[0]!.line).toBeGreaterThanOrEqual(6);
  });
});
