// Load through the official SDK client: N concurrent sessions doing sequential `echo` calls, and
// one session firing concurrent `sleep` calls. Every loop is bounded by a call count and a deadline.
import { performance } from 'node:perf_hooks';

const CALL_TIMEOUT_MS = 10_000;
/** A client stops after this many failures in a row; its remaining calls count as lost. */
const MAX_CONSECUTIVE_FAILURES = 3;

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function textOf(result) {
  const first = result?.content?.[0];
  return first?.type === 'text' ? first.text : undefined;
}

async function connectAll(instance, count) {
  const settled = await Promise.allSettled(Array.from({ length: count }, () => instance.connect()));
  const sessions = settled.filter((entry) => entry.status === 'fulfilled').map((entry) => entry.value);
  const failures = settled.filter((entry) => entry.status === 'rejected');
  if (failures.length > 0) {
    await Promise.all(sessions.map((session) => session.close()));
    throw new Error(`${failures.length} of ${count} sessions failed to connect: ${failures[0].reason?.message ?? failures[0].reason}`);
  }
  return sessions;
}

/**
 * Runs `perClient` sequential echo calls on each session at once. Returns latencies (ms) of the
 * correct answers and counts of wrong answers (another call's text or an error result), lost ones
 * (error, timeout) and abandoned ones (not sent: the client failed repeatedly or the deadline passed).
 */
async function echoLoops(sessions, toolName, perClient, tag, deadline) {
  const latencies = [];
  const counts = { ok: 0, wrong: 0, lost: 0, abandoned: 0 };
  const errors = new Map();
  const loop = async (session, clientIndex) => {
    let failuresInRow = 0;
    for (let i = 0; i < perClient; i += 1) {
      if (deadline.expired || failuresInRow >= MAX_CONSECUTIVE_FAILURES) {
        counts.abandoned += perClient - i;
        return;
      }
      const text = `${tag}:${clientIndex}:${i}:${Math.random().toString(36).slice(2, 10)}`;
      const started = performance.now();
      try {
        const result = await session.client.callTool({ name: toolName, arguments: { text } }, undefined, { timeout: CALL_TIMEOUT_MS });
        const elapsed = performance.now() - started;
        if (textOf(result) === text && !result.isError) {
          counts.ok += 1;
          latencies.push(elapsed);
          failuresInRow = 0;
        } else {
          counts.wrong += 1;
          failuresInRow += 1;
        }
      } catch (error) {
        counts.lost += 1;
        failuresInRow += 1;
        const message = String(error?.message ?? error).slice(0, 160);
        errors.set(message, (errors.get(message) ?? 0) + 1);
      }
    }
  };
  await Promise.all(sessions.map(loop));
  return { latencies, counts, errors: Object.fromEntries(errors) };
}

/**
 * One concurrency level of one target, run in blocks so that levels of several targets can take
 * turns: `openLevel` connects `clients` fresh sessions and warms them up, `runBlock` makes
 * `perClient` sequential calls on every session at once, `closeLevel` closes the sessions and sums
 * the blocks up. `deadlineMs` bounds the time spent in this level's own blocks.
 */
export async function openLevel(instance, { clients, warmupCalls, deadlineMs, tag }) {
  const sessions = await connectAll(instance, clients);
  const level = {
    instance,
    sessions,
    clients,
    tag,
    deadlineMs,
    activeMs: 0,
    wallMs: 0,
    blocks: 0,
    latencies: [],
    warm: undefined,
    measured: undefined,
  };
  try {
    level.warm = await timed(level, Math.max(2, Math.ceil(warmupCalls / clients)), `${tag}:warm`);
  } catch (error) {
    await closeSessions(level);
    throw error;
  }
  return level;
}

