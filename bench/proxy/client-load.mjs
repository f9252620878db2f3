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
 * One concurrency level: `clients` fresh sessions, a warm-up, then `calls` calls in total split
 * evenly, all clients starting together. Sessions are closed afterwards.
 */
export async function runLevel(instance, { clients, calls, warmupCalls, deadlineMs, tag }) {
  const sessions = await connectAll(instance, clients);
  // Checked between calls: a level ends at most one call timeout after its deadline.
  const deadline = { expired: false };
  const timer = setTimeout(() => {
    deadline.expired = true;
  }, deadlineMs);
  try {
    const warmPerClient = Math.max(2, Math.ceil(warmupCalls / clients));
    const warm = await echoLoops(sessions, instance.toolName.echo, warmPerClient, `${tag}:warm`, deadline);
    const perClient = Math.ceil(calls / clients);
    const started = performance.now();
    const measured = await echoLoops(sessions, instance.toolName.echo, perClient, tag, deadline);
    const wallMs = performance.now() - started;
    const sorted = Float64Array.from(measured.latencies).sort();
    return {
      clients,
      calls: perClient * clients,
      wallMs,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      mean: sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1),
      callsPerSec: measured.counts.ok / (wallMs / 1000),
      ok: measured.counts.ok,
      wrong: measured.counts.wrong + warm.counts.wrong,
      lost: measured.counts.lost + warm.counts.lost + measured.counts.abandoned + warm.counts.abandoned,
      abandoned: measured.counts.abandoned + warm.counts.abandoned,
      errors: { ...warm.errors, ...measured.errors },
    };
  } finally {
    clearTimeout(timer);
    await Promise.all(sessions.map((session) => session.close()));
  }
}

/** `count` concurrent `sleep {ms}` calls on one session: wall time, and how many answers were wrong or lost. */
export async function runSleepFanout(instance, { count, ms }) {
  const [session] = await connectAll(instance, 1);
  try {
    await session.client.callTool({ name: instance.toolName.echo, arguments: { text: 'warm' } }, undefined, { timeout: CALL_TIMEOUT_MS });
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
  } finally {
    await session.close();
  }
}
