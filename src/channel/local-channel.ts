/**
 * The local channel: a SendApi that delivers replies to this process's listeners (the
 * authoring studio) instead of a chat platform. It sits exactly where the Graph Send API
 * sits, so conversations tried locally go through the same pipeline as real ones: webhook
 * record -> event worker -> engine -> outbox -> "send".
 */
import { EventEmitter } from 'node:events';
import type { OutMessage } from '../engine/types.js';
import type { Recipient } from '../store/port.js';
import type { SendApi, SendResult } from './send-api.js';

export interface LocalDelivery {
  /** Per-process sequence number of the delivery. */
  seq: number;
  userId: string;
  message: OutMessage;
  at: number;
}

export interface LocalChannel extends SendApi {
  /** Subscribes to every reply; returns the unsubscribe function. */
  subscribe(listener: (delivery: LocalDelivery) => void): () => void;
  /** The replies sent to a person so far (bounded), oldest first. */
  history(userId: string): LocalDelivery[];
  /** Forgets a person's history. */
  clear(userId: string): void;
}

export function createLocalChannel(options: { clock?: () => number; historyLimit?: number } = {}): LocalChannel {
  const clock = options.clock ?? Date.now;
  const limit = options.historyLimit ?? 500;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const histories = new Map<string, LocalDelivery[]>();
  let seq = 0;
  return {
    async send(recipient: Recipient, message: OutMessage): Promise<SendResult> {
      const userId = recipient.id ?? recipient.thread_key;
      if (!userId) return { ok: false, retry: false, status: 0, message: 'the reply has no recipient' };
      const delivery: LocalDelivery = { seq: ++seq, userId, message, at: clock() };
      const list = histories.get(userId) ?? [];
      list.push(delivery);
      if (list.length > limit) list.splice(0, list.length - limit);
      histories.set(userId, list);
      emitter.emit('delivery', delivery);
      return { ok: true, messageId: `local.${delivery.seq}` };
    },
    async close() {
      emitter.removeAllListeners();
    },
    subscribe(listener) {
      emitter.on('delivery', listener);
      return () => emitter.off('delivery', listener);
    },
    history(userId) {
      return [...(histories.get(userId) ?? [])];
    },
    clear(userId) {
      histories.delete(userId);
    },
  };
}
