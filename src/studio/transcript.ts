/**
 * What the studio shows in the chat pane, per person: the person's own messages and taps
 * (the chat platform would show them; the local channel only carries the bot's replies),
 * the bot's replies, and notes ("New conversation..."). Entries are numbered across the
 * process, and on from one process to the next, so a browser that reconnects (also to a
 * restarted server) asks for what came after the last number it saw.
 */
import { EventEmitter } from 'node:events';
import type { InboundEvent, OutMessage } from '../engine/types.js';

export type TranscriptEntry =
  | { seq: number; userId: string; at: number; from: 'bot'; message: OutMessage }
  | { seq: number; userId: string; at: number; from: 'person'; event: InboundEvent }
  | { seq: number; userId: string; at: number; from: 'note'; text: string };

/** An entry before it is numbered. */
export type NewEntry = TranscriptEntry extends infer E ? (E extends TranscriptEntry ? Omit<E, 'seq'> : never) : never;

export class Transcripts {
  private readonly byUser = new Map<string, TranscriptEntry[]>();
  private readonly emitter = new EventEmitter();
  private seq: number;

  /**
   * Keeps at most `perUser` entries for each of at most `users` people (the oldest go first).
   * Numbers start after `firstSeq`, by default the start time in µs: a browser left open
   * across a server restart has seen numbers of the previous process, and those of the new
   * one must come after them, or the browser would take them for lines it already has.
   */
  constructor(private readonly perUser = 500, private readonly users = 500, firstSeq = Date.now() * 1000) {
    this.emitter.setMaxListeners(0);
    this.seq = firstSeq;
  }

  /** Numbers the entry, keeps it, and tells the listeners. */
  add(entry: NewEntry): TranscriptEntry {
    const full = { ...entry, seq: ++this.seq } as TranscriptEntry;
    let list = this.byUser.get(entry.userId);
    if (!list) {
      list = [];
      this.byUser.set(entry.userId, list);
      if (this.byUser.size > this.users) this.byUser.delete(this.byUser.keys().next().value!);
    }
    list.push(full);
    if (list.length > this.perUser) list.splice(0, list.length - this.perUser);
    this.emitter.emit('entry', full);
    return full;
  }

  /** A person's entries numbered after `afterSeq`, oldest first. */
  since(userId: string, afterSeq = 0): TranscriptEntry[] {
    return (this.byUser.get(userId) ?? []).filter((e) => e.seq > afterSeq);
  }

  /** Calls `listener` for every new entry; returns the unsubscribe function. */
  subscribe(listener: (entry: TranscriptEntry) => void): () => void {
    this.emitter.on('entry', listener);
    return () => this.emitter.off('entry', listener);
  }
}
