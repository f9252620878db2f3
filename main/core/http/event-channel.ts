/**
 * One client of `/api/events`: writes server-sent events to its response, and bounds what a slow
 * client can cost. Past `highWaterBytes` unsent, events wait in a queue of at most `maxQueued`;
 * when that overflows the oldest go, and the client is told how many with a `: dropped N` comment
 * before the next event (the stream's `data:` lines stay events of the contract).
 */
import type { Writable } from 'node:stream';

export interface EventChannelOptions {
  /** Bytes the socket may hold unsent before events queue; default 256 KiB. */
  highWaterBytes?: number;
  /** Events queued at most; default 500. */
  maxQueued?: number;
}

export class EventChannel {
  private readonly queue: string[] = [];
  private dropped = 0;
  private waiting = false;
  private closed = false;
  private readonly highWaterBytes: number;
  private readonly maxQueued: number;

  constructor(
    private readonly out: Writable,
    options: EventChannelOptions = {},
  ) {
    this.highWaterBytes = options.highWaterBytes ?? 256 * 1024;
    this.maxQueued = options.maxQueued ?? 500;
  }

  /** Events lost to a slow client since it last caught up. */
  get droppedCount(): number {
    return this.dropped;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Sends `data` (JSON) as an event of type `event`. */
  send(event: string, data: string): void {
    this.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** A comment line: keeps idle connections open through proxies. */
  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private write(text: string): void {
    if (this.closed || this.out.destroyed) return;
    if (this.queue.length === 0 && this.dropped === 0 && this.out.writableLength < this.highWaterBytes) {
      this.out.write(text);
      return;
    }
    this.queue.push(text);
    if (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    this.waitForDrain();
  }

  private waitForDrain(): void {
    if (this.waiting) return;
    this.waiting = true;
    const flush = (): void => {
      this.waiting = false;
      if (this.closed || this.out.destroyed) return;
      if (this.dropped > 0) {
        this.out.write(`: dropped ${this.dropped}\n\n`);
        this.dropped = 0;
      }
      while (this.queue.length > 0 && this.out.writableLength < this.highWaterBytes) this.out.write(this.queue.shift()!);
      if (this.queue.length > 0) this.waitForDrain();
    };
    if (this.out.writableLength < this.highWaterBytes) queueMicrotask(flush);
    else this.out.once('drain', flush);
  }
}
