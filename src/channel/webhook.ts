/**
 * Turns a webhook POST body into platform-neutral events (messenger-protocol.md §2).
 *
 * `parseDelivery` is total: whatever JSON it is given (wrong types, missing fields, huge
 * arrays, `__proto__` keys, numbers where strings are expected) it returns the events it
 * could read, what it ignored on purpose (echoes, receipts, mentions...), and plain-words
 * notes on what it could not read. It never throws and never mutates its input.
 */
import { createHash } from 'node:crypto';
import type { InboundEvent } from '../engine/types.js';
import type { Recipient } from '../store/port.js';
import { asId, asString, get, getObject, isObject, toEpochMs, type Json } from './json-fields.js';

export { toEpochMs };

/** The platform a delivery came from, as far as the body tells. */
export type WebhookPlatform = 'messenger' | 'workplace' | 'instagram';

/** One person's event, ready to be recorded with `Store.addInbound`. */
export interface NormalizedEvent {
  /** The person (PSID, IGSID or Workplace user id). */
  userId: string;
  /** The Page / bot / IG account the event was sent to (`entry.id`). */
  pageId: string;
  /** Where replies go: the Workplace group thread when the event came from one, else the person. */
  recipient: Recipient;
  event: InboundEvent;
  /** The platform's message id (`message.mid`, `postback.mid` since Graph v11). */
  mid?: string;
  /** Epoch milliseconds (seconds are converted); 0 when the delivery carried no time at all. */
  timestamp: number;
  /** `mid:<mid>`, else `h:<hash of page, sender, timestamp, kind and payload/text>`. */
  dedupeKey: string;
  /** `workplace` when the sender carries a `community`, `instagram` for that object, else `messenger`. */
  platform: WebhookPlatform;
  /** Workplace `sender.community.id` (the tenant), when present. */
  communityId?: string;
}

/** What `parseDelivery` found. */
export interface ParsedDelivery {
  events: NormalizedEvent[];
  /** Events deliberately not handled, one item each, by kind (`echo`, `read`, `change:mention`...). */
  ignored: Array<{ kind: string }>;
  /** Parts that could not be read, in plain words with their place in the body. */
  problems: string[];
}

/** Kinds of messaging events that are acknowledged but not handled. */
const IGNORED_KEYS = [
  'read',
  'delivery',
  'messaging_seen',
  'reaction',
  'optin',
  'referral',
  'account_linking',
  'policy_enforcement',
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'app_roles',
  'game_play',
] as const;

function ignoredKind(event: Json): string {
  for (const key of IGNORED_KEYS) if (Object.hasOwn(event, key)) return key === 'messaging_seen' ? 'read' : key;
  return 'unknown';
}

function readMessage(message: Json): { event?: InboundEvent; ignore?: string } {
  const text = asString(get(message, 'text'));
  const quickReply = getObject(message, 'quick_reply');
  const qrPayload = quickReply ? asString(get(quickReply, 'payload')) : undefined;
  if (qrPayload !== undefined) return { event: { kind: 'quick_reply', payload: qrPayload, title: text ?? '' } };
  if (text !== undefined) return { event: { kind: 'text', text } };
  const attachments = get(message, 'attachments');
  if (Array.isArray(attachments) && attachments.length > 0) {
    const first = attachments[0];
    const type = asString(get(first, 'type')) ?? 'unknown';
    const url = asString(get(getObject(first, 'payload'), 'url'));
    const event: InboundEvent = url === undefined ? { kind: 'attachment', attachmentType: type } : { kind: 'attachment', attachmentType: type, url };
    return { event };
  }
  if (get(message, 'is_deleted') === true) return { ignore: 'message-deleted' };
  return { ignore: 'message-empty' };
}

function readPostback(postback: Json): { event?: InboundEvent; ignore?: string } {
  const payload = asString(get(postback, 'payload'));
  if (payload === undefined) return { ignore: 'postback-empty' };
  const title = asString(get(postback, 'title'));
  return { event: title === undefined ? { kind: 'postback', payload } : { kind: 'postback', payload, title } };
}

/** A Workplace group thread, wherever the event carries it (the inbound shape is unconfirmed: §2.6). */
function threadKey(event: Json): string | undefined {
  const candidates = [
    get(event, 'thread_key'),
    get(getObject(event, 'recipient'), 'thread_key'),
    get(getObject(event, 'thread'), 'thread_key'),
    get(getObject(event, 'thread'), 'id'),
    get(getObject(event, 'message'), 'thread_key'),
  ];
  for (const candidate of candidates) {
    const id = asId(candidate);
    if (id !== undefined) return id.startsWith('t_') ? id : `t_${id}`;
  }
  return undefined;
}

function fingerprint(event: InboundEvent): string {
  switch (event.kind) {
    case 'text':
      return event.text;
    case 'quick_reply':
    case 'postback':
      return event.payload;
    case 'attachment':
      return `${event.attachmentType}:${event.url ?? ''}`;
    default:
      return '';
  }
}

function dedupeKey(mid: string | undefined, pageId: string, userId: string, timestamp: number, event: InboundEvent): string {
  if (mid !== undefined) return `mid:${mid}`;
  const hash = createHash('sha256')
    .update(JSON.stringify([pageId, userId, timestamp, event.kind, fingerprint(event)]))
    .digest('hex');
  return `h:${hash.slice(0, 40)}`;
}

