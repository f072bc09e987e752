/**
 * The outbox worker: drains replies from the store to the Send API, in order per person.
 *
 * The store only hands out the head of each person's outbox (`claimOutbox`), so a person's
 * next reply becomes claimable only once the previous one is acknowledged or dropped: order
 * per person holds, while different people are served concurrently (up to `batch` sends in
 * flight). Each outcome is written back: `ackOutbox` when sent, `retryOutbox` with a backoff
 * from the retry policy on a temporary failure, `dropOutbox` (logged and counted) on a
 * permanent one or when retries run out. Since everything lives in the store, a restart
 * resumes where the previous process stopped; a crash between a send and its acknowledgement
 * sends that one reply again once its lease expires (the only duplicate the design allows).
 *
 * The loop never polls on the hot path: `kick()` (called after a commit) and every finished
 * send wake it at once; it only sleeps `idleMs` when it has nothing to do.
 */
import type { SendApi, SendResult } from '../channel/send-api.js';
import { errorMessage } from '../errors.js';
import type { OutboxRecord, Store } from '../store/port.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { createRetryPolicy, type RetryPolicy } from './retry-policy.js';
import type { DeliveryLogger, OutboxMetrics } from './types.js';
import { createWaker } from './waker.js';

export interface OutboxWorkerOptions {
  store: Pick<Store, 'claimOutbox' | 'claimOutboxOf' | 'ackOutbox' | 'retryOutbox' | 'dropOutbox'>;
  sendApi: Pick<SendApi, 'send'>;
  /** This process's lease owner id (unique per process). */
  owner: string;
  /** Default: 250 messages/s per page. */
  rateLimiter?: RateLimiter;
  /** Default: `createRetryPolicy()`. */
  retryPolicy?: RetryPolicy;
  /** Epoch ms. Default `Date.now`. */
  clock?: () => number;
  /** Waits before a rate-limited send. Default: a real timer (inject one that moves a fake clock in tests). */
  sleep?: (ms: number) => Promise<void>;
  logger?: DeliveryLogger;
  metrics?: OutboxMetrics;
  /** Sends in flight at most (each to a different person). Default 64. */
  batch?: number;
  /** How long a claimed reply stays ours, ms; longer than a send can take. Default 60000. */
  leaseMs?: number;
  /**
   * Sleep between scans of the whole outbox, ms (a kick ends it early). Replies committed by
   * this process are claimed directly on the kick, and a person's next reply right after
   * the previous one was sent; the scan finds the rest (retries coming due, replies committed
   * by other processes, replies left by a process that died). Default 200.
   */
  idleMs?: number;
  /** Sleep after a store failure, ms. Default 1000. */
  errorBackoffMs?: number;
}

export interface OutboxWorker {
  /** Starts the loop (idempotent). */
  start(): void;
  /** Stops claiming, lets the sends in flight finish and be recorded, then resolves. */
  stop(): Promise<void>;
  /**
   * Call it after a commit added replies: with the people's ids, claims the head of each
   * one's outbox directly (no scan of the whole outbox); without, wakes the loop.
   */
  kick(userIds?: readonly string[]): void;
  /** One pass without the loop: claims up to `batch` replies, sends them, records the outcomes; returns how many. */
  runOnce(): Promise<number>;
}

/** How late (ms) a rate-limited send may wake after its reserved slot and still go out. */
const LATE_SLOT_MS = 20;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The metrics label of a failure: the Graph code, else `http_<status>`, else `network` (or `no_recipient`). */
export function failureCode(result: Extract<SendResult, { ok: false }>): string {
  if (result.graphCode !== undefined) return String(result.graphCode);
  if (result.status > 0) return `http_${result.status}`;
  return result.retry ? 'network' : 'no_recipient';
}

