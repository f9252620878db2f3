// The soak's load on one target: N sessions, each a worker that makes one checked call at a time
// (echo, sleep, or a batch_execute plan) with a pause between calls, until the deadline. A worker
// whose session is gone (the gateway closed it, or two calls in a row failed) opens a new one.
// Every call is recorded for the classification that follows the run (classify.mjs).
import { batchPlan, checkedCall, expectText, readBatchReport } from './calls.mjs';
import { createRng, now, sleep } from './rng.mjs';

const CONNECT_TIMEOUT_MS = 30_000;
const RECONNECT_BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000];
/**
 * Errors of the client's own transport after which the session cannot be used any more: open a new
 * one. (A server's JSON-RPC error, `MCP error -32603: Not connected` from a peer's upstream, is not one.)
 */
const SESSION_GONE = /^Not connected$|^MCP error -32000: Connection closed$|Session not found|HTTP 404|fetch failed|ECONNREFUSED|SSE error/;

/**
 * Which endpoint each worker uses. The daemon's 50 sessions mix both transports, per-server and
 * aggregated endpoints, and batch runs (1 in 5 workers); a peer's all use its one endpoint.
 */
export function assignWorkers(instance, sessions) {
  const byId = new Map(instance.endpoints.map((endpoint) => [endpoint.id, endpoint]));
  if (instance.product !== 'mcp-orch') return Array.from({ length: sessions }, () => ({ endpoint: instance.endpoints[0], batch: false }));
  const pattern = [
    ['mcp/$', false],
    ['sse/$', false],
    ['mcp', false],
    ['sse', false],
    ['mcp/$', false],
    ['sse/$', false],
    ['mcp', false],
    ['sse', false],
    ['mcp', true],
    ['sse/$', true],
  ];
  return Array.from({ length: sessions }, (_, index) => {
    const [id, batch] = pattern[index % pattern.length];
    const server = instance.servers[index % instance.servers.length];
    return { endpoint: byId.get(id.replace('$', server)), batch };
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
    }),
  ]);
}

/** Ends a session (Streamable: DELETE), bounded in time: the server behind it may be gone. */
function closeQuietly(session) {
  return withTimeout(session.close(), CONNECT_TIMEOUT_MS, 'close').catch(() => undefined);
}

async function oneCall(instance, assignment, session, rng, tag, profile) {
  const { endpoint } = assignment;
  const servers = endpoint.server === undefined ? instance.servers : [endpoint.server];
  const sleepMs = rng.int(profile.sleepMs[0], profile.sleepMs[1]);
  if (assignment.batch) {
    const { plan, expected } = batchPlan((server, tool) => instance.tool(endpoint, server, tool), servers, rng, tag, sleepMs);
    const call = await checkedCall(session.client, 'batch_execute', plan, () => true, { hangMs: profile.hangMs });
    const report = call.result ? readBatchReport(call.result, expected) : { tasks: [] };
    const failed = report.tasks.filter((task) => task.status !== 'succeeded');
    const wrong = report.tasks.filter((task) => task.correct === false);
    let { outcome, error } = call;
    if (outcome === 'ok' && report.tasks.length !== 4) [outcome, error] = ['wrong', `not a report of 4 tasks: ${report.status}`];
    else if (outcome === 'ok' && wrong.length > 0) [outcome, error] = ['wrong', `task ${wrong[0].id} answered another text`];
    else if (outcome === 'ok' && failed.length > 0)
      [outcome, error] = ['error', `task ${failed[0].id} ${failed[0].status}: ${failed[0].error ?? ''}`.slice(0, 200)];
    const touched =
      failed.length > 0 ? [...new Set(failed.map((task) => task.server))] : [...new Set(Object.values(expected).map(([server]) => server))];
    return {
      ...call,
      result: undefined,
      op: 'batch',
      servers: touched,
      tasks: report.tasks.map(({ id, server, status, correct }) => ({ id, server, status, correct })),
      outcome,
      error,
    };
  }
  const server = rng.pick(servers);
  const name = instance.tool(endpoint, server, rng.next() < profile.sleepShare ? 'sleep' : 'echo');
  const isSleep = name.endsWith('sleep');
  const text = `${tag}:${rng.int(0, 1e9).toString(36)}`;
  const call = await checkedCall(
    session.client,
    name,
    isSleep ? { ms: sleepMs } : { text },
    expectText(isSleep ? `slept ${sleepMs}` : text),
    { hangMs: profile.hangMs },
  );
  return { ...call, result: undefined, op: isSleep ? 'sleep' : 'echo', servers: [server], ...(isSleep ? { ms: sleepMs } : {}) };
}

/**
 * Runs the load on `instance` until `deadline` (ms, wall clock) or `stop.requested`; resolves when
 * every worker has finished its last call and closed its session. Returns the calls, the failed
 * connection attempts and the number of sessions (re)opened.
 */
export async function runLoad(instance, { sessions, deadline, seed, profile, stop }) {
  const calls = [];
  const connectFailures = [];
  const counters = { sessionsOpened: 0, reconnects: 0 };
  const worker = async (assignment, index) => {
    const rng = createRng(seed * 1000 + index);
    let session;
    let gone = false;
    let failuresInRow = 0;
    let backoff = 0;
    let count = 0;
    const open = async () => {
      const t0 = now();
      try {
        session = await withTimeout(instance.connect(assignment.endpoint), CONNECT_TIMEOUT_MS, 'connect');
        gone = false;
        session.client.onclose = () => {
          gone = true;
        };
        counters.sessionsOpened += 1;
        backoff = 0;
      } catch (error) {
        connectFailures.push({
          worker: index,
          endpoint: assignment.endpoint.id,
          servers: assignment.endpoint.server ? [assignment.endpoint.server] : instance.servers,
          t0,
          t1: now(),
          error: String(error?.message ?? error).slice(0, 200),
        });
        await sleep(RECONNECT_BACKOFF_MS[Math.min(backoff, RECONNECT_BACKOFF_MS.length - 1)]);
        backoff += 1;
      }
    };
    // Workers start spread over the first pause, not all in the same millisecond.
    await sleep(rng.int(0, profile.thinkMs[1]));
    while (!stop.requested && now() < deadline) {
      if (!session) {
        await open();
        continue;
      }
      const record = await oneCall(instance, assignment, session, rng, `${instance.name}:${index}:${count++}`, profile);
      calls.push({ worker: index, endpoint: assignment.endpoint.id, transport: assignment.endpoint.transport, ...record });
      failuresInRow = record.outcome === 'ok' || record.outcome === 'wrong' ? 0 : failuresInRow + 1;
      if (gone || failuresInRow >= 2 || (record.error && SESSION_GONE.test(record.error))) {
        await closeQuietly(session);
        session = undefined;
        counters.reconnects += 1;
        failuresInRow = 0;
        continue;
      }
      await sleep(rng.int(profile.thinkMs[0], profile.thinkMs[1]));
    }
    if (session) await closeQuietly(session);
  };
  await Promise.all(assignWorkers(instance, sessions).map(worker));
  return { calls, connectFailures, ...counters };
}
