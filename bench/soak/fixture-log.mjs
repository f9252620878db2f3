// Reads the event log the soak fixture appends to (main/core/mcp/__fixtures__/soak-server.mjs
// --log): one JSON line per event (`start`, `work-start`, `work-cancelled`, `work-done`,
// `stdin-end`). Read incrementally; waiting polls the file, since the writer is another process.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

const POLL_MS = 25;
const MAX_EVENTS = 100_000;

export class FixtureLog {
  /** Every event read so far, oldest first (at most MAX_EVENTS). */
  events = [];
  #offset = 0;
  #partial = '';

  constructor(file) {
    this.file = file;
  }

  /** Reads what was appended since the last read. */
  poll() {
    let size;
    try {
      size = statSync(this.file).size;
    } catch {
      return; // not written yet
    }
    if (size <= this.#offset) return;
    const buffer = Buffer.alloc(size - this.#offset);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.#offset);
    } finally {
      closeSync(fd);
    }
    this.#offset = size;
    const lines = (this.#partial + buffer.toString('utf8')).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim() || this.events.length >= MAX_EVENTS) continue;
      try {
        this.events.push(JSON.parse(line));
      } catch {
        // a torn line cannot happen with appends this short; ignore rather than stop the run
      }
    }
  }

  /** Resolves with the first event (old or new) that `predicate` accepts, or undefined after `timeoutMs`. */
  async waitFor(predicate, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.poll();
      const found = this.events.find(predicate);
      if (found || Date.now() >= deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Times (ms, wall clock) at which a fixture process of this log started serving. */
  starts() {
    this.poll();
    return this.events.filter((event) => event.ev === 'start').map((event) => event.t);
  }
}
