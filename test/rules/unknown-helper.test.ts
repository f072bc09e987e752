import { describe, expect, it } from 'vitest';
import { check, yaml } from './helpers.js';

describe('unknown-helper', () => {
  it('accepts documented helpers', () => {
    expect(check('unknown-helper', yaml`
      vars: { d: "2026-01-01", n: 2 }
      states:
        a: { say: "{{upper user.first_name}} {{date d 'long'}} {{#if (gt n 1)}}many{{/if}}", end: true }
    `)).toEqual([]);
  });

  it('reports an unknown helper at its name with a suggestion', () => {
    const d = check('unknown-helper', yaml`
      states:
        a: { say: "{{uppr user.first_name}}", end: true }
    `);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 2, column: 16, suggestion: 'upper' });
    expect(d[0]!.message).toContain('"uppr" is not a helper');
  });
});