interface EntryContext {
  object: string;
  pageId: string;
  entryTime: number | undefined;
  out: ParsedDelivery;
}

function readMessagingEvent(raw: unknown, where: string, ctx: EntryContext): void {
  const { out } = ctx;
  if (!isObject(raw)) {
    out.problems.push(`${where}: the event is not a JSON object; it was skipped.`);
    return;
  }
  const message = getObject(raw, 'message');
  const postback = getObject(raw, 'postback');
  if (message && get(message, 'is_echo') === true) {
    out.ignored.push({ kind: 'echo' });
    return;
  }
  let read: { event?: InboundEvent; ignore?: string };
  if (message) read = readMessage(message);
  else if (postback) read = readPostback(postback);
  else read = { ignore: ignoredKind(raw) };
  if (read.event === undefined) {
    out.ignored.push({ kind: read.ignore ?? 'unknown' });
    return;
  }
  const sender = getObject(raw, 'sender');
  const userId = asId(get(sender, 'id'));
  if (userId === undefined) {
    out.ignored.push({ kind: 'no-sender' });
    return;
  }
  const communityId = asId(get(getObject(sender, 'community'), 'id'));
  const mid = asId(get(message ?? postback, 'mid'));
  const timestamp = toEpochMs(get(raw, 'timestamp')) ?? ctx.entryTime ?? 0;
  const thread = threadKey(raw);
  const platform: WebhookPlatform = ctx.object === 'instagram' ? 'instagram' : communityId !== undefined ? 'workplace' : 'messenger';
  const normalized: NormalizedEvent = {
    userId,
    pageId: ctx.pageId,
    // Both: Workplace replies into the thread, Messenger (which has no threads) to the person.
    recipient: thread !== undefined ? { id: userId, thread_key: thread } : { id: userId },
    event: read.event,
    timestamp,
    dedupeKey: dedupeKey(mid, ctx.pageId, userId, timestamp, read.event),
    platform,
  };
  if (mid !== undefined) normalized.mid = mid;
  if (communityId !== undefined) normalized.communityId = communityId;
  out.events.push(normalized);
}

function readEntry(entry: unknown, where: string, object: string, out: ParsedDelivery): void {
  if (!isObject(entry)) {
    out.problems.push(`${where}: the entry is not a JSON object; it was skipped.`);
    return;
  }
  const pageId = asId(get(entry, 'id'));
  const messaging = get(entry, 'messaging');
  const changes = get(entry, 'changes');
  const standby = get(entry, 'standby');
  if (Array.isArray(standby)) for (let i = 0; i < standby.length; i++) out.ignored.push({ kind: 'standby' });
  if (Array.isArray(changes)) {
    for (const change of changes) {
      const field = asString(get(change, 'field'));
      out.ignored.push({ kind: `change:${field ?? 'unknown'}` });
    }
  }
  if (messaging === undefined) {
    if (!Array.isArray(changes) && !Array.isArray(standby)) {
      out.problems.push(`${where}: the entry has no "messaging" list; nothing in it was read.`);
    }
    return;
  }
  if (!Array.isArray(messaging)) {
    out.problems.push(`${where}.messaging: expected a list of events; it was skipped.`);
    return;
  }
  if (pageId === undefined) {
    if (messaging.length > 0) out.problems.push(`${where}: the entry has no page "id"; its ${messaging.length} event(s) were skipped.`);
    return;
  }
  const ctx: EntryContext = { object, pageId, entryTime: toEpochMs(get(entry, 'time')), out };
  for (let i = 0; i < messaging.length; i++) readMessagingEvent(messaging[i], `${where}.messaging[${i}]`, ctx);
}

/**
 * Reads every entry and every event of a (possibly batched) webhook delivery.
 *
 * Handled: text, quick reply taps (payload + title), postbacks (payload + title, Get Started
 * included), attachments (first one: type + url). Ignored and counted by kind: echoes, read
 * and delivery receipts, events without a sender, `changes[]` items (`change:mention`...),
 * `standby[]` events, other objects (`object:group`...). Workplace `sender.community` and a
 * group `thread_key` (replies then go to the thread) are kept.
 */
export function parseDelivery(body: unknown): ParsedDelivery {
  const out: ParsedDelivery = { events: [], ignored: [], problems: [] };
  if (!isObject(body)) {
    out.problems.push('The delivery is not a JSON object with "object" and "entry"; nothing was read.');
    return out;
  }
  const object = asString(get(body, 'object')) ?? '';
  const entries = get(body, 'entry');
  if (object !== 'page' && object !== 'instagram') {
    if (object === '') out.problems.push('The delivery has no "object" field (expected "page" or "instagram"); nothing was read.');
    else out.ignored.push({ kind: `object:${object.slice(0, 40)}` });
    return out;
  }
  if (!Array.isArray(entries)) {
    out.problems.push('The delivery has no "entry" list; nothing was read.');
    return out;
  }
  for (let i = 0; i < entries.length; i++) readEntry(entries[i], `entry[${i}]`, object, out);
  return out;
}
