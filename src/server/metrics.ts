/**
 * Prometheus metrics (prom-client, a registry of our own). Names are prefixed `flowstate_`.
 * No label ever carries a message text, a user id or a secret.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/port.js';

export interface Metrics {
  registry: Registry;
  webhookEvents: Counter<'kind'>;
  eventsHandled: Counter<'kind'>;
  processingSeconds: Histogram<'kind'>;
  duplicates: Counter;
  eventsQueued: Counter<'reason'>;
  engineNotes: Counter<'note'>;
  commitFailures: Counter<'reason'>;
  sent: Counter;
  sendFailures: Counter<'code'>;
  sendRetries: Counter;
  sendDropped: Counter;
  flowsLoaded: Gauge;
  outboxDepth: Gauge;
  inboxDepth: Gauge;
  timersPending: Gauge;
}

export function createMetrics(getStore: () => Store | undefined): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'flowstate_process_' });
  const stats = async (): Promise<{ inbound: number; outbox: number; timers: number } | undefined> => {
    try {
      return await getStore()?.stats();
    } catch {
      return undefined;
    }
  };
  return {
    registry,
    webhookEvents: new Counter({ name: 'flowstate_webhook_events_total', help: 'Webhook events received, by kind (text, quick_reply, postback, attachment, echo, read, delivery, ...).', labelNames: ['kind'], registers: [registry] }),
    eventsHandled: new Counter({ name: 'flowstate_events_handled_total', help: 'Events handled by the engine, by kind.', labelNames: ['kind'], registers: [registry] }),
    processingSeconds: new Histogram({ name: 'flowstate_event_processing_seconds', help: 'Time to handle one event in the engine (calls included).', labelNames: ['kind'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5], registers: [registry] }),
    duplicates: new Counter({ name: 'flowstate_webhook_duplicates_total', help: 'Webhook events dropped because they were already received.', registers: [registry] }),
    eventsQueued: new Counter({ name: 'flowstate_events_queued_total', help: 'Webhook events queued for the event worker instead of handled at once, by reason: profile (the lookup took longer than 1 s), call (the step makes an HTTP call), step_failed, busy (earlier events of the person wait, another worker holds them, or their conversation changed).', labelNames: ['reason'], registers: [registry] }),
    engineNotes: new Counter({ name: 'flowstate_engine_notes_total', help: 'Notable engine outcomes (stale taps, flow changes, expired sessions, ...).', labelNames: ['note'], registers: [registry] }),
    commitFailures: new Counter({ name: 'flowstate_commit_failures_total', help: 'Conversation writes refused (conflict or lost lease); the events are processed again.', labelNames: ['reason'], registers: [registry] }),
    sent: new Counter({ name: 'flowstate_send_total', help: 'Replies accepted by the Send API.', registers: [registry] }),
    sendFailures: new Counter({ name: 'flowstate_send_failures_total', help: 'Send API failures, by Graph error code (or HTTP status / "network").', labelNames: ['code'], registers: [registry] }),
    sendRetries: new Counter({ name: 'flowstate_send_retries_total', help: 'Replies scheduled for another attempt.', registers: [registry] }),
    sendDropped: new Counter({ name: 'flowstate_send_dropped_total', help: 'Replies dropped unsent (a permanent error, or retries exhausted); the failure codes are in flowstate_send_failures_total.', registers: [registry] }),
    flowsLoaded: new Gauge({ name: 'flowstate_flows_loaded', help: 'Flows currently loaded.', registers: [registry] }),
    outboxDepth: new Gauge({ name: 'flowstate_outbox_depth', help: 'Replies waiting to be sent.', registers: [registry], async collect() { const s = await stats(); if (s) this.set(s.outbox); } }),
    inboxDepth: new Gauge({ name: 'flowstate_inbox_depth', help: 'Received events waiting to be processed.', registers: [registry], async collect() { const s = await stats(); if (s) this.set(s.inbound); } }),
    timersPending: new Gauge({ name: 'flowstate_timers_pending', help: 'Conversation timers (reminders, time-outs) pending.', registers: [registry], async collect() { const s = await stats(); if (s) this.set(s.timers); } }),
  };
}
