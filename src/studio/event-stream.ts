/**
 * Server-Sent Events to the browsers: `entry` (a chat line, its number as the event id so a
 * reconnecting browser gets what it missed), `changed` (the person's conversation may have
 * moved: fetch the state again), `reload` (the flows were re-validated after an edit).
 */
import type { FastifyReply } from 'fastify';
import type { Transcripts, TranscriptEntry } from './transcript.js';

interface Client {
  userId: string;
  write(chunk: string): void;
  end(): void;
}

/** Every open event stream of the studio. */
export class StudioEvents {
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly transcripts: Transcripts, heartbeatMs = 15_000) {
    this.heartbeat = setInterval(() => this.each(() => true, ': keep-alive\n\n'), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Turns the reply into an event stream for `userId`, first replaying entries after `afterSeq`. */
  open(reply: FastifyReply, userId: string, afterSeq: number): void {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 1000\n\n');
    const client: Client = { userId, write: (c) => raw.write(c), end: () => raw.end() };
    for (const entry of this.transcripts.since(userId, afterSeq)) client.write(entryChunk(entry));
    this.clients.add(client);
    raw.on('close', () => this.clients.delete(client));
  }

  /** Sends a chat line to the browsers showing that person. */
  entry(entry: TranscriptEntry): void {
    this.each((c) => c.userId === entry.userId, entryChunk(entry));
  }

  /** Tells the browsers showing `userId` (or every browser) to fetch the state again. */
  send(event: string, data: unknown, userId?: string): void {
    this.each((c) => userId === undefined || c.userId === userId, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private each(match: (c: Client) => boolean, chunk: string): void {
    for (const c of this.clients) if (match(c)) c.write(chunk);
  }
}

function entryChunk(entry: TranscriptEntry): string {
  return `id: ${entry.seq}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`;
}
