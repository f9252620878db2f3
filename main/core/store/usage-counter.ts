/**
 * Counts key uses in memory and writes the totals in batches: `add` is O(1) and never touches the
 * database; a timer writes every key's pending count and last-use time in one transaction. Memory
 * holds one entry per key used since the last flush, so it is bounded by the number of keys.
 */
import { Emitter } from '../events/emitter.js';

/** The uses of one key since the last flush. */
export interface PendingUsage {
  count: number;
  /** ms epoch of the latest use. */
  lastUsedAt: number;
}

/** Adds `usage` to the stored counters in one transaction; throws to keep them pending. */
export type WriteUsage = (usage: ReadonlyMap<string, PendingUsage>) => void;

export interface UsageCounterOptions {
  /** Longest time a use waits in memory before it is written. Default 5 s. */
  flushIntervalMs?: number;
}

export class UsageCounter {
  private pending = new Map<string, PendingUsage>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly errorEmitter = new Emitter<Error>();

  /** Fires when a flush fails; the counts stay pending and are retried at the next interval. */
  readonly onDidFail = this.errorEmitter.event;

  constructor(
    private readonly write: WriteUsage,
    options: UsageCounterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 5_000;
  }

  /** Counts one use of `id` at `time`. Never throws; ignored after `close()`. */
  add(id: string, time: number): void {
    if (this.closed) return;
    const entry = this.pending.get(id);
    if (entry) {
      entry.count++;
      entry.lastUsedAt = Math.max(entry.lastUsedAt, time);
    } else {
      this.pending.set(id, { count: 1, lastUsedAt: time });
    }
    this.timer ??= setTimeout(this.onTimer, this.flushIntervalMs).unref();
  }

  /** The uses of `id` not written yet. */
  peek(id: string): PendingUsage | undefined {
    return this.pending.get(id);
  }

  /** Writes every pending count now; returns how many keys were written. Throws if the write fails. */
  flush(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    try {
      this.write(batch);
    } catch (error) {
      this.restore(batch);
      throw error;
    }
    return batch.size;
  }

  /** Flushes (a failure goes to `onDidFail`) and stops counting. Idempotent. */
  close(): void {
    if (this.closed) return;
    try {
      this.flushInBackground();
    } finally {
      this.closed = true;
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.errorEmitter.dispose();
    }
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.flushInBackground();
  };

  private flushInBackground(): void {
    try {
      this.flush();
    } catch (error) {
      this.errorEmitter.fire(error instanceof Error ? error : new Error(String(error)));
      if (!this.closed && this.pending.size > 0) this.timer ??= setTimeout(this.onTimer, this.flushIntervalMs).unref();
    }
  }

  /** Puts a failed batch back, merged with the uses counted meanwhile. */
  private restore(batch: Map<string, PendingUsage>): void {
    for (const [id, usage] of this.pending) {
      const earlier = batch.get(id);
      if (earlier) {
        earlier.count += usage.count;
        earlier.lastUsedAt = Math.max(earlier.lastUsedAt, usage.lastUsedAt);
      } else {
        batch.set(id, usage);
      }
    }
    this.pending = batch;
  }
}
