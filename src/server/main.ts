/**
 * `npm start` / `flow serve`: reads the settings, loads and checks the flows, opens the store,
 * starts the workers and the web server, and stops all of it gracefully on SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createGuardedHttp } from '../http/guarded-http.js';
import { openStore } from '../store/open-store.js';
import { isStoreError } from '../store/store-error.js';
import { createSendApi } from '../channel/send-api.js';
import { createProfileClient } from '../channel/profile.js';
import { createOutboxWorker } from '../delivery/outbox-worker.js';
import { createTimerWorker } from '../delivery/timer-worker.js';
import { createHeartbeat } from '../delivery/heartbeat.js';
import { newOwnerId } from '../delivery/local-owners.js';
import { createRateLimiter } from '../delivery/rate-limiter.js';
import { createRetryPolicy } from '../delivery/retry-policy.js';
import { createEventWorker } from '../runtime/event-worker.js';
import { formatPretty } from '../diagnostics/format-pretty.js';
import { errorMessage } from '../errors.js';
import { buildApp, type AppDeps } from './app.js';
import { BotHolder } from './bot-holder.js';
import { createLocalChannel } from '../channel/local-channel.js';
import { createMetrics } from './metrics.js';
import { SettingsError, loadDotEnv, loadSettings, type Settings } from './settings.js';
import type { InboundRecord, Store } from '../store/port.js';
import { routeStudioReplies } from '../studio/routing.js';
import type { StudioPeople } from '../studio/people.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Loads the flows; a folder with errors stops the start with the diagnostics. */
export function loadBot(settings: Readonly<Settings>): BotHolder {
  const holder = new BotHolder(settings.flowsDir, settings.env);
  const { ok, diagnostics } = holder.reload();
  if (!ok) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const text = formatPretty(diagnostics, { files: holder.lastLoad.diagnostics.length, color: false, sourceText: (file) => { try { return readFileSync(file, 'utf8'); } catch { return undefined; } } });
    throw new SettingsError('FLOWS_DIR', `the flows in ${relative(process.cwd(), settings.flowsDir) || '.'} have ${errors} error(s). Fix them (check with: npx flow validate ${relative(process.cwd(), settings.flowsDir) || '.'}):\n${text}`);
  }
  return holder;
}

