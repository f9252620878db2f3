/**
 * A bounded, in-memory log of one upstream server: the newest `maxLines` lines, each at most
 * `maxLineLength` characters. Appending is O(1) and never allocates beyond the ring.
 */
import type { LogSink, LogStream } from './channel.js';

/** One logged line. */
export interface LogEntry {
  /** When it was appended, in ms since the epoch. */
  time: number;
  stream: LogStream;
  line: string;
}

export interface LogBufferOptions {
  /** Entries kept; older ones are overwritten. Default 1000. */
  maxLines?: number;
  /** Longer lines are cut and marked `…[truncated N chars]`. Default 8192. */
  maxLineLength?: number;
}

export type LogListener = (entry: LogEntry) => void;

/** Ring buffer of log lines; the `LogSink` a channel writes to. */
export class LogBuffer implements LogSink {
  private readonly slots: (LogEntry | undefined)[];
  private readonly maxLineLength: number;
  private readonly listeners = new Set<LogListener>();
  /** Index of the slot the next entry goes to. */
  private next = 0;
  private count = 0;

  constructor(options: LogBufferOptions = {}) {
    const maxLines = options.maxLines ?? 1000;
    const maxLineLength = options.maxLineLength ?? 8192;
    if (!Number.isInteger(maxLines) || maxLines < 1) throw new RangeError(`maxLines must be a positive integer, got ${maxLines}`);
    if (!Number.isInteger(maxLineLength) || maxLineLength < 1) {
      throw new RangeError(`maxLineLength must be a positive integer, got ${maxLineLength}`);
    }
    this.slots = new Array<LogEntry | undefined>(maxLines).fill(undefined);
    this.maxLineLength = maxLineLength;
  }

  /** Number of entries held (at most `maxLines`). */
  get size(): number {
    return this.count;
  }

  /** Stores a line (truncated if too long), overwriting the oldest when full, then notifies listeners. Listeners must not throw. */
  append(stream: LogStream, line: string): void {
    const entry: LogEntry = { time: Date.now(), stream, line: truncate(line, this.maxLineLength) };
    this.slots[this.next] = entry;
    this.next = (this.next + 1) % this.slots.length;
    if (this.count < this.slots.length) this.count++;
    for (const listener of this.listeners) listener(entry);
  }

  /** The newest `limit` entries (all when omitted), oldest first, newest last. */
  entries(limit?: number): LogEntry[] {
    const wanted = limit === undefined ? this.count : Math.max(0, Math.min(Math.floor(limit), this.count));
    const capacity = this.slots.length;
    const first = (this.next - wanted + capacity) % capacity;
    const result: LogEntry[] = [];
    for (let i = 0; i < wanted; i++) {
      const entry = this.slots[(first + i) % capacity];
      if (entry) result.push(entry);
    }
    return result;
  }

  /** Forgets every entry. Listeners stay subscribed. */
  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  /** Calls `listener` with every entry appended from now on. Returns a disposer that unsubscribes. */
  onDidAppend(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

function truncate(line: string, max: number): string {
  if (line.length <= max) return line;
  // Do not cut a surrogate pair in half.
  const cut = isHighSurrogate(line.charCodeAt(max - 1)) ? max - 1 : max;
  return `${line.slice(0, cut)}…[truncated ${line.length - cut} chars]`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
