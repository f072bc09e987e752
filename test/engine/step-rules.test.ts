import { describe, expect, it } from 'vitest';
import { Chat, botFrom, choicesOf, texts } from './helpers.js';
import { FILES } from './fixtures.js';

const bot = botFrom(FILES);

describe('no conversation in progress', () => {
  it('starts the default_flow for a message that matches no keyword', () => {
    const chat = new Chat(bot);
    const out = chat.text('whatever');
    expect(texts(out.messages)).toEqual(['Hi Ana! Pick one.']);
    expect(choicesOf(out.messages)).toEqual(['Survey', 'Ask', 'Tea']);
    expect(out.notes).toContain('trigger:default_flow');
    expect(chat.state).toBe('start');
  });

  it('starts the flow whose keyword is the whole message, ignoring case and spaces', () => {
    const chat = new Chat(bot);
    expect(texts(chat.text('  SURVEY ').messages)).toEqual(['How many?']);
    expect(chat.conversation?.flowId).toBe('survey');
  });

  it('does not match a keyword inside a longer message', () => {
    const chat = new Chat(bot);
    chat.text('I want the survey');
    expect(chat.conversation?.flowId).toBe('menu');
  });

  it('says fallback when there is no default_flow and no keyword matches', () => {
    const b = botFrom({ 'bot.yaml': 'default_language: en\nmessages: { fallback: Nope. }', 'a.yaml': FILES['menu.yaml'], 'b.yaml': FILES['survey.yaml'] });
    const chat = new Chat(b);
    expect(texts(chat.text('hi there').messages)).toEqual(['Nope.']);
    expect(chat.conversation?.status).toBe('ended');
  });
});

describe('payloads', () => {
  it('follows a choice of the current state (flow: jump keeps variables, vars defaults fill unset ones)', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    chat.tap('Tea');
    expect(texts(chat.last.messages)).toEqual(['One tea.']);
    expect(chat.conversation?.status).toBe('ended');

    chat.text('hello');
    const out = chat.tap('Survey');
    expect(texts(out.messages)).toEqual(['How many?']);
    expect(out.notes).toContain('flow_jump:menu->survey');
    expect(chat.conversation?.vars).toEqual({ n: 0, origin: 'survey' });
  });

  it('uses the explicit payload when given and a generated FS1 payload otherwise', () => {
    const chat = new Chat(bot);
    const out = chat.text('hello');
    const last = out.messages[0]!;
    expect(last.kind === 'text' && last.quick_replies?.map((q) => q.payload)).toEqual(['FS1:menu:start:0', 'FS1:menu:start:1', 'TEA']);
    expect(chat.conversation?.offered).toEqual(['FS1:menu:start:0', 'FS1:menu:start:1', 'TEA']);
  });

  it('starts the flow of a trigger postback even mid-conversation, without the old variables', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    chat.tap('Ask');
    chat.text('Bob');
    chat.text('hello');
    chat.tap('Ask');
    const out = chat.send({ kind: 'postback', payload: 'SURVEY', title: 'Survey' });
    expect(texts(out.messages)).toEqual(['How many?']);
    expect(out.notes).toContain('trigger:postback');
  });

  it('starts flows from get_started and the persistent menu (generated FS1:start payload)', () => {
    const chat = new Chat(bot);
    chat.text('survey');
    expect(texts(chat.send({ kind: 'postback', payload: 'GET_STARTED' }).messages)).toEqual(['Hi Ana! Pick one.']);
    expect(texts(chat.send({ kind: 'postback', payload: 'FS1:start:survey' }).messages)).toEqual(['How many?']);
  });

  it('answers a stale tap with stale_choice and the current prompt again', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    chat.tap('Ask');
    const out = chat.send({ kind: 'quick_reply', payload: 'FS1:menu:start:2', title: 'Tea' });
    expect(texts(out.messages)).toEqual(['Old button.', 'What is your name?']);
    expect(out.notes).toContain('stale_choice');
    expect(chat.state).toBe('ask_name');
  });

  it('treats a payload offered by any loaded flow as stale, even never offered to this person', () => {
    const chat = new Chat(bot);
    chat.text('survey');
    const out = chat.send({ kind: 'quick_reply', payload: 'TEA', title: 'Tea' });
    expect(texts(out.messages)).toEqual(['Old button.', 'How many?']);
  });

  it('handles a payload nobody offered as the typed title', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    const out = chat.send({ kind: 'quick_reply', payload: 'SOMETHING_ELSE', title: 'ask' });
    expect(texts(out.messages)).toEqual(['What is your name?']);
    expect(out.notes).toContain('unknown_payload');
  });
});

