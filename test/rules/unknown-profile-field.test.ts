import { describe, expect, it } from 'vitest';
import { check, yaml } from './helpers.js';

describe('unknown-profile-field', () => {
  it('accepts profile fields', () => {
    expect(check('unknown-profile-field', 'states:\n  a: { say: "{{user.first_name}} {{user.department}} {{user.locale}}", end: true }\n')).toEqual([]);
  });

  it('reports an unknown field, listing the fields', () => {
    const d = check('unknown-profile-field', yaml`
      states:
        a: { say: "Hi {{user.firstname}}", next: b }
        b: { say: B, next: [{ if: user.phone == "1", goto: a }, { goto: a }] }
    `);
    expect(d).toHaveLength(2);
    expect(d[0]).toMatchObject({ line: 2, column: 19, suggestion: 'user.first_name' });
    expect(d[0]!.message).toContain('"department", "email", "first_name"');
  });
});
