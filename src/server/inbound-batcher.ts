/**
 * Group commit for webhook deliveries: the events of the webhook requests that arrive while
 * one write is being prepared are recorded in ONE store write (one transaction, one Lua
 * script), and each request is answered once that write is done. Under load this saves a
 * store round trip (and a SQLite commit) per request; an idle server writes at once
 * (the batch is flushed on the next turn of the event loop).
 */
import type { InboundRecord, Store } from '../store/port.js';

export interface InboundBatcher {
  /** Records `records` durably (with the others of this turn); resolves to how many were new. */
  add(records: InboundRecord[]): Promise<number>;
  /**
   * True when `add` hands its write to the store at once: a store call made right after `add`
   * (without waiting for it) is then carried out after the write (the store keeps call order).
   * False when the batcher holds the write until the next turn.
   */
  readonly writesAtOnce: boolean;
}

interface Pending {
  records: InboundRecord[];
  resolve: (added: number) => void;
  reject: (err: unknown) => void;
}

/**
 * `maxRecords` bounds one write (a huge batch would hold the store's lock for long). A store
 * that groups the calls of a turn by itself (SQLite) gets each request's records directly: a
 * batcher in front would only add a turn of the event loop.
 */
export function createInboundBatcher(store: Pick<Store, 'addInbound' | 'groupsCalls'>, clock: () => number, maxRecords = 500): InboundBatcher {
  if (store.groupsCalls) return { add: (records) => store.addInbound(records, clock()), writesAtOnce: true };
  let queue: Pending[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const batch = queue;
    queue = [];
    let start = 0;
    while (start < batch.length) {
      // Cut into writes of at most maxRecords (a request's records are never split).
      let end = start;
      let count = 0;
      do {
        count += batch[end]!.records.length;
        end++;
      } while (end < batch.length && count + batch[end]!.records.length <= maxRecords);
      const part = batch.slice(start, end);
      start = end;
      try {
        const added = await store.addInbound(part.flatMap((p) => p.records), clock());
        // The store says how many were new in total; each request only needs to know it is safe.
        const total = part.reduce((n, p) => n + p.records.length, 0);
        let duplicates = total - added;
        for (const p of part) {
          const dup = Math.min(duplicates, p.records.length);
          duplicates -= dup;
          p.resolve(p.records.length - dup);
        }
      } catch (err) {
        for (const p of part) p.reject(err);
      }
    }
  }

  return {
    writesAtOnce: false,
    add(records) {
      return new Promise<number>((resolve, reject) => {
        queue.push({ records, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
