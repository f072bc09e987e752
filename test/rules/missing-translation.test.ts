import { describe, expect, it } from 'vitest';
import { check, yaml } from './helpers.js';

const flow = yaml`
  title: { en: Helpdesk }
  states:
    a:
      say: [Plain text is fine, { en: Hello, fr: Bonjour }, { en: Only English }]
      quick_replies: [{ title: { fr: Oui }, goto: a }]
`;

describe('missing-translation', () => {
  it('checks nothing when bot.yaml lists no languages', () => {
    expect(check('missing-translation', flow)).toEqual([]);
  });

  it('warns at each text map missing a listed language', () => {
    const d = check('missing-translation', { 'main.yaml': flow, 'bot.yaml': 'languages: [en, fr]\nmessages:\n  help: { en: Help }\n' });
    expect(d.map((x) => `${x.file}:${x.line}:${x.column}`)).toEqual(['flows/main.yaml:1:1', 'flows/main.yaml:4:59', 'flows/main.yaml:5:23', 'flows/bot.yaml:3:3']);
    expect(d[0]!.message).toContain('has no "fr" version');
    expect(d[3]!.message).toContain('bot message "help"');
    expect(d.every((x) => x.severity === 'warning')).toBe(true);
  });
});
