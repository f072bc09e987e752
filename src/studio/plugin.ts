/**
 * The authoring studio: at `/`, a chat that looks like Workplace Chat / Messenger next to the
 * flow's diagram (current state highlighted), the conversation's variables, and the
 * diagnostics of the last edit. It talks to the real engine through the same pipeline as the
 * webhook: messages go to `submit` (the event worker's `receive`, as the webhook's events
 * do), replies come back through the local channel. See docs/studio.md.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { LocalChannel } from '../channel/local-channel.js';
import type { InboundRecord, Store } from '../store/port.js';
import { registerApi } from './api-routes.js';
import type { LoadOutcome, StudioBot } from './bot-source.js';
import { requireToken } from './auth.js';
import { StudioEvents } from './event-stream.js';
import { createStudioPeople, type StudioPeople } from './people.js';
import { loadAssets, mermaidPath, staticDir } from './static-files.js';
import { Transcripts } from './transcript.js';

export { createStudioPeople, type StudioPeople, type ProfileSource } from './people.js';
export { routeStudioReplies } from './routing.js';

export interface StudioDeps {
  /** The bot being served (the server's BotHolder). */
  holder: StudioBot;
  store: Store;
  /** Where the replies to studio people arrive. */
  channel: LocalChannel;
  clock: () => number;
  /** Outside local mode: every studio route needs this token (header or cookie), else 401. */
  token?: string;
  /** Hands events over exactly like the webhook does (the event worker's `receive`). */
  submit(records: InboundRecord[]): Promise<void>;
  /**
   * The studio's people, shared with the event worker (its `profiles` option) so the profile
   * typed in "Another person" reaches the engine. Without it, people have only their id.
   */
  people?: StudioPeople;
}

/** Milliseconds to wait after a reply before telling the browser to fetch the state (replies come in bursts). */
const CHANGED_DELAY_MS = 25;

/** Registers the studio's page, files and API on `app`. */
export async function registerStudio(app: FastifyInstance, deps: StudioDeps): Promise<void> {
  const assets = loadAssets(staticDir());
  const mermaid = mermaidPath();
  const transcripts = new Transcripts();
  const events = new StudioEvents(transcripts);
  const people = deps.people ?? createStudioPeople();
  const pendingChanged = new Map<string, NodeJS.Timeout>();

  const stopChannel = deps.channel.subscribe((d) => {
    transcripts.add({ userId: d.userId, at: d.at, from: 'bot', message: d.message });
  });
  const stopTranscripts = transcripts.subscribe((entry) => {
    events.entry(entry);
    if (entry.from !== 'bot' || pendingChanged.has(entry.userId)) return;
    const timer = setTimeout(() => {
      pendingChanged.delete(entry.userId);
      events.send('changed', { user: entry.userId }, entry.userId);
    }, CHANGED_DELAY_MS);
    pendingChanged.set(entry.userId, timer);
  });
  const onReload = (outcome: LoadOutcome): void => {
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error').length;
    events.send('reload', { ok: outcome.ok, generation: deps.holder.loaded ? deps.holder.version.generation : 0, errors, warnings: outcome.diagnostics.length - errors });
  };
  deps.holder.on('reload', onReload);

  app.addHook('preClose', async () => {
    events.close();
  });
  app.addHook('onClose', async () => {
    stopChannel();
    stopTranscripts();
    deps.holder.off('reload', onReload);
    for (const t of pendingChanged.values()) clearTimeout(t);
  });

  await app.register(async (scope) => {
    if (deps.token !== undefined) scope.addHook('onRequest', requireToken(deps.token));

    const page = assets.get('index.html');
    if (!page) throw new Error(`the studio page index.html is missing from ${staticDir()}`);
    scope.get('/', async (_req, reply) => reply.type(page.type).header('cache-control', 'no-store').send(page.body));
    scope.get('/studio', async (_req, reply) => reply.redirect('/', 302));

    scope.get('/studio/static/*', async (req, reply) => {
      const asset = assets.get((req.params as { '*': string })['*']);
      if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('No such studio file.');
      return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
    });

    scope.get('/studio/vendor/mermaid.min.js', async (_req, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(createReadStream(mermaid)),
    );

    registerApi(scope, { deps, people, transcripts, events, profilesApplied: deps.people !== undefined });
  });
}
