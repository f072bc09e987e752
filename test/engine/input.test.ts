import { describe, expect, it } from 'vitest';
import type { CompiledAsk } from '../../src/compile/types.js';
import { checkAnswer, parseDate, parseNumber } from '../../src/engine/input.js';
import { Chat, botFrom, texts } from './helpers.js';

const ask = (over: Partial<CompiledAsk>): CompiledAsk => ({ save: 'x', type: 'text', attempts: 3, ...over });
const ok = (value: unknown) => ({ ok: true, value });
const bad = { ok: false };

describe('input types', () => {
  it('text: trimmed, min_length and max_length in code points, empty refused', () => {
    expect(checkAnswer(ask({ minLength: 3, maxLength: 5 }), '  abc ', 'en_GB')).toEqual(ok('abc'));
    expect(checkAnswer(ask({ minLength: 3 }), 'ab', 'en_GB')).toEqual(bad);
    expect(checkAnswer(ask({ maxLength: 2 }), '😀😀', 'en_GB')).toEqual(ok('😀😀'));
    expect(checkAnswer(ask({ maxLength: 2 }), 'abc', 'en_GB')).toEqual(bad);
    expect(checkAnswer(ask({}), '   ', 'en_GB')).toEqual(bad);
    expect(checkAnswer(ask({}), undefined, 'en_GB')).toEqual(bad);
  });

  it('number: accepts 1,5 and 1.5, signs, spaces as thousands separators; min and max', () => {
    expect(parseNumber('1,5')).toBe(1.5);
    expect(parseNumber('1.5')).toBe(1.5);
    expect(parseNumber('-3')).toBe(-3);
    expect(parseNumber('1 000')).toBe(1000);
    expect(parseNumber('1,5,6')).toBeUndefined();
    expect(parseNumber('abc')).toBeUndefined();
    expect(checkAnswer(ask({ type: 'number', min: 1, max: 5 }), '4,5', 'fr_FR')).toEqual(ok(4.5));
    expect(checkAnswer(ask({ type: 'number', min: 1, max: 5 }), '5.5', 'en_US')).toEqual(bad);
    expect(checkAnswer(ask({ type: 'number', min: 1 }), '0', 'en_US')).toEqual(bad);
  });

  it('integer: whole numbers only, stored as numbers', () => {
    expect(checkAnswer(ask({ type: 'integer' }), '12', 'en')).toEqual(ok(12));
    expect(checkAnswer(ask({ type: 'integer' }), '1,5', 'en')).toEqual(bad);
    expect(checkAnswer(ask({ type: 'integer', max: 10 }), '11', 'en')).toEqual(bad);
  });

  it('email, phone, url', () => {
    expect(checkAnswer(ask({ type: 'email' }), ' ana@example.com ', 'en')).toEqual(ok('ana@example.com'));
    expect(checkAnswer(ask({ type: 'email' }), 'ana@example', 'en')).toEqual(bad);
    expect(checkAnswer(ask({ type: 'phone' }), '+33 6 12-34.56 78', 'en')).toEqual(ok('+33612345678'));
    expect(checkAnswer(ask({ type: 'phone' }), '12', 'en')).toEqual(bad);
    expect(checkAnswer(ask({ type: 'url' }), 'https://example.com/x', 'en')).toEqual(ok('https://example.com/x'));
    expect(checkAnswer(ask({ type: 'url' }), 'example.com', 'en')).toEqual(ok('https://example.com'));
    expect(checkAnswer(ask({ type: 'url' }), 'not a url', 'en')).toEqual(bad);
    expect(checkAnswer(ask({ type: 'url' }), 'ftp://example.com', 'en')).toEqual(bad);
  });

  it('date: ISO, and 1/12/2026 read per locale (d/m/y, m/d/y for en_US), stored as YYYY-MM-DD', () => {
    expect(parseDate('2026-12-01', 'en_US')).toBe('2026-12-01');
    expect(parseDate('1/12/2026', 'fr_FR')).toBe('2026-12-01');
    expect(parseDate('1/12/2026', 'en_GB')).toBe('2026-12-01');
    expect(parseDate('1/12/2026', 'en_US')).toBe('2026-01-12');
    expect(parseDate('1/12/2026', undefined)).toBe('2026-12-01');
    expect(parseDate('31.12.26', 'de_DE')).toBe('2026-12-31');
    expect(parseDate('31/02/2026', 'fr_FR')).toBeUndefined();
    expect(parseDate('2026-13-01', 'fr_FR')).toBeUndefined();
    expect(parseDate('tomorrow', 'en_US')).toBeUndefined();
    expect(checkAnswer(ask({ type: 'date' }), '29/02/2028', 'fr_FR')).toEqual(ok('2028-02-29'));
  });

  it('yes_no: yes/no/y/n/oui/non/si/ja/nein..., stored as booleans', () => {
    for (const w of ['yes', 'Y', 'oui', 'Si', 'ja', 'OK']) expect(checkAnswer(ask({ type: 'yes_no' }), w, 'en')).toEqual(ok(true));
    for (const w of ['no', 'N', 'non', 'nein', 'Nope.']) expect(checkAnswer(ask({ type: 'yes_no' }), w, 'en')).toEqual(ok(false));
    expect(checkAnswer(ask({ type: 'yes_no' }), 'maybe', 'en')).toEqual(bad);
  });

  it('pattern: the whole answer must match', () => {
    const a = ask({ type: 'pattern', pattern: /^(?:[A-Z]{2}-\d{3})$/u });
    expect(checkAnswer(a, 'AB-123', 'en')).toEqual(ok('AB-123'));
    expect(checkAnswer(a, 'xAB-123', 'en')).toEqual(bad);
  });

  it('pattern: min_length and max_length apply too', () => {
    const a = ask({ type: 'pattern', pattern: /^(?:[A-Z]+)$/u, minLength: 3, maxLength: 4 });
    expect(checkAnswer(a, 'ABC', 'en')).toEqual(ok('ABC'));
    expect(checkAnswer(a, 'AB', 'en')).toEqual(bad);
    expect(checkAnswer(a, 'ABCDE', 'en')).toEqual(bad);
  });
});

