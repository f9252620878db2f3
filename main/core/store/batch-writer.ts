/**
 * Takes writes off the hot path: `push` only appends to a bounded in-memory ring (O(1), no I/O);
 * a timer or, once a batch is full, the next turn of the event loop writes up to `batchSize` items
 * per transaction. If the database keeps failing the ring fills up and the oldest items are dropped
 * (and counted), so memory stays bounded whatever the disk does.
 */
import { Emitter } from '../events/emitter.js';

export interface BatchWriterOptions {
  /** Items per transaction, and the queue length that triggers a flush at once. Default 512. */
  batchSize?: number;
  /** Longest time an item waits in the queue before a flush starts. Default 200 ms. */
  flushIntervalMs?: number;
  /** Most items kept in memory; beyond that the oldest are dropped. Default 50,000. */
  maxQueued?: number;
}

/** Counters for the status page and tests. */
export interface BatchWriterStats {
  /** Items waiting in memory. */
  queued: number;
  /** Items lost: pushed out of a full queue, failed permanently, or pushed after `close()`. */
  dropped: number;
  /** Items written. */
  written: number;
  /** Transactions committed. */
  batches: number;
}

/** Writes `items` in one transaction; throws to roll all of them back. */
export type WriteBatch<T> = (items: readonly T[]) => void;

const DEFAULTS = { batchSize: 512, flushIntervalMs: 200, maxQueued: 50_000 } as const;

export class BatchWriter<T> {
  private readonly ring: (T | undefined)[];
  private head = 0;
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly counters = { dropped: 0, written: 0, batches: 0 };
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly flushEmitter = new Emitter<number>();
  private readonly errorEmitter = new Emitter<Error>();

  /** Fires after each committed batch with its item count. */
  readonly onDidFlush = this.flushEmitter.event;
  /** Fires when a batch fails; transient failures (busy, I/O, disk full) are retried later. */
  readonly onDidFail = this.errorEmitter.event;

  constructor(
    private readonly write: WriteBatch<T>,
    options: BatchWriterOptions = {},
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULTS.batchSize);
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULTS.flushIntervalMs;
    this.ring = new Array<T | undefined>(Math.max(this.batchSize, options.maxQueued ?? DEFAULTS.maxQueued));
  }

  /** Queues `item` and returns at once; never throws and never touches the database. */
  push(item: T): void {
    if (this.closed) {
      this.counters.dropped++;
      return;
    }
    const capacity = this.ring.length;
    if (this.size === capacity) {
      this.head = (this.head + 1) % capacity;
      this.size--;
      this.counters.dropped++;
    }
    this.ring[(this.head + this.size) % capacity] = item;
    this.size++;
    if (this.size >= this.batchSize) this.scheduleNow();
    else this.timer ??= setTimeout(this.onTimer, this.flushIntervalMs).unref();
  }

  /** Writes everything queued now, batch by batch. Returns the number written; throws if a batch fails. */
  flush(): number {
    this.cancelSchedule();
    let total = 0;
    while (this.size > 0) total += this.flushBatch();
    return total;
  }

  /** Current counters. */
  get stats(): BatchWriterStats {
    return { queued: this.size, ...this.counters };
  }

  /** Flushes what is queued (errors are reported through `onDidFail`) and stops; later pushes are dropped. Idempotent. */
  close(): void {
    if (this.closed) return;
    try {
      this.flushInBackground(Number.POSITIVE_INFINITY);
    } finally {
      this.closed = true;
      this.cancelSchedule();
      this.counters.dropped += this.size;
      this.ring.fill(undefined);
      this.size = 0;
      this.flushEmitter.dispose();
      this.errorEmitter.dispose();
    }
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.flushInBackground(1);
  };

  private readonly onImmediate = (): void => {
    this.immediate = undefined;
    this.flushInBackground(1);
  };

  /** Writes up to `maxBatches` batches; one per turn of the loop keeps each pause short. */
  private flushInBackground(maxBatches: number): void {
    for (let n = 0; n < maxBatches && this.size > 0; n++) {
      try {
        this.flushBatch();
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        if (!isTransient(failure)) this.discard(Math.min(this.size, this.batchSize), true);
        this.errorEmitter.fire(failure);
        // Retry (or carry on) after the usual interval rather than spinning on a stuck database.
        if (!this.closed && this.size > 0) this.timer ??= setTimeout(this.onTimer, this.flushIntervalMs).unref();
        return;
      }
    }
    if (this.closed || this.size === 0) return;
    if (this.size >= this.batchSize) this.scheduleNow();
    else this.timer ??= setTimeout(this.onTimer, this.flushIntervalMs).unref();
  }

  /** Writes the oldest batch in one transaction and removes it from the queue only once committed. */
  private flushBatch(): number {
    const count = Math.min(this.size, this.batchSize);
    const batch = new Array<T>(count);
    const capacity = this.ring.length;
    for (let i = 0; i < count; i++) batch[i] = this.ring[(this.head + i) % capacity] as T;
    this.write(batch);
    this.discard(count, false);
    this.counters.written += count;
    this.counters.batches++;
    this.flushEmitter.fire(count);
    return count;
  }

  private discard(count: number, lost: boolean): void {
    const capacity = this.ring.length;
    for (let i = 0; i < count; i++) this.ring[(this.head + i) % capacity] = undefined;
    this.head = (this.head + count) % capacity;
    this.size -= count;
    if (lost) this.counters.dropped += count;
  }

  private scheduleNow(): void {
    if (this.immediate) return;
    this.immediate = setImmediate(this.onImmediate);
    this.immediate.unref();
  }

  private cancelSchedule(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}

/** Errors worth retrying: the database is locked or the disk is full or failing, not a bad item. */
function isTransient(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL)/.test(code);
}
