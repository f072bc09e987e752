import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

const other = yaml`
  states:
    s: { say: Other, end: true }
`;

describe('unknown-flow', () => {
  it('accepts flows of the folder, by file name or by id', () => {
    expect(check('unknown-flow', {
      'main.yaml': yaml`
        states:
          a:
            say: Where?
            quick_replies: [{ title: Other, flow: other }, { title: Named, flow: named }]
      `,
      'other.yaml': other,
      'x.yaml': `id: named\n${other}`,
    })).toEqual([]);
  });

  it('reports an unknown flow with the closest id', () => {
    const d = check('unknown-flow', {
      'main.yaml': yaml`
        states:
          a:
            say: Where?
            next: [{ flow: othr }]
      `,
      'other.yaml': other,
    });
    expect(at(d)).toEqual(['4:20']);
    expect(d[0]!.suggestion).toBe('other');
    expect(d[0]!.message).toContain('The flows are "main" and "other"');
  });
});
