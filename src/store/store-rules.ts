/**
 * The rules every store adapter shares, in one place so that memory, SQLite and Redis cannot
 * drift apart: the dedupe window, how long dead owners are remembered, the timer event's key
 * and shape, where a timer's event goes, and the policy for stored conversations of another
 * format (house style 8).
 */
import type { Conversation } from '../engine/types.js';
import type { Recipient, StoredConversation } from './port.js';

/** How long an inbound key is remembered after it arrived (also after it was handled): 7 days. */
export const DEDUPE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** How often (by the callers' `now`) `addInbound` also forgets keys older than the window. */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;
/**
 * How long an owner's liveness record is kept after its heartbeat lapsed (or it retired):
 * 1 hour, far longer than any lease, so a dead owner's leases stay free until they end by
 * themselves. Then the record is forgotten, and a lease still naming that owner is judged by
 * its `until` alone (as for an owner that never sent a heartbeat).
 */
export const OWNER_MEMORY_MS = 60 * 60 * 1000;
/** The conversation format this code reads and writes (`Conversation['version']`). */
export const CONVERSATION_FORMAT = 1;

/** The dedupe key of a fired timer's inbound event. */
export function timerKey(userId: string, timerId: string): string {
  return `timer:${userId}:${timerId}`;
}

/** The inbound event JSON of a fired timer, in the channel layer's shape. */
export function timerEvent(userId: string, pageId: string, timerId: string, at: number, recipient?: Recipient): unknown {
  return recipient === undefined
    ? { userId, pageId, event: { kind: 'timer', timerId }, timestamp: at }
    : { userId, pageId, recipient, event: { kind: 'timer', timerId }, timestamp: at };
}

/**
 * Policy for stored conversations: one of another format version (older or newer code wrote
 * it) or unreadable JSON is not trusted. It reads as `undefined`, so the engine starts the
 * person afresh; the stored `rev` is kept, so the next commit still compare-and-sets.
 */
export function parseConversation(format: number, json: string): Conversation | undefined {
  if (format !== CONVERSATION_FORMAT) return undefined;
  try {
    const value = JSON.parse(json) as Conversation;
    return value !== null && typeof value === 'object' && value.version === CONVERSATION_FORMAT ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A person's stored conversation as the port answers it: the row's conversation read by
 * `parseConversation`, or none yet (`rev` 0) when there is no row.
 */
export function storedConversation(row: { rev: number; format: number; json: string } | undefined): StoredConversation {
  return row ? { conversation: parseConversation(row.format, row.json), rev: row.rev } : { conversation: undefined, rev: 0 };
}

/** The reply target (`recipient`, as JSON text) of a recorded inbound event, if it carries one. */
export function replyTarget(event: unknown): string | undefined {
  const recipient = (event as { recipient?: unknown } | null)?.recipient;
  return typeof recipient === 'object' && recipient !== null ? JSON.stringify(recipient) : undefined;
}

/** Where a person's timer events go: page id and reply target (JSON text), if known. */
export interface TimerPlace {
  pageId: string;
  recipient?: string;
}

/**
 * A timer's event must reach the same page (and Workplace thread) as the step that set it.
 * `Commit.timers` carries neither, so: the last handled inbound event, else the last reply of
 * the commit, else the person's previous timers, else an empty page id.
 */
export function derivePlace(
  handled: ReadonlyArray<{ pageId: string; event: string }>,
  replies: ReadonlyArray<{ pageId: string; recipient: Recipient }>,
  previous: TimerPlace | undefined,
): TimerPlace {
  const last = handled[handled.length - 1];
  if (last) {
    let event: unknown;
    try {
      event = JSON.parse(last.event);
    } catch {
      // an event that is not JSON carries no reply target
    }
    return { pageId: last.pageId, recipient: replyTarget(event) };
  }
  const reply = replies[replies.length - 1];
  if (reply) return { pageId: reply.pageId, recipient: JSON.stringify(reply.recipient) };
  return previous ? { pageId: previous.pageId, recipient: previous.recipient } : { pageId: '' };
}
