/**
 * Bot settings with every default applied. `flows/bot.yaml` is optional and every key in it
 * is optional; this is the one place the defaults of the spec live (house style 12:
 * configuration validated once, then frozen).
 */
import { DEFAULT_COMMANDS, DEFAULT_MESSAGES, type BotFile, type BotSettings, type CommandKey, type MessageKey } from './model.js';
import { parseDuration } from './duration.js';

/** `session_timeout` when `bot.yaml` does not set it. */
export const DEFAULT_SESSION_TIMEOUT = '30m';
/** `default_language` when `bot.yaml` does not set it. */
export const DEFAULT_LANGUAGE = 'en';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/**
 * Applies the defaults of the spec to `bot.yaml` as written (`undefined` when the folder has
 * none, or when it is broken: then every default applies):
 * - `session_timeout`: `30m` (also when the written value is not a valid duration; the schema
 *   reports that one);
 * - `commands`: each of `restart`, `cancel`, `help` not given keeps its default words
 *   (`DEFAULT_COMMANDS`); a given list replaces the default for that command;
 * - `messages`: each entry not given keeps its English default (`DEFAULT_MESSAGES`);
 * - `default_language`: `en`; `languages`: `[default_language]`;
 * - `default_flow`: the only flow when `flowIds` holds exactly one, else none;
 * - `persistent_menu`, `env_allow`, `call_allow`: empty lists.
 * The result is deeply frozen and shares nothing with `botFile`.
 */
export function resolveSettings(botFile: BotFile | undefined, flowIds: readonly string[]): BotSettings {
  const bot = botFile ?? {};
  const timeoutText = bot.session_timeout !== undefined && parseDuration(bot.session_timeout) !== undefined ? bot.session_timeout : DEFAULT_SESSION_TIMEOUT;
  const commands = {} as Record<CommandKey, string[]>;
  for (const key of Object.keys(DEFAULT_COMMANDS) as CommandKey[]) {
    commands[key] = [...(bot.commands?.[key] ?? DEFAULT_COMMANDS[key])];
  }
  const messages = {} as BotSettings['messages'];
  for (const key of Object.keys(DEFAULT_MESSAGES) as MessageKey[]) {
    const given = bot.messages?.[key];
    messages[key] = given === undefined ? DEFAULT_MESSAGES[key] : typeof given === 'string' ? given : { ...given };
  }
  const defaultLanguage = bot.default_language ?? DEFAULT_LANGUAGE;
  const settings: BotSettings = {
    session_timeout: timeoutText,
    sessionTimeoutMs: parseDuration(timeoutText)!,
    commands,
    messages,
    default_language: defaultLanguage,
    languages: bot.languages && bot.languages.length > 0 ? [...bot.languages] : [defaultLanguage],
    persistent_menu: (bot.persistent_menu ?? []).map((e) => ({ ...e, title: typeof e.title === 'string' ? e.title : { ...e.title } })),
    env_allow: [...(bot.env_allow ?? [])],
    call_allow: [...(bot.call_allow ?? [])],
  };
  const defaultFlow = bot.default_flow ?? (flowIds.length === 1 ? flowIds[0] : undefined);
  if (defaultFlow !== undefined) settings.default_flow = defaultFlow;
  if (bot.get_started) settings.get_started = { ...bot.get_started };
  return deepFreeze(settings);
}
