/**
 * `npm start` / `flow serve`: reads the settings, loads and checks the flows, opens the store,
 * starts the workers and the web server, and stops all of it gracefully on SIGTERM/SIGINT.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { checkProjectDir } from '../language/validate.js';
import { compileBot, createEngine, type Engine } from '../engine/index.js';
import { createGotHttp } from '../http/got-http.js';
import { openStore } from '../store/open-store.js';
import { createSendApi } from '../channel/send-api.js';
import { createProfileClient } from '../channel/profile.js';
import { createOutboxWorker } from '../delivery/outbox-worker.js';
import { createTimerWorker } from '../delivery/timer-worker.js';
import { createRateLimiter } from '../delivery/rate-limiter.js';
import { createRetryPolicy } from '../delivery/retry-policy.js';
import { createEventWorker } from '../runtime/event-worker.js';
import { formatPretty } from '../diagnostics/format-pretty.js';
import type { Project } from '../language/project.js';
import { buildApp } from './app.js';
import { createMetrics } from './metrics.js';
import { SettingsError, loadDotEnv, loadSettings, type Settings } from './settings.js';
import type { FlowSummary } from './local-page.js';
import type { Store } from '../store/port.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Loads and compiles the bot; exits the start with the diagnostics when a flow is wrong. */
export function loadBot(settings: Readonly<Settings>): { project: Project; engine: Engine; summaries: FlowSummary[] } {
  const { project, diagnostics } = checkProjectDir(settings.flowsDir);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const text = formatPretty(diagnostics, { files: project.flows.length, color: false, sourceText: (file) => { try { return readFileSync(file, 'utf8'); } catch { return undefined; } } });
    throw new SettingsError('FLOWS_DIR', `the flows in ${relative(process.cwd(), settings.flowsDir) || '.'} have ${errors.length} error(s); fix them (run: npx flow validate ${settings.flowsDir}):\n${text}`);
  }
  const engine = createEngine(compileBot(project, { env: settings.env }));
  const summaries = project.flows.map((f) => ({
    id: f.id,
    title: typeof f.flow?.title === 'string' ? f.flow.title : f.flow?.title ? Object.values(f.flow.title)[0] : undefined,
    description: typeof f.flow?.description === 'string' ? f.flow.description : f.flow?.description ? Object.values(f.flow.description)[0] : undefined,
    states: Object.keys(f.flow?.states ?? {}).length,
  }));
  return { project, engine, summaries };
}

/** Starts everything; resolves once the server listens. */
export async function startServer(env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const settings = loadSettings(env);
  const bot = loadBot(settings);
  const clock = (): number => Date.now();
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let store: Store | undefined;
  const metrics = createMetrics(() => store);
  store = await openStore(settings.storeUrl);
  const openedStore = store;

  const loggerOptions = {
    level: settings.logLevel,
    redact: { paths: ['req.headers["x-hub-signature"]', 'req.headers["x-hub-signature-256"]', 'req.headers.authorization', '*.accessToken', '*.appSecret', '*.access_token'], censor: '[redacted]' },
  };
  let onEvents: (ids: string[]) => void = () => undefined;
  const app = await buildApp({
    settings,
    store: openedStore,
    metrics,
    clock,
    flows: () => bot.summaries,
    onEvents: (ids) => onEvents(ids),
    logger: loggerOptions,
  });
  const log = app.log;

  const stoppers: Array<() => Promise<void>> = [];
  if (!settings.localMode) {
    const api = { graphApiUrl: settings.graphApiUrl, apiVersion: settings.graphApiVersion, accessToken: settings.accessToken!, appSecret: settings.appSecret! };
    const sendApi = createSendApi({ ...api, platform: settings.platform, connections: 64, clock });
    const profiles = createProfileClient(api);
    const outbox = createOutboxWorker({
      store: openedStore,
      sendApi,
      owner,
      clock,
      rateLimiter: createRateLimiter({ perSecond: settings.sendRate }),
      retryPolicy: createRetryPolicy(),
      logger: log,
      metrics: {
        sent: () => metrics.sent.inc(),
        failed: (code: string) => metrics.sendFailures.inc({ code }),
        retried: () => metrics.sendRetries.inc(),
        dropped: () => metrics.sendDropped.inc(),
      },
    });
    const events = createEventWorker({
      store: openedStore,
      getEngine: () => bot.engine,
      http: createGotHttp(),
      profiles,
      clock,
      owner,
      concurrency: settings.workers,
      onCommitted: () => outbox.kick(),
      log,
      metrics: {
        handled: (kind, ms) => {
          metrics.eventsHandled.inc({ kind });
          metrics.processingSeconds.observe({ kind }, ms / 1000);
        },
        note: (note) => metrics.engineNotes.inc({ note: note.split(':')[0]! }),
        commitFailed: (reason) => metrics.commitFailures.inc({ reason }),
      },
    });
    const timers = createTimerWorker({ store: openedStore, clock, onFired: () => events.kick() });
    onEvents = (ids) => events.kick(ids);
    outbox.start();
    events.start();
    timers.start();
    stoppers.push(() => timers.stop(), () => events.stop(), () => outbox.stop(), async () => sendApi.close());
  }

  const address = await app.listen({ port: settings.port, host: settings.host });
  if (settings.localMode) {
    log.info({ url: address, flows: bot.summaries.length }, `Local mode: no ACCESS_TOKEN is set, so nothing is sent to a chat platform. Open ${address}/ to see the loaded flows.`);
  } else {
    log.info({ url: address, platform: settings.platform, flows: bot.summaries.length }, `Flowstate is listening for ${settings.platform} webhooks at ${address}/webhook`);
  }

  let closing: Promise<void> | undefined;
  return {
    url: address,
    close() {
      closing ??= (async () => {
        await app.close();
        for (const stop of stoppers) await stop().catch((err) => log.error({ err: { message: (err as Error).message } }, 'stopping a worker failed'));
        await openedStore.close();
      })();
      return closing;
    },
  };
}

/** The process entry: starts, and exits cleanly on signals; a bad setting exits with code 1. */
export async function runServer(env: NodeJS.ProcessEnv): Promise<void> {
  let server: RunningServer;
  try {
    loadDotEnv(env);
    server = await startServer(env);
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`Flowstate cannot start. ${err.message}\n`);
      process.exitCode = 1;
      return;
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
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  runServer(process.env).catch((err) => {
    process.stderr.write(`Flowstate stopped on an internal error: ${(err as Error).stack ?? err}\n`);
    process.exit(3);
  });
}
