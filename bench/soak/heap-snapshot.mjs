// Live-heap figures of the daemon, for `--heap-snapshots`. RSS cannot tell a leak from a heap that
// V8 has not collected yet; a heap snapshot can: V8 runs a full garbage collection before it
// writes one. The daemon is started with `--heapsnapshot-signal=SIGUSR2`; each snapshot pauses it
// (a second or two), which is why this is an option.
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './rng.mjs';

const WRITE_TIMEOUT_MS = 120_000;

/** The node flags that make the daemon write a heap snapshot into `dir` on SIGUSR2. */
export function heapSnapshotFlags(dir) {
  return ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`];
}

/** Sums a snapshot's nodes: live heap in bytes, and bytes per constructor (or node type). */
export function summariseSnapshot(text) {
  const snapshot = JSON.parse(text);
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const byName = new Map();
  let total = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]];
    const size = snapshot.nodes[i + sizeAt];
    const name = type === 'object' || type === 'closure' ? snapshot.strings[snapshot.nodes[i + nameAt]] : `(${type})`;
    byName.set(name, (byName.get(name) ?? 0) + size);
    total += size;
  }
  return { totalBytes: total, byName };
}

/** Signals `pid`, waits for the new snapshot in `dir` to be complete, summarises it and deletes it. */
export async function takeHeapSnapshot(pid, dir) {
  const before = new Set(safeList(dir));
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + WRITE_TIMEOUT_MS;
  let lastSize = -1;
  let path;
  while (Date.now() < deadline) {
    await sleep(500);
    const file = safeList(dir).find((name) => !before.has(name) && name.endsWith('.heapsnapshot'));
    if (!file) continue;
    path = join(dir, file);
    const size = statSync(path).size;
    if (size === lastSize && size > 0) {
      try {
        const summary = summariseSnapshot(readFileSync(path, 'utf8'));
        rmSync(path, { force: true });
        return summary;
      } catch {
        // not complete yet: wait for the next size
      }
    }
    lastSize = size;
  }
  if (path) rmSync(path, { force: true });
  throw new Error(`no heap snapshot from pid ${pid} within ${WRITE_TIMEOUT_MS} ms`);
}

function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** What two snapshots say: live heap then and now, and the constructors that grew most. */
export function compareSnapshots(first, last, minutes) {
  const growth = [...last.byName]
    .map(([name, bytes]) => [name, bytes - (first.byName.get(name) ?? 0)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, bytes]) => ({ name, growthMb: bytes / 1e6 }));
  const firstMb = first.totalBytes / 1e6;
  const lastMb = last.totalBytes / 1e6;
  return { firstMb, lastMb, minutes, slopeMbPerMin: minutes > 0 ? (lastMb - firstMb) / minutes : undefined, topGrowth: growth };
}