describe('input types through the engine', () => {
  const flow = (type: string, extra = '') => `
states:
  q:
    say: Answer?
    ask: { save: a, type: ${type}${extra} }
    next: show
  show:
    say: "Got {{a}}"
    end: true
`;
  const run = (type: string, answer: string, locale: string, extra = '') => {
    const chat = new Chat(botFrom({ 'f.yaml': flow(type, extra) }), { id: 'u', locale });
    chat.text('start');
    const out = chat.text(answer);
    return { out: texts(out.messages), vars: chat.last.notes.includes('answer') ? 'saved' : 'refused' };
  };

  it('stores a date typed as 1/12/2026 per the locale', () => {
    expect(run('date', '1/12/2026', 'fr_FR').out).toEqual(['Got 2026-12-01']);
    expect(run('date', '1/12/2026', 'en_US').out).toEqual(['Got 2026-01-12']);
  });

  it('stores 1,5 as the number 1.5', () => {
    const chat = new Chat(botFrom({ 'f.yaml': flow('number').replace('say: "Got {{a}}"', 'say: "Got {{a}}"') }), { id: 'u', locale: 'fr_FR' });
    chat.text('go');
    chat.text('1,5');
    expect(texts(chat.last.messages)[0]).toMatch(/^Got 1[.,]5$/);
  });

  it('says the default retry message of each type', () => {
    expect(run('email', 'nope', 'en_GB').out).toEqual(['Please write an email address, for example name@example.com.']);
    expect(run('yes_no', 'peut-être', 'fr_FR').out).toEqual(['Merci de répondre par oui ou par non.']);
    expect(run('integer', 'x', 'en_GB', ', min: 1, max: 9').out).toEqual(['Please write a whole number between 1 and 9, for example 12.']);
  });

  it('stores yes_no answers as booleans usable in conditions', () => {
    const b = botFrom({
      'f.yaml': `
states:
  q:
    say: OK?
    ask: { save: ok, type: yes_no }
    next:
      - if: ok
        goto: yes
      - goto: no
  yes: { say: Yes!, end: true }
  no: { say: No!, end: true }
`,
    });
    const chat = new Chat(b);
    chat.text('hi');
    expect(texts(chat.text('oui').messages)).toEqual(['Yes!']);
    chat.text('hi');
    expect(texts(chat.text('n').messages)).toEqual(['No!']);
  });
});
