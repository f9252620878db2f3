import { describe, expect, it } from 'vitest';
import { CrashPolicy, DEFAULT_CRASH_POLICY } from './crash-policy.js';

const MINUTE = 60_000;

/** Records crashes at the given times; returns the delay (or `undefined`) each one got. */
function crashesAt(policy: CrashPolicy, times: number[]): (number | undefined)[] {
  return times.map((time) => policy.recordCrash(time));
}

describe('CrashPolicy', () => {
  it('defaults to the specification: 1 s … 60 s backoff, failed after 5 crashes in 5 minutes', () => {
    expect(DEFAULT_CRASH_POLICY).toEqual({ baseDelayMs: 1_000, maxDelayMs: 60_000, maxCrashes: 5, windowMs: 5 * MINUTE });
  });

  it('doubles the delay after each crash, starting at the base', () => {
    const policy = new CrashPolicy();
    expect(crashesAt(policy, [0, 1_000, 3_000, 7_000])).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('never waits longer than the maximum', () => {
    const policy = new CrashPolicy({ baseDelayMs: 1_000, maxDelayMs: 60_000, maxCrashes: 100, windowMs: 24 * 60 * MINUTE });
    const delays = crashesAt(
      policy,
      Array.from({ length: 10 }, (_, i) => i),
    );
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it('gives up at the limit of crashes within the window', () => {
    const policy = new CrashPolicy();
    expect(crashesAt(policy, [0, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE])).toEqual([1_000, 2_000, 4_000, 8_000, undefined]);
  });

  it('forgets crashes older than the window, so a server that crashes now and then keeps being restarted', () => {
    const policy = new CrashPolicy();
    // Each crash comes more than five minutes after the one four crashes earlier.
    const times = Array.from({ length: 12 }, (_, i) => i * 2 * MINUTE);
    const delays = crashesAt(policy, times);
    expect(delays.every((delay) => delay !== undefined)).toBe(true);
    // At most three earlier crashes are ever in the window: the delay stays small.
    expect(Math.max(...delays.map((delay) => delay ?? Infinity))).toBeLessThanOrEqual(4_000);
  });

  it('starts over after reset (a manual restart)', () => {
    const policy = new CrashPolicy({ baseDelayMs: 10, maxDelayMs: 1_000, maxCrashes: 3, windowMs: MINUTE });
    expect(crashesAt(policy, [0, 1, 2])).toEqual([10, 20, undefined]);
    policy.reset();
    expect(crashesAt(policy, [3, 4, 5])).toEqual([10, 20, undefined]);
  });

  it('with a limit of one, gives up on the first crash', () => {
    const policy = new CrashPolicy({ baseDelayMs: 10, maxDelayMs: 1_000, maxCrashes: 1, windowMs: MINUTE });
    expect(policy.recordCrash(0)).toBeUndefined();
  });
});
