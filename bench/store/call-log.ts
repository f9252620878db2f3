/**
 * Call-log write path figures: the cost of `record()` on the proxy's hot path, and how fast batches
 * reach SQLite. Run: `node --import tsx bench/store/call-log.ts [calls]`. Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../main/core/store/store.js';
import type { CallEntry } from '../../main/core/store/calls.repository.js';

const calls = Number(process.argv[2] ?? 100_000);
const CHUNK = 100;
const dir = mkdtempSync(join(tmpdir(), 'orch-bench-store-'));
const store = Store.open(join(dir, 'bench.db'), { callLog: { maxQueued: calls * 2 } });

function entry(i: number): CallEntry {
  return {
    time: Date.now(),
    sessionId: 'bench-session',
    client: 'bench',
    server: `server-${i % 10}`,
    tool: `tool-${i % 50}`,
    method: 'tools/call',
    durationMs: i % 997,
    ok: i % 20 !== 0,
    error: i % 20 === 0 ? 'upstream error' : undefined,
    bytesIn: 200,
    bytesOut: 1_500,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

try {
  // Warm-up, then discard.
  for (let i = 0; i < 10_000; i++) store.calls.record(entry(i));
  store.calls.flush();

  const entries = Array.from({ length: calls }, (_, i) => entry(i));
  const perCall: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    store.calls.record(entries[i] as CallEntry);
    perCall.push(Number(process.hrtime.bigint() - t0));
  }
  store.calls.flush();
  const emptyTimer: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    emptyTimer.push(Number(process.hrtime.bigint() - t0));
  }
  const chunkMeans: number[] = [];
  for (let start = 0; start < calls; start += CHUNK) {
    const chunkStart = process.hrtime.bigint();
    for (let i = start; i < start + CHUNK; i++) store.calls.record(entries[i % calls] as CallEntry);
    chunkMeans.push(Number(process.hrtime.bigint() - chunkStart) / CHUNK);
  }
  const flushStart = process.hrtime.bigint();
  const written = store.calls.flush();
  const flushMs = Number(process.hrtime.bigint() - flushStart) / 1e6;
  const batches = Math.ceil(written / 512);

  console.log(
    `record(): ${calls} calls timed one by one: median ${median(perCall)} ns (an empty timed block: ${median(emptyTimer)} ns); timed in chunks of ${CHUNK}: median ${median(chunkMeans).toFixed(1)} ns per call`,
  );
  console.log(
    `flush(): ${written} rows in ${flushMs.toFixed(1)} ms = ${Math.round(written / (flushMs / 1000)).toLocaleString('en')} rows/s, ${batches} transactions, ${(flushMs / batches).toFixed(2)} ms per 512-row batch`,
  );
  console.log(`queue: ${JSON.stringify(store.calls.queueStats)}`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
