import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

const T0 = 1_700_000_000_000;

describe('RateLimiter', () => {
  it('allows a burst of one minute, then refuses with the seconds until the next token', () => {
    const limiter = new RateLimiter();
    const limit = { perMinute: 6 };
    for (let i = 0; i < 6; i++) expect(limiter.take('k', limit, T0)).toEqual({ ok: true });
    expect(limiter.take('k', limit, T0)).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(limiter.take('k', limit, T0 + 4_000)).toEqual({ ok: false, retryAfterSeconds: 6 });
    expect(limiter.take('k', limit, T0 + 9_999)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('k', limit, T0 + 10_000)).toEqual({ ok: true });
    expect(limiter.take('k', limit, T0 + 10_000)).toEqual({ ok: false, retryAfterSeconds: 10 });
  });

  it('sustains the rate per minute and never goes above the burst', () => {
    const limiter = new RateLimiter();
    const limit = { perMinute: 60, burst: 5 };
    let allowed = 0;
    // Ten requests a second for two minutes after an hour of quiet.
    for (let t = 0; t < 120_000; t += 100) if (limiter.take('k', limit, T0 + 3_600_000 + t).ok) allowed++;
    expect(allowed).toBe(5 + 120 - 1);
  });

  it('keeps keys apart and treats no limit or 0 as unlimited', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', { perMinute: 1 }, T0).ok).toBe(true);
    expect(limiter.take('a', { perMinute: 1 }, T0)).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(limiter.take('b', { perMinute: 1 }, T0).ok).toBe(true);
    for (let i = 0; i < 1000; i++) {
      expect(limiter.take('c', undefined, T0).ok).toBe(true);
      expect(limiter.take('d', { perMinute: 0 }, T0).ok).toBe(true);
    }
    expect(limiter.size).toBe(2);
  });

  it('bounds memory: full buckets go first, then the least recently used, never the one in use', () => {
    const limiter = new RateLimiter({ maxKeys: 3 });
    const limit = { perMinute: 1 };
    for (const key of ['a', 'b', 'c']) expect(limiter.take(key, limit, T0).ok).toBe(true);
    expect(limiter.take('a', limit, T0).ok).toBe(false);
    expect(limiter.take('d', limit, T0).ok).toBe(true);
    expect(limiter.size).toBe(3);
    // b was the least recently used and went; a is still limited, d is limited even though the map is full.
    expect(limiter.take('a', limit, T0).ok).toBe(false);
    expect(limiter.take('d', limit, T0).ok).toBe(false);
    expect(limiter.take('e', limit, T0).ok).toBe(true);
    expect(limiter.take('e', limit, T0).ok).toBe(false);
    expect(limiter.size).toBe(3);
    // A minute later every bucket is full again: one sweep drops them all.
    expect(limiter.take('f', limit, T0 + 60_000).ok).toBe(true);
    expect(limiter.take('g', limit, T0 + 60_000).ok).toBe(true);
    expect(limiter.size).toBe(2);
  });
});
