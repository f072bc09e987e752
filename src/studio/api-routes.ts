/**
 * The studio's JSON API (under /studio/api): flows, diagnostics, a person's state and chat,
 * new people, starting a flow, sending a message, and the event stream.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { InboundEvent, Profile } from '../engine/types.js';
import type { QueuedEvent } from '../runtime/event-worker.js';
import type { InboundRecord } from '../store/port.js';
import type { StudioEvents } from './event-stream.js';
import { flowStart, noStartReason } from './flow-start.js';
import { checkEvent, checkProfile, checkUser } from './input.js';
import type { StudioPeople } from './people.js';
import type { StudioDeps } from './plugin.js';
import type { Transcripts } from './transcript.js';
import { flowItems, loadView, stateView } from './views.js';

/** The page id studio events are recorded under. */
export const STUDIO_PAGE = 'studio';

export interface ApiContext {
  deps: StudioDeps;
  people: StudioPeople;
  transcripts: Transcripts;
  events: StudioEvents;
  /** True when the event worker reads profiles from `people` (see the plugin's docs). */
  profilesApplied: boolean;
}

function bad(reply: FastifyReply, code: number, error: string): FastifyReply {
  return reply.code(code).send({ error });
}

function describePerson(p: Profile): string {
  const name = p.name ?? ([p.first_name, p.last_name].filter(Boolean).join(' ') || 'a person without a name');
  return p.locale ? `${name} (${p.locale})` : name;
}

/** Registers the API routes on `app` (already guarded by the plugin when a token is required). */
export function registerApi(app: FastifyInstance, ctx: ApiContext): void {
  const { deps, people, transcripts, events } = ctx;
  const { holder, store, clock } = deps;
  const boot = randomBytes(3).toString('hex');
  let counter = 0;

  async function submit(userId: string, event: InboundEvent): Promise<void> {
    const now = clock();
    const queued: QueuedEvent = { userId, pageId: STUDIO_PAGE, recipient: { id: userId }, event, timestamp: now };
    const record: InboundRecord = { key: `studio:${userId}:${boot}.${++counter}`, userId, pageId: STUDIO_PAGE, receivedAt: now, event: queued };
    await deps.submit([record]);
  }

  async function submitOr503(reply: FastifyReply, userId: string, event: InboundEvent): Promise<boolean> {
    try {
      await submit(userId, event);
      return true;
    } catch (err) {
      bad(reply, 503, `The message could not be recorded (${(err as Error).message}). The store may be unavailable: check the server's log, then try again.`);
      return false;
    }
  }

  app.get('/studio/api/flows', async () => {
    const version = holder.version;
    const settings = version.engine.bot.settings;
    return {
      generation: version.generation,
      flows: flowItems(version, holder.flowsDir),
      defaultFlow: settings.default_flow,
      languages: settings.languages,
      defaultLanguage: settings.default_language,
      profilesApplied: ctx.profilesApplied,
    };
  });

  app.get('/studio/api/diagnostics', async () => ({ generation: holder.version.generation, ...loadView(holder.lastLoad, holder.flowsDir) }));

  app.get('/studio/api/state', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const user = q.user === undefined ? undefined : checkUser(q.user);
    if (user && !user.ok) return bad(reply, 400, user.error);
    const stored = user ? (await store.getConversation(user.value)).conversation : undefined;
    const view = stateView(holder.version, stored, typeof q.flow === 'string' ? q.flow : undefined);
    return { ...view, profile: user ? (people.profileOf(user.value) ?? stored?.profile ?? { id: user.value }) : undefined };
  });

  app.get('/studio/api/transcript', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const user = checkUser(q.user);
    if (!user.ok) return bad(reply, 400, user.error);
    return { entries: transcripts.since(user.value, Number(q.after) || 0) };
  });

  app.post('/studio/api/person', async (req, reply) => {
    const profile = checkProfile((req.body as Record<string, unknown> | undefined)?.profile);
    if (!profile.ok) return bad(reply, 400, profile.error);
    const person = people.create(profile.value);
    transcripts.add({ userId: person.userId, at: clock(), from: 'note', text: `New conversation as ${describePerson(person.profile)}. Write something, as a colleague would.` });
    return reply.code(201).send({ user: person.userId, profile: person.profile });
  });

  app.post('/studio/api/start', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const profile = checkProfile(body.profile);
    if (!profile.ok) return bad(reply, 400, profile.error);
    const bot = holder.version.engine.bot;
    const flowId = body.flow;
    if (typeof flowId !== 'string' || !bot.flows.has(flowId)) {
      return bad(reply, 404, `No flow ${JSON.stringify(flowId ?? null)} is loaded. The loaded flows are: ${bot.flowIds.join(', ')}.`);
    }
    const start = flowStart(bot, flowId);
    if (!start) return bad(reply, 409, noStartReason(flowId));
    const person = people.create(profile.value);
    const at = clock();
    transcripts.add({ userId: person.userId, at, from: 'note', text: `New conversation as ${describePerson(person.profile)}: "${flowId}" started by ${start.how}.` });
    if (start.event.kind === 'text') transcripts.add({ userId: person.userId, at, from: 'person', event: start.event });
    if (!(await submitOr503(reply, person.userId, start.event))) return reply;
    return reply.code(201).send({ user: person.userId, profile: person.profile, how: start.how });
  });

  app.post('/studio/api/send', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = checkUser(body.user);
    if (!user.ok) return bad(reply, 400, user.error);
    const event = checkEvent(body.event);
    if (!event.ok) return bad(reply, 400, event.error);
    const entry = transcripts.add({ userId: user.value, at: clock(), from: 'person', event: event.value });
    if (!(await submitOr503(reply, user.value, event.value))) return reply;
    return reply.code(202).send({ seq: entry.seq });
  });

  app.get('/studio/api/events', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const user = checkUser(q.user);
    if (!user.ok) return bad(reply, 400, user.error);
    const last = Number(req.headers['last-event-id'] ?? q.after ?? 0);
    events.open(reply, user.value, Number.isFinite(last) ? last : 0);
    return reply;
  });
}