/** Creates the outbox worker. */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { store, sendApi, owner, logger, metrics } = options;
  const rateLimiter = options.rateLimiter ?? createRateLimiter();
  const retryPolicy = options.retryPolicy ?? createRetryPolicy();
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const batch = Math.max(1, options.batch ?? 64);
  const leaseMs = options.leaseMs ?? 60_000;
  const idleMs = options.idleMs ?? 200;
  const errorBackoffMs = options.errorBackoffMs ?? 1000;
  const waker = createWaker();
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loopDone: Promise<void> | undefined;

  /**
   * Waits for a reply to leave the outbox (`removing`: its ack or drop, already asked for),
   * having asked for the person's next reply meanwhile. The store carries out calls in order:
   * the claim comes after the removal (in the same SQLite transaction), so the next reply is
   * claimed without waiting a turn. If the removal fails, the reply is still ours and the
   * claim finds nothing.
   */
  async function leave(r: OutboxRecord, removing: Promise<void>): Promise<void> {
    if (running) claimHeadOf(r.userId);
    await removing;
  }

  /** Records the outcome of a send: acknowledged, put back for a retry, or dropped. */
  async function record(r: OutboxRecord, result: SendResult): Promise<void> {
    const where = { outboxId: r.id, userId: r.userId, pageId: r.pageId, attempts: r.attempts + 1 };
    if (result.ok) {
      await leave(r, store.ackOutbox(r.id, owner));
      metrics?.sent();
      return;
    }
    const code = failureCode(result);
    const graphCode = result.graphCode ?? '-';
    metrics?.failed(code);
    const detail = { ...where, status: result.status, graphCode: result.graphCode, graphSubcode: result.graphSubcode };
    if (result.retry) {
      const decision = retryPolicy.next(r.attempts + 1);
      if (decision.retry) {
        await store.retryOutbox(r.id, owner, clock() + decision.delayMs, r.attempts + 1);
        metrics?.retried();
        const msg = result.status === 0 ? errorMessage('FLOW_ERR_SEND_NETWORK', result.message) : errorMessage('FLOW_ERR_SEND_TEMPORARY', result.status, graphCode, result.message);
        logger?.warn({ ...detail, code: result.status === 0 ? 'FLOW_ERR_SEND_NETWORK' : 'FLOW_ERR_SEND_TEMPORARY', retryInMs: decision.delayMs }, msg);
        return;
      }
      await leave(r, store.dropOutbox(r.id, owner));
      metrics?.dropped();
      logger?.error({ ...detail, code: 'FLOW_ERR_SEND_GAVE_UP' }, errorMessage('FLOW_ERR_SEND_GAVE_UP', r.attempts + 1, `${code}: ${result.message}`));
      return;
    }
    await leave(r, store.dropOutbox(r.id, owner));
    metrics?.dropped();
    if (result.status === 0) logger?.error({ ...detail, code: 'FLOW_ERR_SEND_NO_RECIPIENT' }, errorMessage('FLOW_ERR_SEND_NO_RECIPIENT'));
    else logger?.error({ ...detail, code: 'FLOW_ERR_SEND_PERMANENT' }, errorMessage('FLOW_ERR_SEND_PERMANENT', result.status, graphCode, result.message));
  }

  /** Sends one record and records the outcome (see `record`). */
  async function deliver(r: OutboxRecord): Promise<void> {
    let wait = rateLimiter.take(r.pageId, clock());
    // A stalled process (GC, a slow disk write) wakes its waiting sends together and late;
    // sending them all at once would exceed the page's rate (Graph error 613), so a send that
    // wakes more than LATE_SLOT_MS after its slot takes a new one.
    while (wait > 0) {
      const slot = clock() + wait;
      await sleep(wait);
      wait = clock() - slot > LATE_SLOT_MS ? rateLimiter.take(r.pageId, clock()) : 0;
    }
    let result: SendResult;
    try {
      result = await sendApi.send(r.recipient, r.message);
    } catch (err) {
      // The port promises not to throw; if it does, treat it like a network failure.
      result = { ok: false, retry: true, status: 0, message: err instanceof Error ? err.message : String(err) };
    }
    try {
      await record(r, result);
    } catch (err) {
      // The lease runs out and the reply is claimed again: it may go out twice, never zero times.
      const reason = err instanceof Error ? err.message : String(err);
      logger?.error({ code: 'FLOW_ERR_STORE_FAILURE', outboxId: r.id }, errorMessage('FLOW_ERR_STORE_FAILURE', 'recording a send', reason));
    }
  }

  function launch(r: OutboxRecord): void {
    const p: Promise<void> = deliver(r).finally(() => {
      const wasFull = inFlight.size >= batch;
      inFlight.delete(p);
      // A full batch may have left replies unclaimed: let the loop scan again.
      if (wasFull) waker.wake();
    });
    inFlight.add(p);
  }

  /** Claims and launches the head of one person's outbox, if it is due and free. */
  function claimHeadOf(userId: string): void {
    if (inFlight.size >= batch) {
      waker.wake();
      return;
    }
    store.claimOutboxOf(userId, owner, clock(), leaseMs).then(
      (r) => {
        // Stopped meanwhile: leave it; the lease frees when this owner retires.
        if (r && running) launch(r);
      },
      (err: unknown) => {
        // The scan finds it later.
        const reason = err instanceof Error ? err.message : String(err);
        logger?.error({ code: 'FLOW_ERR_STORE_FAILURE' }, errorMessage('FLOW_ERR_STORE_FAILURE', 'claiming a reply to send', reason));
      },
    );
  }

  async function loop(): Promise<void> {
    while (running) {
      let claimed = 0;
      let asked = 0;
      if (inFlight.size < batch) {
        try {
          asked = batch - inFlight.size;
          const records = await store.claimOutbox(owner, clock(), leaseMs, asked);
          for (const r of records) launch(r);
          claimed = records.length;
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          logger?.error({ code: 'FLOW_ERR_STORE_FAILURE' }, errorMessage('FLOW_ERR_STORE_FAILURE', 'claiming replies to send', reason));
          await waker.wait(errorBackoffMs);
          continue;
        }
      }
      // A full batch may mean more is waiting; a partial one means the outbox is drained
      // for now (kicks and finished sends claim new replies directly).
      if (claimed > 0 && claimed === asked && inFlight.size < batch) continue;
      if (running) await waker.wait(idleMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    async stop() {
      running = false;
      waker.wake();
      await loopDone;
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    kick(userIds) {
      if (!userIds || !running) {
        waker.wake();
        return;
      }
      for (const userId of userIds) claimHeadOf(userId);
    },
    async runOnce() {
      const records = await store.claimOutbox(owner, clock(), leaseMs, batch);
      await Promise.all(records.map(deliver));
      return records.length;
    },
  };
}
