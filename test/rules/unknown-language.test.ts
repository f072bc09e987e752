import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

const flow = yaml`
  states:
    a: { say: { en: Hello, fr: Bonjour, de: Hallo }, end: true }
`;

describe('unknown-language', () => {
  it('checks nothing when bot.yaml lists no languages', () => {
    expect(check('unknown-language', flow)).toEqual([]);
  });

  it('warns at a language key that bot.yaml does not list', () => {
    const d = check('unknown-language', { 'main.yaml': flow, 'bot.yaml': 'languages: [en, fr]\n' });
    expect(at(d)).toEqual(['2:39']);
    expect(d[0]!.message).toContain('"de"');
  });
});
