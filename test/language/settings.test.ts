import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/language/settings.js';
import { DEFAULT_COMMANDS, DEFAULT_MESSAGES } from '../../src/language/model.js';

describe('resolveSettings', () => {
  it('applies every default when there is no bot.yaml', () => {
    const s = resolveSettings(undefined, ['a', 'b']);
    expect(s.session_timeout).toBe('30m');
    expect(s.sessionTimeoutMs).toBe(30 * 60_000);
    expect(s.commands).toEqual(DEFAULT_COMMANDS);
    expect(s.messages).toEqual(DEFAULT_MESSAGES);
    expect(s.default_language).toBe('en');
    expect(s.languages).toEqual(['en']);
    expect(s.default_flow).toBeUndefined();
    expect(s.get_started).toBeUndefined();
    expect(s.persistent_menu).toEqual([]);
    expect(s.env_allow).toEqual([]);
    expect(s.call_allow).toEqual([]);
  });

  it('makes the only flow the default flow', () => {
    expect(resolveSettings(undefined, ['helpdesk']).default_flow).toBe('helpdesk');
    expect(resolveSettings({}, []).default_flow).toBeUndefined();
    expect(resolveSettings({ default_flow: 'menu' }, ['helpdesk']).default_flow).toBe('menu');
  });

  it('keeps what bot.yaml sets and fills in the rest', () => {
    const s = resolveSettings(
      {
        session_timeout: '1h30m',
        commands: { cancel: ['annuler'] },
        messages: { fallback: { en: 'Eh?', fr: 'Hein ?' } },
        default_language: 'fr',
        env_allow: ['HELPDESK_URL'],
        call_allow: ['helpdesk.example.com'],
        get_started: { payload: 'GET_STARTED', flow: 'menu' },
        persistent_menu: [{ title: 'Menu', flow: 'menu' }],
      },
      ['menu', 'other'],
    );
    expect(s.sessionTimeoutMs).toBe(5_400_000);
    expect(s.commands).toEqual({ restart: DEFAULT_COMMANDS.restart, cancel: ['annuler'], help: DEFAULT_COMMANDS.help });
    expect(s.messages.fallback).toEqual({ en: 'Eh?', fr: 'Hein ?' });
    expect(s.messages.help).toBe(DEFAULT_MESSAGES.help);
    expect(s.default_language).toBe('fr');
    expect(s.languages).toEqual(['fr']);
    expect(s.env_allow).toEqual(['HELPDESK_URL']);
    expect(s.call_allow).toEqual(['helpdesk.example.com']);
    expect(s.get_started).toEqual({ payload: 'GET_STARTED', flow: 'menu' });
    expect(s.persistent_menu).toEqual([{ title: 'Menu', flow: 'menu' }]);
  });

  it('keeps an explicit list of languages and an empty command list (a command turned off)', () => {
    const s = resolveSettings({ languages: ['en', 'fr'], commands: { help: [] } }, []);
    expect(s.languages).toEqual(['en', 'fr']);
    expect(s.commands.help).toEqual([]);
  });

  it('falls back to 30m when session_timeout is not a duration', () => {
    const s = resolveSettings({ session_timeout: 'half an hour' }, []);
    expect(s.session_timeout).toBe('30m');
    expect(s.sessionTimeoutMs).toBe(1_800_000);
  });

  it('returns frozen settings that share nothing with the input', () => {
    const bot = { commands: { cancel: ['stop'] }, languages: ['en'] };
    const s = resolveSettings(bot, []);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.commands.cancel)).toBe(true);
    expect(() => (s.languages as string[]).push('de')).toThrow();
    bot.commands.cancel.push('quit');
    expect(s.commands.cancel).toEqual(['stop']);
    // The shared defaults are not frozen by resolving.
    expect(Object.isFrozen(DEFAULT_COMMANDS.help)).toBe(false);
  });
});
