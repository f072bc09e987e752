import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('title-too-long', () => {
  it('accepts 20 characters, counting code points and leaving out {{...}}', () => {
    expect(check('title-too-long', yaml`
      states:
        a:
          say: Pick
          quick_replies:
            - { title: "12345678901234567890", goto: a }
            - { title: "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", goto: a }
            - { title: "Hi {{user.first_name}} and more", goto: a }
    `)).toEqual([]);
  });

  it('reports a title over 20 characters, in each language of a map', () => {
    const d = check('title-too-long', yaml`
      states:
        a:
          say: Pick
          buttons:
            - title: { en: Short, fr: "Un titre bien trop long ici" }
              goto: a
            - title: "123456789012345678901"
              goto: a
    `);
    expect(at(d)).toEqual(['5:33', '7:16']);
    expect(d[0]!.message).toContain('(language "fr")');
    expect(d[1]!.message).toContain('21 characters');
  });
});
