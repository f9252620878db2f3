/**
 * One server-sent-events stream of a Streamable HTTP session, resumable: events carry ids and the
 * last ones are kept, so a client that lost the connection can come back with `Last-Event-ID`.
 */
import type { ServerResponse } from 'node:http';
import { SSE_HEADERS } from './http-io.js';

const KEPT_EVENTS = 200;

export class SseStream {
  private seq = 0;
  /** The last event written to a connection: a new connection gets what came after it. */
  private deliveredSeq = 0;
  private readonly kept: { seq: number; text: string }[] = [];
  private res: ServerResponse | undefined;
  /** True once the stream has everything it will ever get (all responses of its POST). */
  finished = false;

  constructor(
    readonly id: string,
    private readonly retryMs: number,
  ) {}

  get attached(): boolean {
    return this.res !== undefined;
  }

  /**
   * Takes over `res`: writes the headers, a priming event when asked, then what was kept after
   * `afterSeq` (a resuming client's Last-Event-ID) or, by default, what no connection got yet.
   */
  attach(res: ServerResponse, headers: Record<string, string>, options: { prime: boolean; afterSeq?: number }): void {
    this.res = res;
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    if (options.prime) res.write(`id: ${this.id}_${this.seq}\nretry: ${this.retryMs}\ndata: \n\n`);
    const after = options.afterSeq ?? this.deliveredSeq;
    for (const event of this.kept) if (event.seq > after) res.write(event.text);
    this.deliveredSeq = this.seq;
    res.on('close', () => {
      if (this.res === res) this.res = undefined;
    });
    if (this.finished) this.end();
  }

  /** Sends one JSON-RPC message as an event (kept for replay). */
  push(json: string): void {
    const seq = ++this.seq;
    const text = `id: ${this.id}_${seq}\nevent: message\ndata: ${json}\n\n`;
    this.kept.push({ seq, text });
    if (this.kept.length > KEPT_EVENTS) this.kept.shift();
    if (!this.res) return;
    this.res.write(text);
    this.deliveredSeq = seq;
  }

  /** Writes an SSE comment so idle connections stay open through proxies. */
  keepAlive(): void {
    this.res?.write(': keepalive\n\n');
  }

  /** Marks the stream complete and ends the attached connection, if any. */
  finish(): void {
    this.finished = true;
    this.end();
  }

  /** Ends the attached connection (the stream itself may be resumed later unless finished). */
  end(): void {
    const res = this.res;
    this.res = undefined;
    res?.end();
  }
}

/** Splits an event id `<streamId>_<seq>` as written by `SseStream`. */
export function parseEventId(eventId: string): { streamId: string; seq: number } | undefined {
  const at = eventId.lastIndexOf('_');
  if (at <= 0) return undefined;
  const seq = Number(eventId.slice(at + 1));
  if (!Number.isInteger(seq) || seq < 0) return undefined;
  return { streamId: eventId.slice(0, at), seq };
}
