/** Helpers of the event worker's tests: a flow, a quiet logger, the replies in a store, waiting for a condition. */
import type { OutMessage } from '../../src/engine/types.js';
import type { EventWorker } from '../../src/runtime/event-worker.js';
import type { Store } from '../../src/store/port.js';

/** A flow that greets, asks a name, and thanks: two steps, one reply each. */
export const HELLO_FLOW = `
triggers: { keywords: [hi] }
states:
  welcome:
    say: "Hi {{user.first_name}}! Your name?"
    ask: { save: name }
    next: thanks
  thanks:
    say: "Thanks {{name}}."
    end: true
`;

export const silent = { debug() {}, info() {}, warn() {}, error() {} };

const textOf = (m: OutMessage): string => (m.kind === 'image' ? m.url : m.text);

/** Takes every reply from the store's outbox (acknowledging it): the texts per person, in order. */
export async function drain(store: Store): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (;;) {
    const batch = await store.claimOutbox('test', Date.now(), 60_000, 100);
    if (batch.length === 0) return out;
    for (const r of batch) {
      out.set(r.userId, [...(out.get(r.userId) ?? []), textOf(r.message)]);
      await store.ackOutbox(r.id, 'test');
    }
  }
}

/** Resolves once `pred` holds (checked every few ms); fails after `ms`. */
export async function until(pred: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const start = Date.now();
  while (!(await pred())) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Starts `worker`, waits until it has handled every queued event, and takes the replies (see `drain`). */
export async function repliesOnceHandled(worker: EventWorker, store: Store): Promise<Map<string, string[]>> {
  worker.start();
  await until(async () => (await store.stats()).inbound === 0);
  return drain(store);
}
