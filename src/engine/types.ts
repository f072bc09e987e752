/**
 * The engine's vocabulary: what comes in (a person's event), what is kept (the
 * conversation), and what goes out (messages, timers, HTTP calls). Everything here is plain
 * JSON-serialisable data, independent of any chat platform, store or web framework.
 */
import type { Text } from '../language/model.js';

/** The person's work profile, as far as the platform gave it (empty strings otherwise). */
export interface Profile {
  id: string;
  name?: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  title?: string;
  department?: string;
  /** e.g. `fr_FR`. */
  locale?: string;
}

/** One inbound event from a person (or from the engine's own machinery: timers, calls). */
export type InboundEvent =
  | { kind: 'text'; text: string }
  | { kind: 'quick_reply'; payload: string; title: string }
  | { kind: 'postback'; payload: string; title?: string }
  | { kind: 'attachment'; attachmentType: string; url?: string }
  /** A timer set by an earlier step fired. */
  | { kind: 'timer'; timerId: string }
  /** The answer to a `call` the previous step asked for. */
  | { kind: 'call_result'; callId: string; status: number; body?: unknown; error?: string };

/** A button or quick reply as sent. */
export type OutButton = { type: 'postback'; title: string; payload: string } | { type: 'web_url'; title: string; url: string };

/** A platform-neutral outgoing message, already within the platform limits. */
export type OutMessage =
  | { kind: 'text'; text: string; quick_replies?: Array<{ title: string; payload: string }> }
  /** A button template; `quick_replies` when the state also has quick replies (the platform allows both). */
  | { kind: 'buttons'; text: string; buttons: OutButton[]; quick_replies?: Array<{ title: string; payload: string }> }
  | { kind: 'image'; url: string };

/** A timer to keep pending for this person; the full set after a step replaces the previous one. */
export interface TimerSpec {
  id: string;
  /** Epoch milliseconds when it fires. */
  at: number;
}

/** An HTTP request a `call` state asks the runtime to make; the answer comes back as a `call_result` event. */
export interface CallRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs: number;
  /** Derived from the conversation and the event, so a redelivered event does not repeat a side effect. */
  idempotencyKey: string;
}

/** What is stored per person. Versioned: a stored conversation of another `version` is not trusted. */
export interface Conversation {
  version: 1;
  userId: string;
  /** `active` while a flow is in progress; `ended` after `end`, cancel, gave_up, or an error. */
  status: 'active' | 'ended';
  flowId?: string;
  /** The content hash of the flow version the conversation was last in. */
  flowHash?: string;
  state?: string;
  /** Incremented each time a state is entered; timers and payloads of older visits are stale. */
  visit: number;
  vars: Record<string, unknown>;
  /** Invalid answers so far in the current `ask` state. */
  attempts: number;
  /** Epoch ms of the last inbound event handled. */
  lastActivity: number;
  /** Payloads offered earlier in this conversation (bounded), to recognise stale taps. */
  offered: string[];
  /** The call this conversation is waiting for, if any. */
  pendingCall?: string;
  /** The profile as last looked up (cached so that a failing lookup does not block replies). */
  profile?: Profile;
  /** The last text the person typed (`{{input}}` in templates). */
  input?: string;
  /** Epoch ms from which the current state's `after` timers count: its entry or the person's last message, whichever is later. */
  waitingSince?: number;
  /** How many of the current state's timers (in firing order) already fired since `waitingSince`. */
  timersFired?: number;
  /** Person events received while a `call` was pending, handled after its result (at most 5 kept). */
  deferred?: Array<{ event: InboundEvent; eventId: string; now: number }>;
}

export interface StepInput {
  conversation: Conversation | undefined;
  event: InboundEvent;
  profile: Profile;
  /** Epoch milliseconds (an injected clock: never Date.now() in the core). */
  now: number;
  /** A stable id of the inbound event (e.g. the platform's `mid`), used for idempotency keys. */
  eventId: string;
}

export interface StepOutput {
  conversation: Conversation;
  messages: OutMessage[];
  /** Timers that must be pending after this step (replaces the previous set). */
  timers: TimerSpec[];
  /** HTTP calls to make; their results come back as `call_result` events. */
  calls: CallRequest[];
  /** What happened, for logs and metrics (never message texts). */
  notes: string[];
}

export type { Text };