describe('typed text', () => {
  it('takes text equal to a choice title (trimmed, any case) as that choice', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    expect(texts(chat.text('  tEa ').messages)).toEqual(['One tea.']);
  });

  it('matches a title in any of its languages', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    expect(texts(chat.text('sondage').messages)).toEqual(['How many?']);
  });

  it('says fallback and the current prompt again for text that matches nothing', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    const out = chat.text('what?');
    expect(texts(out.messages)).toEqual(['Sorry?', 'Hi Ana! Pick one.']);
    expect(choicesOf(out.messages)).toEqual(['Survey', 'Ask', 'Tea']);
  });

  it('handles an attachment as text that matches nothing', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    expect(texts(chat.send({ kind: 'attachment', attachmentType: 'image' }).messages)).toEqual(['Sorry?', 'Hi Ana! Pick one.']);
    chat.tap('Ask');
    expect(texts(chat.send({ kind: 'attachment', attachmentType: 'sticker' }).messages)).toEqual(['Could you say a bit more? At least 2 characters, please.']);
  });

  it('does not start a keyword flow while a conversation is in progress', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    const out = chat.text('poll');
    expect(chat.conversation?.flowId).toBe('menu');
    expect(texts(out.messages)).toEqual(['Sorry?', 'Hi Ana! Pick one.']);
  });
});

describe('ask', () => {
  it('validates, saves and goes next; conditions see the saved answer', () => {
    const chat = new Chat(bot);
    chat.text('survey');
    expect(texts(chat.text('4').messages)).toEqual(['Many (4).']);
    chat.text('survey');
    expect(texts(chat.text('1,5').messages)).toEqual(['Few (1.5, survey).']);
  });

  it('says the retry, then follows on_fail after the last allowed invalid answer (default 3)', () => {
    const chat = new Chat(bot);
    chat.text('survey');
    expect(texts(chat.text('ten').messages)).toEqual(['Please write a number between 1 and 5, for example 12 or 1.5.']);
    expect(texts(chat.text('9').messages)).toHaveLength(1);
    expect(chat.conversation?.attempts).toBe(2);
    const out = chat.text('99');
    expect(texts(out.messages)).toEqual(['Never mind.']);
    expect(out.notes).toContain('ask_failed');
  });

  it('says gave_up and ends without on_fail; attempts count afresh on each entry', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    chat.tap('Ask');
    chat.text('x');
    expect(chat.conversation?.attempts).toBe(1);
    const out = chat.text('y');
    expect(texts(out.messages)).toEqual(['Giving up.']);
    expect(chat.conversation?.status).toBe('ended');
    expect(chat.conversation?.vars).toEqual({});
    chat.text('hello');
    chat.tap('Ask');
    expect(chat.conversation?.attempts).toBe(0);
    expect(texts(chat.text('Bob').messages)).toEqual(['Nice to meet you, Bob.']);
  });
});

describe('commands', () => {
  it('restart starts the current flow again and keeps no variables', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    chat.tap('Survey');
    chat.conversation!.vars.extra = 'x';
    const out = chat.text('Start Over');
    expect(texts(out.messages)).toEqual(['How many?']);
    expect(chat.conversation?.vars).toEqual({ n: 0, origin: 'survey' });
    expect(out.notes).toContain('command:restart');
  });

  it('restart with no conversation starts the default flow', () => {
    const chat = new Chat(bot);
    expect(texts(chat.text('restart').messages)).toEqual(['Hi Ana! Pick one.']);
  });

  it('cancel ends the conversation with cancelled, also while an ask waits', () => {
    const chat = new Chat(bot);
    chat.text('survey');
    expect(texts(chat.text('STOP').messages)).toEqual(['Cancelled.']);
    expect(chat.conversation?.status).toBe('ended');
    expect(texts(chat.text('cancel').messages)).toEqual(['Cancelled.']);
  });

  it('help says help and the current prompt again; with no conversation just help', () => {
    const chat = new Chat(bot);
    expect(texts(chat.text('help').messages)).toEqual(['Help text.']);
    chat.text('hello');
    const out = chat.text('Help');
    expect(texts(out.messages)).toEqual(['Help text.', 'Hi Ana! Pick one.']);
    expect(choicesOf(out.messages)).toEqual(['Survey', 'Ask', 'Tea']);
  });

  it('runs a command from its payload', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    expect(texts(chat.send({ kind: 'postback', payload: 'FS1:cmd:cancel' }).messages)).toEqual(['Cancelled.']);
    chat.text('hello');
    expect(texts(chat.send({ kind: 'postback', payload: 'HELP' }).messages)).toEqual(['Help text.', 'Hi Ana! Pick one.']);
  });
});

