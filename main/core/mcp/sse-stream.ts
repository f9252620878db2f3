/**
 * One server-sent-events stream of a Streamable HTTP session, resumable: events carry ids and the
 * last ones are kept, so a client that lost the connection can come back with `Last-Event-ID`. What
 * it keeps is bounded by count here and by size by its session (`onKept`, `dropOldest`).
 */
import type { ServerResponse } from 'node:http';
import { wireConcat, writeWire, type Wire } from '../protocol/raw-response.js';
import { SSE_HEADERS } from './http-io.js';
import type { SendLedger, SendSession } from './send-ledger.js';

const KEPT_EVENTS = 200;

export interface SseStreamOptions {
  retryMs: number;
  /** Watches what each connection's client has not read yet. */
  ledger: SendLedger;
  /** The session the stream belongs to, for the ledger. */
  session: SendSession;
  /** The client of an attached connection stopped reading and the ledger gave the stream up. */
  onGivenUp: (stream: SseStream) => void;
  /** The characters kept for replay changed by `delta`. */
  onKept: (delta: number) => void;
  /** The connection of an unfinished stream closed without the stream ending it: the client may come back. */
  onDropped: (stream: SseStream) => void;
}

export class SseStream {
  private seq = 0;
  /** The last event written to a connection: a new connection gets what came after it. */
  private deliveredSeq = 0;
  private readonly kept: { seq: number; text: Wire }[] = [];
  private keptChars = 0;
  private res: ServerResponse | undefined;
  /** Every event reached a connection that then ended normally (flushed): the client has it. */
  private flushed = false;
  /** True once the stream has everything it will ever get (all responses of its POST). */
  finished = false;

  constructor(
    readonly id: string,
    private readonly options: SseStreamOptions,
  ) {}

  get attached(): boolean {
    return this.res !== undefined;
  }

  /** Characters kept for replay. */
  get keptSize(): number {
    return this.keptChars;
  }

  /** Finished, and all of it delivered over a connection that ended cleanly: nothing is left to resume. */
  get delivered(): boolean {
    return this.finished && this.flushed && this.deliveredSeq === this.seq;
  }

  /** Whether a client that saw event `afterSeq` can get everything after it from what is kept. */
  canResumeAfter(afterSeq: number): boolean {
    const oldest = this.kept[0]?.seq ?? this.seq + 1;
    return afterSeq >= oldest - 1;
  }

  /**
   * Takes over `res`: writes the headers, a priming event when asked, then what was kept after
   * `afterSeq` (a resuming client's Last-Event-ID) or, by default, what no connection got yet.
   */
  attach(res: ServerResponse, headers: Record<string, string>, options: { prime: boolean; afterSeq?: number }): void {
    this.res = res;
    this.flushed = false;
    this.options.ledger.track(res, this.options.session, () => this.givenUp(res));
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    if (options.prime) res.write(`id: ${this.id}_${this.seq}\nretry: ${this.options.retryMs}\ndata: \n\n`);
    const after = options.afterSeq ?? this.deliveredSeq;
    let written = 0;
    for (const event of this.kept) {
      if (event.seq <= after) continue;
      writeWire(res, event.text);
      written += event.text.length;
    }
    // A resumption with nothing to replay yet must not wait for the next event to see its headers.
    if (!options.prime && written === 0) res.flushHeaders();
    this.deliveredSeq = this.seq;
    this.options.ledger.wrote(res, written);
    res.on('close', () => {
      if (this.res !== res) return;
      this.detach();
      if (!this.finished) this.options.onDropped(this);
    });
    if (this.finished) this.end();
  }

  /** Sends one JSON-RPC message as an event (kept for replay). */
  push(json: Wire): void {
    const seq = ++this.seq;
    const text = wireConcat(`id: ${this.id}_${seq}\nevent: message\ndata: `, json, '\n\n');
    this.kept.push({ seq, text });
    this.keptChars += text.length;
    if (this.kept.length > KEPT_EVENTS) this.dropOldest();
    if (this.res) {
      writeWire(this.res, text);
      this.deliveredSeq = seq;
      this.options.ledger.wrote(this.res, text.length);
    }
    this.options.onKept(text.length);
  }

  /** Forgets the oldest kept event; the characters freed (0 when none was kept). */
  dropOldest(): number {
    const event = this.kept.shift();
    if (!event) return 0;
    this.keptChars -= event.text.length;
    this.options.onKept(-event.text.length);
    return event.text.length;
  }

  /** Forgets everything kept. */
  dropAll(): void {
    if (this.keptChars === 0) return;
    const freed = this.keptChars;
    this.kept.length = 0;
    this.keptChars = 0;
    this.options.onKept(-freed);
  }

  /** Writes an SSE comment so idle connections stay open through proxies. */
  keepAlive(): void {
    if (!this.res) return;
    this.res.write(': keepalive\n\n');
    this.options.ledger.wrote(this.res, 0);
  }

  /** Marks the stream complete and ends the attached connection, if any. */
  finish(): void {
    this.finished = true;
    this.end();
  }

  /** Ends the attached connection (the stream itself may be resumed later unless finished). */
  end(): void {
    const res = this.res;
    if (!res) return;
    const complete = this.deliveredSeq === this.seq;
    this.detach();
    res.end(() => {
      if (complete) this.flushed = true;
    });
  }

  /** The ledger closes `res`: the stream is over, nothing of it is kept, and its session hears of it. */
  private givenUp(res: ServerResponse): void {
    if (this.res === res) this.detach();
    else if (this.res) return; // a resumed connection took over
    this.finished = true;
    this.dropAll();
    this.options.onGivenUp(this);
  }

  private detach(): void {
    this.res = undefined;
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
