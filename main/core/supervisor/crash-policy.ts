/**
 * When to restart a crashed server, and when to give up (docs/specification.md §4): exponential backoff from 1 s to
 * 60 s, and `failed` after `maxCrashes` crashes within `windowMs`. A manual restart resets it.
 */
export interface CrashPolicyOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicyOptions = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxCrashes: 5,
  windowMs: 5 * 60_000,
};

export class CrashPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: CrashPolicyOptions = DEFAULT_CRASH_POLICY) {}

  /** Records a crash at `now`; returns the delay before the next start, or `undefined` to give up. */
  recordCrash(now: number): number | undefined {
    this.crashes = this.crashes.filter((time) => now - time < this.options.windowMs);
    this.crashes.push(now);
    if (this.crashes.length >= this.options.maxCrashes) return undefined;
    const exponent = this.crashes.length - 1;
    return Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** exponent);
  }

  reset(): void {
    this.crashes = [];
  }
}