/** Starts everything; resolves once the server listens. */
export async function startServer(env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const settings = loadSettings(env);
  const bot = loadBot(settings);
  const clock = (): number => Date.now();
  const owner = newOwnerId();
  let store: Store | undefined;
  const metrics = createMetrics(() => store);
  store = await openStore(settings.storeUrl);
  const openedStore = store;

  const loggerOptions = {
    level: settings.logLevel,
    redact: { paths: ['req.headers["x-hub-signature"]', 'req.headers["x-hub-signature-256"]', 'req.headers.authorization', '*.accessToken', '*.appSecret', '*.access_token'], censor: '[redacted]' },
  };
  const local = settings.localMode ? createLocalChannel({ clock }) : undefined;
  const api = { graphApiUrl: settings.graphApiUrl, apiVersion: settings.graphApiVersion, accessToken: settings.accessToken ?? '', appSecret: settings.appSecret ?? '' };
  // Failed lookups are logged once the app's logger exists (no lookup runs before that).
  let onProfileError: (userId: string, reason: string) => void = () => undefined;
  const graphProfiles = local ? undefined : createProfileClient({ ...api, platform: settings.platform, onError: (userId, reason) => onProfileError(userId, reason) });
  // The studio runs in local mode, or with STUDIO_TOKEN; its people never reach the platform.
  const studioEnabled = settings.localMode || settings.studioToken !== undefined;
  const studioChannel = studioEnabled ? (local ?? createLocalChannel({ clock })) : undefined;
  const plugins: NonNullable<AppDeps['plugins']> = [];
  let studioPeople: StudioPeople | undefined;
  if (studioChannel) {
    const { registerStudio, createStudioPeople } = await import('../studio/plugin.js');
    const people = createStudioPeople({ fallback: graphProfiles });
    studioPeople = people;
    plugins.push((app) =>
      registerStudio(app, {
        holder: bot,
        store: openedStore,
        channel: studioChannel,
        clock,
        token: settings.studioToken,
        people,
        submit: async (records: InboundRecord[]) => void (await events.receive(records)),
      }),
    );
  }
  const app = await buildApp({
    settings,
    store: openedStore,
    metrics,
    clock,
    flows: () => (bot.loaded ? bot.version.summaries : []),
    receive: (records) => events.receive(records),
    logger: loggerOptions,
    plugins,
  });
  const log = app.log;
  onProfileError = (userId, reason) => log.warn({ code: 'FLOW_ERR_PROFILE_LOOKUP', userId }, errorMessage('FLOW_ERR_PROFILE_LOOKUP', reason));

  const graphSend = local ? undefined : createSendApi({ ...api, platform: settings.platform, connections: 64, clock });
  const sendApi = graphSend ? (studioChannel ? routeStudioReplies(graphSend, studioChannel) : graphSend) : local!;
  const outbox = createOutboxWorker({
    store: openedStore,
    sendApi,
    owner,
    clock,
    rateLimiter: createRateLimiter({ perSecond: settings.sendRate }),
    retryPolicy: createRetryPolicy({ baseMs: settings.retryBaseMs, capMs: settings.retryMaxMs, maxAttempts: settings.retryAttempts }),
    logger: log,
    metrics: {
      sent: () => metrics.sent.inc(),
      failed: (code: string) => metrics.sendFailures.inc({ code }),
      retried: () => metrics.sendRetries.inc(),
      dropped: () => metrics.sendDropped.inc(),
    },
  });
  const timers = createTimerWorker({ store: openedStore, clock, onFired: () => events.kick(), logger: log });
  const events = createEventWorker({
    store: openedStore,
    getEngine: () => bot.version.engine,
    // call_allow is enforced at run time too (a template may build the URL); it follows reloads.
    http: createGuardedHttp({ allow: () => bot.version.project.settings.call_allow }),
    profiles: studioPeople ?? graphProfiles,
    clock,
    owner,
    concurrency: settings.workers,
    // The first reply is claimed while its commit is under way (see onCommitting).
    onCommitting: ({ userId }) => outbox.kick([userId]),
    onCommitted: ({ timers: timerCount }) => {
      if (timerCount > 0) timers.kick();
    },
    log,
    metrics: {
      handled: (kind, ms) => {
        metrics.eventsHandled.inc({ kind });
        metrics.processingSeconds.observe({ kind }, ms / 1000);
      },
      note: (note) => metrics.engineNotes.inc({ note: note.split(':')[0]! }),
      commitFailed: (reason) => metrics.commitFailures.inc({ reason }),
      queued: (reason) => metrics.eventsQueued.inc({ reason }),
    },
  });
  // Beats before the workers claim anything, so that if this process dies, the others take
  // over its work once its heartbeat lapses (10 s), not when its leases end (30-60 s). The
  // first beat also frees what a process of this machine that died held (a crash before this
  // restart), and every beat does so for the processes of this machine that die later.
  const heartbeat = createHeartbeat({ store: openedStore, owner, clock, logger: log });
  await heartbeat.start();
  outbox.start();
  events.start();
  timers.start();
  if (settings.localMode) bot.watch();
  bot.on('reload', (outcome: { ok: boolean; diagnostics: unknown[] }) => {
    if (outcome.ok) log.info({ flows: bot.version.summaries.length }, 'flows reloaded');
    else log.warn({ problems: outcome.diagnostics.length }, 'the flows have errors after an edit; the last good version keeps running');
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      bot.close();
      await app.close();
      // The heartbeat stops last: retiring the owner frees whatever the workers still hold.
      for (const stop of [() => timers.stop(), () => events.stop(), () => outbox.stop(), () => sendApi.close(), () => graphProfiles?.close() ?? Promise.resolve(), () => heartbeat.stop()]) {
        await stop().catch((err: unknown) => log.error({ err: { message: (err as Error).message } }, 'stopping a worker failed'));
      }
      await openedStore.close();
    })();
    return closing;
  };

  let address: string;
  try {
    address = await app.listen({ port: settings.port, host: settings.host });
  } catch (err) {
    const problem = listenProblem(err, settings);
    if (!problem) throw err;
    await close();
    throw problem;
  }
  if (settings.localMode) {
    log.info({ url: address, flows: bot.version.summaries.length }, `Local mode: no ACCESS_TOKEN is set, so nothing is sent to a chat platform. Open ${address}/ to try your flows in the studio.`);
  } else {
    log.info({ url: address, platform: settings.platform, flows: bot.version.summaries.length }, `Flowstate is listening for ${settings.platform} webhooks at ${address}/webhook`);
  }
  return { url: address, close };
}

/** A setting to fix when the server cannot listen (port taken, privileged port, unknown address), or undefined. */
function listenProblem(err: unknown, settings: Readonly<Settings>): SettingsError | undefined {
  const where = `${settings.host}:${settings.port}`;
  switch ((err as { code?: unknown } | null)?.code) {
    case 'EADDRINUSE':
      return new SettingsError('PORT', `port ${settings.port} is already in use on ${settings.host} (another program, or another Flowstate, listens there). Stop that program, or choose a free port with PORT.`);
    case 'EACCES':
      return new SettingsError('PORT', `this user may not listen on ${where} (ports below 1024 need administrator rights). Use a port of 1024 or above, such as 3000, behind a reverse proxy.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new SettingsError('HOST', `"${settings.host}" is not an address of this machine. Use 127.0.0.1 (this machine only) or 0.0.0.0 (every network interface).`);
    default:
      return undefined;
  }
}

/** The process entry: starts, and exits cleanly on signals; a bad setting exits with code 1. */
/**
 * Starts the server and stops it on SIGTERM or SIGINT. Resolves to false when it could not
 * start for a reason the admin can fix (a setting, the store): the message is on stderr and
 * `process.exitCode` is 1.
 */
export async function runServer(env: NodeJS.ProcessEnv): Promise<boolean> {
  let server: RunningServer;
  try {
    loadDotEnv(env);
    server = await startServer(env);
  } catch (err) {
    // A store that cannot be opened (read-only, full, locked, unreachable) is a setup problem
    // to fix, not an internal error: its message names the store and what to do.
    if (err instanceof SettingsError || isStoreError(err)) {
      process.stderr.write(`Flowstate cannot start. ${err.message}\n`);
      process.exitCode = 1;
      return false;
    }
    throw err;
  }
  let signals = 0;
  const stop = (signal: string): void => {
    signals++;
    if (signals > 1) process.exit(1);
    process.stderr.write(`Received ${signal}: finishing the work in progress, then stopping.\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return true;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  runServer(process.env).catch((err) => {
    process.stderr.write(`Flowstate stopped on an internal error: ${(err as Error).stack ?? err}\n`);
    process.exit(3);
  });
}
