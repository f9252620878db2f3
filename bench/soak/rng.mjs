// A seeded pseudo-random source (mulberry32), so that a run's load and chaos can be replayed with
// the same `--seed`, and every target meets the same schedule of kills.
import { performance } from 'node:perf_hooks';

/** Numbers in [0, 1) from a 32-bit seed; the same seed gives the same sequence. */
export function createRng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** An integer in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** One element of a non-empty array. */
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

/** Wall-clock milliseconds with sub-millisecond resolution: the fixture's log uses the same clock. */
export function now() {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
