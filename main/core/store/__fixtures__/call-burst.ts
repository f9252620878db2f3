/**
 * Crash-safety fixture, run as `node --import tsx call-burst.ts <db> <batchSize>`: records calls
 * through the real store as fast as it can, in groups of exactly `batchSize` sharing a session id, so
 * that every committed transaction holds one whole group. Prints "ready" once 20 batches are
 * committed, then keeps going until it is killed.
 */
import { Store } from '../store.js';

const [path, size] = process.argv.slice(2);
if (!path || !size) throw new Error('usage: call-burst.ts <db> <batchSize>');
const batchSize = Number(size);
const store = Store.open(path, { callLog: { batchSize, maxQueued: batchSize * 1_000 } });
let batches = 0;
store.calls.onDidFlush(() => {
  if (++batches === 20) process.stdout.write('ready\n');
});
store.calls.onDidFail((error) => {
  process.stderr.write(`flush failed: ${error.message}\n`);
  process.exit(2);
});

let n = 0;
for (let group = 0; ; group++) {
  const time = Date.now();
  for (let i = 0; i < batchSize; i++, n++) {
    // Row content is checkable on its own: the error text is n % 300 characters long, bytesIn is n.
    store.calls.record({
      time,
      sessionId: `group-${group}`,
      server: 'burst',
      tool: `t${i}`,
      method: 'tools/call',
      durationMs: i,
      ok: false,
      error: 'e'.repeat(n % 300),
      bytesIn: n,
      bytesOut: i,
    });
  }
  // The store's own flush runs first: it was scheduled when the group filled the batch.
  await new Promise((resolve) => setImmediate(resolve));
}
