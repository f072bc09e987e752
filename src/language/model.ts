/**
 * The shapes of the files authors write, as plain data after YAML parsing and schema
 * validation. `schemas/*.schema.json` is the single source of truth for these shapes; these
 * types mirror them for the code.
 */

/** A text a person reads: the same in every language, or a map from language code to text. */
export type Text = string | { [language: string]: string };

export type InputType = 'text' | 'number' | 'integer' | 'email' | 'phone' | 'date' | 'yes_no' | 'url' | 'pattern';

/** A quick reply or a button. A button may instead open a web page (`url`). */
export interface Choice {
  title: Text;
  goto?: string;
  flow?: string;
  payload?: string;
  set?: Record<string, unknown>;
  url?: string;
}

export interface Ask {
  save: string;
  type?: InputType;
  pattern?: string;
  min?: number;
  max?: number;
  min_length?: number;
  max_length?: number;
  retry?: Text;
  attempts?: number;
  on_fail?: string;
}

export interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** A duration such as `10s`; default 10s. */
  timeout?: string;
  save?: string;
  on_error?: string;
}

export interface Branch {
  if?: string;
  goto?: string;
  flow?: string;
}

export interface Timer {
  after: string;
  say?: Text | Text[];
  goto?: string;
}

export interface State {
  say?: Text | Text[];
  quick_replies?: Choice[];
  buttons?: Choice[];
  ask?: Ask;
  set?: Record<string, unknown>;
  call?: Call;
  next?: string | Branch[];
  end?: boolean;
  after?: Timer[];
  image?: string;
}

export interface Flow {
  id?: string;
  title?: Text;
  description?: Text;
  triggers?: { keywords?: string[]; postbacks?: string[] };
  start?: string;
  vars?: Record<string, unknown>;
  moved?: Record<string, string>;
  states: Record<string, State>;
}

export type MessageKey = 'fallback' | 'stale_choice' | 'cancelled' | 'error' | 'gave_up' | 'flow_changed' | 'help';
export type CommandKey = 'restart' | 'cancel' | 'help';

/** `flows/bot.yaml` as written (every key optional). */
export interface BotFile {
  default_flow?: string;
  session_timeout?: string;
  commands?: Partial<Record<CommandKey, string[]>>;
  messages?: Partial<Record<MessageKey, Text>>;
  default_language?: string;
  languages?: string[];
  get_started?: { payload: string; flow: string };
  persistent_menu?: Array<{ title: Text; flow: string; payload?: string }>;
  env_allow?: string[];
  call_allow?: string[];
}

/** Bot settings with every default applied (see `defaultBotSettings`). */
export interface BotSettings {
  default_flow?: string;
  session_timeout: string;
  /** `session_timeout` in milliseconds. */
  sessionTimeoutMs: number;
  commands: Record<CommandKey, string[]>;
  messages: Record<MessageKey, Text>;
  default_language: string;
  languages: string[];
  get_started?: { payload: string; flow: string };
  persistent_menu: Array<{ title: Text; flow: string; payload?: string }>;
  env_allow: string[];
  call_allow: string[];
}

export const DEFAULT_MESSAGES: Record<MessageKey, string> = {
  fallback: "Sorry, I didn't get that. Please pick one of the options.",
  stale_choice: 'That button is from an earlier step.',
  cancelled: 'OK, cancelled. Write anything to start again.',
  error: 'Something went wrong on our side. Please try again in a moment.',
  gave_up: "Let's stop here. Write anything to start again.",
  flow_changed: "This conversation was updated in the meantime, so let's start this part again.",
  help: 'Tap one of the options, or write cancel to stop.',
};

export const DEFAULT_COMMANDS: Record<CommandKey, string[]> = {
  restart: ['restart', 'start over'],
  cancel: ['cancel', 'stop'],
  help: ['help'],
};

/** Platform limits (Messenger / Workplace Send API). */
export const LIMITS = {
  quickReplies: 13,
  buttons: 3,
  titleChars: 20,
  buttonTextChars: 640,
  textChars: 2000,
  payloadChars: 1000,
} as const;
