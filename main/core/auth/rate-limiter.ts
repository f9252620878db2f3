/**
 * Per-key rate limits (docs/specification.md §7): a token bucket per key that refills at `perMinute / 60` a second
 * and holds at most `burst` (default: one minute's worth). Memory is bounded: a bucket that has
 * refilled completely carries no state and is dropped, and beyond `maxKeys` the least recently used
 * buckets go first.
 */

/** A key's limit. */
export interface RateLimit {
  /** Requests per minute, sustained. */
  perMinute: number;
  /** Requests allowed at once after a quiet spell; default `perMinute`. */
  burst?: number | undefined;
}

/** The answer of `take`: go ahead, or come back in `retryAfterSeconds` (for `Retry-After`). */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiterOptions {
  /** Most buckets kept; default 10,000. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  capacity: number;
  perMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;

  constructor(options: RateLimiterOptions = {}) {
    this.maxKeys = Math.max(1, options.maxKeys ?? 10_000);
  }

  /**
   * Takes one request from `key`'s bucket at `now` (ms). A limit of undefined or with `perMinute`
   * ≤ 0 is unlimited. A changed limit applies at once, keeping the tokens already earned.
   */
  take(key: string, limit: RateLimit | undefined, now: number = Date.now()): RateDecision {
    if (!limit || !(limit.perMinute > 0)) return { ok: true };
    const capacity = Math.max(1, limit.burst ?? limit.perMinute);
    const perMs = limit.perMinute / 60_000;
    const bucket = this.refill(key, capacity, perMs, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }

  /** Forgets `key`'s bucket, e.g. when its key is revoked. */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  /** Buckets held now. */
  get size(): number {
    return this.buckets.size;
  }

  private refill(key: string, capacity: number, perMs: number, now: number): Bucket {
    const existing = this.buckets.get(key);
    if (existing) this.buckets.delete(key);
    const bucket = existing ?? { tokens: capacity, updatedAt: now, capacity, perMs };
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * perMs);
    bucket.updatedAt = Math.max(bucket.updatedAt, now);
    bucket.capacity = capacity;
    bucket.perMs = perMs;
    // Evict before inserting, so the bucket in use is never the one dropped.
    if (this.buckets.size >= this.maxKeys) this.evict(now, this.maxKeys - 1);
    // Re-inserting keeps the map in least-recently-used order.
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Drops every full bucket (they hold no state), then the least recently used, down to `target`. */
  private evict(now: number, target: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * bucket.perMs >= bucket.capacity) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(key);
    }
  }
}
