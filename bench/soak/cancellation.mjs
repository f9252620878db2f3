// A client that goes away mid-call must cancel the upstream work. Each trial starts the fixture's
// `work {ms, tag}` (directly, or as the one task of a batch_execute plan), waits until the fixture
// logs that it started, then leaves in one of three ways, and reads in the fixture's log what
// happened to the work:
//   cancel      the SDK aborts the call: it sends `notifications/cancelled` for the request
//   disconnect  the client drops its connections without a word (SSE: the GET stream; Streamable:
//               the POST, no DELETE), as a killed or crashed client would
//   delete      Streamable only: the client ends its session with DELETE while the call runs
// Outcomes: `cancelled` (the fixture saw notifications/cancelled; with the delay from the action),
// `process ended` (its stdin closed with the work running: the gateway ended the server process),
// `ran to the end` (the work finished: nothing reached the server), or `not started`.
import { isAlive } from '../proxy/processes.mjs';
import { now, sleep } from './rng.mjs';

const POLL_MS = 25;

/** The trials' combinations for one target: endpoint × way of leaving (× batch for the daemon). */
export function cancelCombos(instance) {
  const combos = [];
  const add = (endpoint, batch) => {
    for (const mode of ['cancel', 'disconnect', ...(endpoint.transport === 'streamable' ? ['delete'] : [])])
      combos.push({ endpoint, batch, mode });
  };
  if (instance.product !== 'mcp-orch') {
    add(instance.endpoints[0], false);
    return combos;
  }
  for (const id of ['mcp/a', 'sse/a', 'mcp', 'sse'])
    add(
      instance.endpoints.find((endpoint) => endpoint.id === id),
      false,
    );
  for (const id of ['mcp', 'sse'])
    add(
      instance.endpoints.find((endpoint) => endpoint.id === id),
      true,
    );
  return combos;
}

async function leave(mode, session, controller) {
  if (mode === 'cancel') controller.abort(new Error('the soak client cancels'));
  else if (mode === 'disconnect') await session.client.close();
  else await session.client.transport.terminateSession();
}

/**
 * Watches the fixture's log, and the process that runs the work, until the work is cancelled,
 * finishes, or its process is gone (its stdin closed, or it was killed without a log line).
 */
async function outcomeOf(log, tag, started, leftAt, timeoutMs) {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    log.poll();
    const seen = log.events.find(
      (event) =>
        (event.tag === tag && (event.ev === 'work-cancelled' || event.ev === 'work-done')) ||
        (event.ev === 'stdin-end' && event.pid === started.pid && event.running?.includes(tag)),
    );
    if (seen) {
      const outcome = { 'work-cancelled': 'cancelled', 'work-done': 'ran to the end', 'stdin-end': 'process ended' }[seen.ev];
      return { outcome, afterMs: seen.t - leftAt, reason: seen.reason };
    }
    if (!isAlive(started.pid)) return { outcome: 'process ended', afterMs: now() - leftAt, reason: 'killed (no log line)' };
    await sleep(POLL_MS);
  }
  return { outcome: 'no word from the fixture' };
}

/** One trial; resolves with its outcome and, when cancelled, the delay from leaving to the fixture's log line. */
async function trial(instance, combo, index, { workMs, hangMs, leaveAfterMs = 0 }) {
  const server = instance.servers[0];
  const log = instance.logs[server];
  const tag = `cancel:${instance.name}:${combo.endpoint.id}:${combo.batch ? 'batch' : 'call'}:${combo.mode}:${index}:${Math.random().toString(36).slice(2, 8)}`;
  const work = { name: instance.tool(combo.endpoint, server, 'work'), arguments: { ms: workMs, tag } };
  const request = combo.batch
    ? { name: 'batch_execute', arguments: { tasks: [{ id: 'w', tool: work.name, arguments: work.arguments }] } }
    : work;
  const session = await instance.connect(combo.endpoint);
  const controller = new AbortController();
  try {
    const call = session.client.callTool(request, undefined, { signal: controller.signal, timeout: hangMs }).catch(() => undefined);
    const started = await log.waitFor((event) => event.ev === 'work-start' && event.tag === tag, 15_000);
    if (!started) {
      controller.abort();
      await call;
      return { outcome: 'not started' };
    }
    // Leaving later than the daemon's 50 ms switch to a resumable stream tries the other path.
    if (leaveAfterMs > 0) await sleep(leaveAfterMs);
    const leftAt = now();
    await leave(combo.mode, session, controller);
    return await outcomeOf(log, tag, started, leftAt, workMs + 5_000);
  } finally {
    await Promise.race([session.close().catch(() => undefined), sleep(5_000)]);
  }
}

/**
 * Runs `trials` trials of every combination on one target, one trial at a time: a gateway that
 * does not rewrite request ids (each SDK client numbers its own from 0) could otherwise route one
 * session's cancellation to another session's call. Returns one row per combination.
 */
export async function measureCancellation(instance, { trials, workMs, hangMs, leaveAfterMs }) {
  const rows = [];
  for (const combo of cancelCombos(instance)) {
    const results = [];
    for (let index = 0; index < trials; index += 1) {
      results.push(
        await trial(instance, combo, index, { workMs, hangMs, leaveAfterMs }).catch((error) => ({
          outcome: 'error',
          error: String(error?.message ?? error).slice(0, 160),
        })),
      );
    }
    const count = (outcome) => results.filter((result) => result.outcome === outcome).length;
    const delays = results
      .filter((result) => result.outcome === 'cancelled' || result.outcome === 'process ended')
      .map((result) => result.afterMs);
    rows.push({
      endpoint: combo.endpoint.id,
      transport: combo.endpoint.transport,
      batch: combo.batch,
      mode: combo.mode,
      trials,
      cancelled: count('cancelled'),
      processEnded: count('process ended'),
      ranToEnd: count('ran to the end'),
      other: results.length - count('cancelled') - count('process ended') - count('ran to the end'),
      maxDelayMs: delays.length ? Math.max(...delays) : undefined,
      results,
    });
  }
  return rows;
}