export async function runBlock(level, perClient) {
  const started = performance.now();
  const block = await timed(level, perClient, `${level.tag}:${level.blocks}`);
  level.blocks += 1;
  level.wallMs += performance.now() - started;
  level.latencies.push(...block.latencies);
  level.measured = level.measured ? mergeCounts(level.measured, block) : block;
}

export async function closeLevel(level) {
  await closeSessions(level);
  const measured = level.measured ?? { counts: { ok: 0, wrong: 0, lost: 0, abandoned: 0 }, errors: {} };
  const { warm } = level;
  const sorted = Float64Array.from(level.latencies).sort();
  const { wallMs } = level;
  return {
    clients: level.clients,
    calls: sorted.length + measured.counts.wrong + measured.counts.lost + measured.counts.abandoned,
    blocks: level.blocks,
    wallMs,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1),
    callsPerSec: wallMs > 0 ? measured.counts.ok / (wallMs / 1000) : NaN,
    ok: measured.counts.ok,
    wrong: measured.counts.wrong + warm.counts.wrong,
    lost: measured.counts.lost + warm.counts.lost + measured.counts.abandoned + warm.counts.abandoned,
    abandoned: measured.counts.abandoned + warm.counts.abandoned,
    errors: { ...warm.errors, ...measured.errors },
  };
}

/** A whole level in one go: `calls` calls in all, split evenly, in one block. */
export async function runLevel(instance, { clients, calls, warmupCalls, deadlineMs, tag }) {
  const level = await openLevel(instance, { clients, warmupCalls, deadlineMs, tag });
  try {
    await runBlock(level, Math.ceil(calls / clients));
  } catch (error) {
    await closeSessions(level);
    throw error;
  }
  return closeLevel(level);
}

/** `echoLoops` on the level's sessions, stopped once the level has used up its time. */
async function timed(level, perClient, tag) {
  const remainingMs = level.deadlineMs - level.activeMs;
  // Checked between calls: a block ends at most one call timeout after the level's deadline.
  const deadline = { expired: remainingMs <= 0 };
  const timer = setTimeout(
    () => {
      deadline.expired = true;
    },
    Math.max(0, remainingMs),
  );
  const started = performance.now();
  try {
    return await echoLoops(level.sessions, level.instance.toolName.echo, perClient, tag, deadline);
  } finally {
    clearTimeout(timer);
    level.activeMs += performance.now() - started;
  }
}

function mergeCounts(a, b) {
  const counts = {};
  for (const key of Object.keys(a.counts)) counts[key] = a.counts[key] + b.counts[key];
  const errors = { ...a.errors };
  for (const [message, count] of Object.entries(b.errors)) errors[message] = (errors[message] ?? 0) + count;
  return { counts, errors };
}

async function closeSessions(level) {
  if (level.closed) return;
  level.closed = true;
  await Promise.all(level.sessions.map((session) => session.close()));
}

/** One session for the sleep test, warmed by one echo call; `runSleepFanout` fires on it, `close()` ends it. */
export async function openSleepSession(instance) {
  const [session] = await connectAll(instance, 1);
  try {
    await session.client.callTool({ name: instance.toolName.echo, arguments: { text: 'warm' } }, undefined, { timeout: CALL_TIMEOUT_MS });
  } catch (error) {
    await session.close();
    throw error;
  }
  return { instance, session, close: () => session.close() };
}

/** `count` concurrent `sleep {ms}` calls on one session: wall time, and how many answers were wrong or lost. */
export async function runSleepFanout({ instance, session }, { count, ms }) {
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: count }, () =>
      session.client.callTool({ name: instance.toolName.sleep, arguments: { ms } }, undefined, { timeout: CALL_TIMEOUT_MS }),
    ),
  );
  const wallMs = performance.now() - started;
  const wrong = results.filter((entry) => entry.status === 'fulfilled' && textOf(entry.value) !== `slept ${ms}`).length;
  const lost = results.filter((entry) => entry.status === 'rejected').length;
  return { count, ms, wallMs, wrong, lost };
}