describe('end, expiry and stored conversations', () => {
  it('ends after an end state; the next message starts afresh', () => {
    const chat = new Chat(bot);
    chat.text('hello');
    chat.tap('Tea');
    expect(chat.conversation?.status).toBe('ended');
    expect(chat.last.timers).toEqual([]);
    expect(texts(chat.text('Tea').messages)).toEqual(['Hi Ana! Pick one.']);
  });

  it('expires an idle conversation: the message is handled as with none in progress', () => {
    const chat = new Chat(bot);
    chat.text('survey');
    chat.conversation!.vars.kept = 1;
    const out = chat.text('4', 31 * 60_000);
    expect(out.notes).toContain('session_expired');
    expect(texts(out.messages)).toEqual(['Hi Ana! Pick one.']);
    expect(chat.conversation?.vars).toEqual({});
  });

  it('continues a conversation idle for less than session_timeout', () => {
    const chat = new Chat(bot);
    chat.text('survey');
    expect(texts(chat.text('4', 29 * 60_000).messages)).toEqual(['Many (4).']);
  });

  it('treats a stored conversation of an unknown version as none', () => {
    const chat = new Chat(bot);
    chat.text('survey');
    (chat.conversation as unknown as { version: number }).version = 2;
    const out = chat.text('4');
    expect(out.notes).toContain('conversation_version_unknown');
    expect(texts(out.messages)).toEqual(['Hi Ana! Pick one.']);
  });
});

describe('languages', () => {
  it('picks the text of user.locale (fr_FR -> fr), else the default language', () => {
    const fr = new Chat(bot, { id: 'u2', first_name: 'Léa', locale: 'fr_FR' });
    const out = fr.text('bonjour');
    expect(texts(out.messages)).toEqual(['Salut Léa ! Choisissez.']);
    expect(choicesOf(out.messages)).toEqual(['Sondage', 'Ask', 'Tea']);
    expect(texts(fr.text('??').messages)[0]).toBe('Pardon ?');
    const de = new Chat(bot, { id: 'u3', first_name: 'Jo', locale: 'de_DE' });
    expect(texts(de.text('x').messages)).toEqual(['Hi Jo! Pick one.']);
    const none = new Chat(bot, { id: 'u4' });
    expect(texts(none.text('x').messages)).toEqual(['Hi ! Pick one.']);
  });

  it('writes dates the way of the text\'s language: with the person\'s region, or the language the text fell back to', () => {
    const dates = botFrom({
      'bot.yaml': 'default_flow: d\nlanguages: [en, fr]',
      'd.yaml': [
        'vars: { day: "2026-12-01", amount: 1234.5 }',
        'start: show',
        'states:',
        '  show:',
        '    say: { en: "On {{date day \'short\'}}, {{number amount 2}}.", fr: "Le {{date day \'short\'}}, {{number amount 2}}." }',
        '    end: true',
        '',
      ].join('\n'),
    });
    const say = (locale: string) => texts(new Chat(dates, { id: locale, locale }).text('hi').messages)[0];
    expect(say('en_GB')).toBe('On 01/12/2026, 1,234.50.');
    expect(say('en_US')).toBe('On 12/1/2026, 1,234.50.');
    expect(say('fr_FR')).toMatch(/^Le 01\/12\/2026, 1\s234,50\.$/);
    // German is not among the texts: the English text, with English dates and numbers.
    expect(say('de_DE')).toBe('On 12/1/2026, 1,234.50.');
  });

  it('gives default retry messages in French', () => {
    const fr = new Chat(bot, { id: 'u2', locale: 'fr_FR' });
    fr.text('survey');
    expect(texts(fr.text('dix').messages)).toEqual(["Merci d'écrire un nombre entre 1 et 5, par exemple 12 ou 1,5."]);
  });

  it('writes the example of a date the way the person\'s locale reads dates (month first in the US)', () => {
    const dates = botFrom({
      'bot.yaml': 'default_flow: d',
      'd.yaml': 'start: when\nstates:\n  when:\n    say: When?\n    ask: { save: day, type: date }\n    next: done\n  done:\n    say: "On {{day}}."\n    end: true\n',
    });
    const us = new Chat(dates, { id: 'u5', locale: 'en_US' });
    us.text('hi');
    const retry = texts(us.text('someday').messages)[0]!;
    expect(retry).toBe('Please write a date, for example 12/31/2026 or 2026-12-31.');
    // The example itself is an answer the bot takes.
    expect(texts(us.text('12/31/2026').messages)).toEqual(['On 2026-12-31.']);
    const gb = new Chat(dates, { id: 'u6', locale: 'en_GB' });
    gb.text('hi');
    expect(texts(gb.text('someday').messages)[0]).toBe('Please write a date, for example 31/12/2026 or 2026-12-31.');
    expect(texts(gb.text('31/12/2026').messages)).toEqual(['On 2026-12-31.']);
  });
});
