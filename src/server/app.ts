/**
 * The Fastify app: the webhook (handshake and signed deliveries), health, readiness,
 * metrics, and the local page. A thin shell: it hands the events of signed deliveries to the
 * event worker and answers once they are safe (committed or recorded); it never calls the
 * platform itself.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { verifySignature } from '../channel/signature.js';
import { parseDelivery } from '../channel/webhook.js';
import { errorMessage, flowError } from '../errors.js';
import type { InboundRecord, Store } from '../store/port.js';
import type { QueuedEvent } from '../runtime/event-worker.js';
import type { Metrics } from './metrics.js';
import type { Settings } from './settings.js';
import { renderLocalPage, type FlowSummary } from './local-page.js';

export interface AppDeps {
  settings: Readonly<Settings>;
  store: Store;
  metrics: Metrics;
  clock: () => number;
  /** The flows loaded now (for the local page and /readyz). */
  flows: () => FlowSummary[];
  /**
   * Takes the webhook's events (the event worker's `receive`: handled at once where it can,
   * recorded for the worker otherwise); resolves to how many were new once every one is
   * committed or recorded, and rejects when the store failed.
   */
  receive: (records: InboundRecord[]) => Promise<number>;
  logger?: FastifyServerOptions['logger'];
  /** Extra routes (the studio) registered on the app in local mode. */
  plugins?: Array<(app: FastifyInstance) => Promise<void> | void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the webhook's content-type parser once the signature checked out. */
    signatureChecked?: boolean;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { settings, store, metrics, clock } = deps;
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: settings.bodyLimit,
    // Webhook URLs carry the verify token in their query string: never log it.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const flows = deps.flows();
    try {
      await store.ping();
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', reason: 'the store cannot be reached', detail: (err as Error).message });
    }
    if (flows.length === 0) return reply.code(503).send({ status: 'unavailable', reason: 'no flow is loaded' });
    return { status: 'ready', flows: flows.length };
  });

  app.get('/metrics', async (_req, reply) => {
    metrics.flowsLoaded.set(deps.flows().length);
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/webhook', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const mode = q['hub.mode'];
    const token = q['hub.verify_token'];
    const challenge = q['hub.challenge'];
    if (settings.verifyToken && mode === 'subscribe' && typeof token === 'string' && token === settings.verifyToken && typeof challenge === 'string') {
      return reply.code(200).type('text/plain').send(challenge);
    }
    const err = flowError('FLOW_ERR_VERIFY_TOKEN_MISMATCH');
    return reply.code(err.statusCode!).send({ code: err.code, message: err.message });
  });

  // The signed POST lives in its own scope: the only body parser there checks the signature
  // on the raw bytes before anything is parsed, whatever the content type.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: settings.bodyLimit }, (req, raw, done) => {
      const secret = settings.appSecret;
      if (!secret) return done(flowError('FLOW_ERR_WEBHOOK_DISABLED'), undefined);
      const verdict = verifySignature(raw as Buffer, req.headers, secret);
      if (verdict === 'missing') return done(flowError('FLOW_ERR_SIGNATURE_MISSING'), undefined);
      // The sha1 header is only read when the sha256 one is absent (see verifySignature).
      if (verdict !== 'ok') return done(flowError('FLOW_ERR_SIGNATURE_INVALID', req.headers['x-hub-signature-256'] !== undefined ? 'X-Hub-Signature-256' : 'X-Hub-Signature'), undefined);
      req.signatureChecked = true;
      try {
        done(null, JSON.parse((raw as Buffer).toString('utf8')));
      } catch {
        done(flowError('FLOW_ERR_BODY_NOT_JSON', 'unexpected end or character'), undefined);
      }
    });

    scope.post('/webhook', async (req, reply) => {
      if (!req.signatureChecked) {
        // No body at all (so no parser ran): nothing was signed.
        const err = flowError(settings.appSecret ? 'FLOW_ERR_SIGNATURE_MISSING' : 'FLOW_ERR_WEBHOOK_DISABLED');
        return reply.code(err.statusCode!).send({ code: err.code, message: err.message });
      }
      const { events, ignored, problems } = parseDelivery(req.body);
      for (const i of ignored) metrics.webhookEvents.inc({ kind: i.kind });
      // Problems name places in the body ("entry[0].messaging[2]"), never what people wrote.
      for (const problem of problems) req.log.warn({ code: 'FLOW_ERR_WEBHOOK_EVENT_SKIPPED' }, errorMessage('FLOW_ERR_WEBHOOK_EVENT_SKIPPED', problem));
      if (events.length === 0) return reply.code(200).send('EVENT_RECEIVED');
      const now = clock();
      const records: InboundRecord[] = events.map((e) => {
        metrics.webhookEvents.inc({ kind: e.event.kind });
        const queued: QueuedEvent = { userId: e.userId, pageId: e.pageId, recipient: e.recipient, event: e.event, mid: e.mid, timestamp: e.timestamp };
        return { key: e.dedupeKey, userId: e.userId, pageId: e.pageId, receivedAt: now, event: queued };
      });
      let added: number;
      try {
        added = await deps.receive(records);
      } catch (err) {
        const e = flowError('FLOW_ERR_WEBHOOK_NOT_RECORDED', (err as { code?: string }).code ?? 'store error');
        req.log.error({ code: e.code, storeError: (err as Error).message }, e.message);
        return reply.code(503).send({ code: e.code, message: e.message });
      }
      if (added < records.length) metrics.duplicates.inc(records.length - added);
      return reply.code(200).send('EVENT_RECEIVED');
    });
  });

  if (settings.localMode && !deps.plugins?.length) {
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(renderLocalPage(deps.flows())));
  }
  for (const plugin of deps.plugins ?? []) await plugin(app);
  return app;
}
