/**
 * Test support: the two ways a test waits, and no other — on an event (`waitForLog`), or, for a
 * condition that raises none (a process exiting, state another process records), by polling it
 * (`pollFor`, on vitest's `vi.waitFor`). No test sleeps for a fixed time.
 */
import { setTimeout as realSetTimeout } from 'node:timers';
import { vi } from 'vitest';
import type { LogBuffer, LogEntry } from '../supervisor/log-buffer.js';

/** What `check` answers once the condition holds: anything but `undefined` and `false`. */
type Held<T> = Exclude<Awaited<T>, undefined | false>;

/**
 * Asks `check` again every 20 ms until it answers something other than `undefined` or `false`,
 * and resolves with that answer. A check that throws fails the wait at once with its error; after
 * `timeoutMs` without an answer the wait fails naming `what`.
 */
export async function pollFor<T>(what: string, check: () => T, timeoutMs = 10_000): Promise<Held<T>> {
  const threw = Symbol('the check threw');
  let error: unknown;
  const notYet = new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  const answer = await vi
    .waitFor(
      async () => {
        let value: Awaited<T>;
        try {
          value = await check();
        } catch (thrown) {
          error = thrown;
          return threw;
        }
        if (value === undefined || value === false) throw notYet;
        return value as Held<T>;
      },
      { timeout: timeoutMs, interval: 20 },
    )
    .catch(() => {
      throw notYet;
    });
  if (answer === threw) throw error;
  return answer;
}

/** Resolves with the first entry of `logs` that matches, already there or appended later; rejects after `timeoutMs`. */
export function waitForLog(logs: LogBuffer, match: (entry: LogEntry) => boolean, timeoutMs = 10_000): Promise<LogEntry> {
  const seen = logs.entries().find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = realSetTimeout(() => {
      dispose();
      const tail = logs
        .entries(10)
        .map((entry) => `  [${entry.stream}] ${entry.line}`)
        .join('\n');
      reject(new Error(`waited ${timeoutMs} ms for a matching log line; last lines:\n${tail}`));
    }, timeoutMs);
    timer.unref();
    const dispose = logs.onDidAppend((entry) => {
      if (!match(entry)) return;
      clearTimeout(timer);
      dispose();
      resolve(entry);
    });
  });
}
