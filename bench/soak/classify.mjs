// After the soak: which failures a kill explains, how fast the calls a kill hit failed, and what
// is left that nothing explains (lost), per target.
//
// A kill of server S at time k opens a down window [k, up + GRACE], where `up` is when a fixture
// process of S next logged `start` (the restart), or never. A gateway that exited opens a window
// on all its servers that never closes. A failed call is explained when one of its servers has a
// window that overlaps the call; a failed call that no window explains is lost.
import { percentile } from '../proxy/client-load.mjs';

/** Time after a restart during which failures still count as the kill's. */
export const GRACE_MS = 3_000;
const KEPT_EXAMPLES = 200;

/** Down windows per server of one target: from its kills, the fixture logs, and the gateway's exit. */
export function downWindows(instance, kills) {
  const windows = Object.fromEntries(instance.servers.map((server) => [server, []]));
  for (const kill of kills.filter((entry) => entry.target === instance.name)) {
    const up = instance.logs[kill.server].starts().find((t) => t > kill.t) ?? Infinity;
    windows[kill.server].push({ t: kill.t, up, pid: kill.pid });
  }
  const exit = instance.proc.exited();
  const firstKill = kills.find((entry) => entry.target === instance.name);
  if (exit && firstKill && exit.at >= firstKill.t) {
    for (const server of instance.servers) windows[server].push({ t: exit.at, up: Infinity, gatewayExited: true });
  }
  return windows;
}

function explainedBy(windows, servers, t0, t1) {
  return servers.some((server) => (windows[server] ?? []).some((window) => window.t <= t1 && t0 <= window.up + GRACE_MS));
}

function stats(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

function tally(messages) {
  const counts = new Map();
  for (const message of messages) counts.set(message, (counts.get(message) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, 8));
}

/** The endpoint class of a call, for the breakdown: per-server (`mcp/a`) or aggregate (`mcp`), transport, batch. */
function classOf(call) {
  const where = call.endpoint.includes('/') ? 'per-server' : 'aggregate';
  return `${call.op === 'batch' ? 'batch ' : ''}${where} ${call.transport === 'sse' ? 'SSE' : 'Streamable'}`;
}

/** Every figure of the soak for one target, from its load record, the kills and its windows. */
export function classifyLoad(instance, load, kills, windows) {
  const ownKills = kills.filter((kill) => kill.target === instance.name);
  const counts = { calls: 0, ok: 0, wrong: 0, hung: 0, failedExplained: 0, lost: 0 };
  const byClass = {};
  const examples = { wrong: [], hung: [], lost: [] };
  const explainedMessages = [];
  const lostMessages = [];
  const tasks = { total: 0, succeeded: 0, wrong: 0, failedExplained: 0, lost: 0, skipped: 0 };
  for (const call of load.calls) {
    counts.calls += 1;
    const cls = (byClass[classOf(call)] ??= { calls: 0, ok: 0, wrong: 0, hung: 0, failedExplained: 0, lost: 0 });
    cls.calls += 1;
    let verdict = call.outcome;
    if (call.outcome === 'error') {
      verdict = explainedBy(windows, call.servers, call.t0, call.t1) ? 'failedExplained' : 'lost';
      (verdict === 'lost' ? lostMessages : explainedMessages).push(call.error);
    }
    counts[verdict] += 1;
    cls[verdict] += 1;
    if (examples[verdict] && examples[verdict].length < KEPT_EXAMPLES) examples[verdict].push(call);
    for (const task of call.tasks ?? []) {
      tasks.total += 1;
      if (task.status === 'succeeded') tasks[task.correct ? 'succeeded' : 'wrong'] += 1;
      else if (task.status === 'failed') tasks[explainedBy(windows, [task.server], call.t0, call.t1) ? 'failedExplained' : 'lost'] += 1;
      else tasks.skipped += 1;
    }
  }

  // The calls each kill hit: in flight on the killed server at the moment of the kill.
  const hit = { inFlight: 0, failed: 0, answered: 0, hung: 0, wrong: 0, batchCalls: 0, answeredSleepsCut: 0 };
  const failLatencies = [];
  const answeredLatencies = [];
  const startedWhileDown = { calls: 0, ok: 0, failed: 0, hung: 0, latencies: [] };
  for (const kill of ownKills) {
    const window = windows[kill.server].find((entry) => entry.t === kill.t);
    for (const call of load.calls) {
      if (!call.servers.includes(kill.server) && call.op !== 'batch') continue;
      if (call.op === 'batch') {
        if (call.t0 < kill.t && kill.t < call.t1 && call.tasks?.some((task) => task.server === kill.server)) hit.batchCalls += 1;
        continue;
      }
      if (call.t0 < kill.t && kill.t < call.t1) {
        // With a process per session, the calls of other sessions were not hit: only failures say something.
        if (instance.perSessionUpstream && call.outcome !== 'error') continue;
        hit.inFlight += 1;
        if (call.outcome === 'error') {
          hit.failed += 1;
          failLatencies.push(call.t1 - kill.t);
        } else if (call.outcome === 'ok') {
          hit.answered += 1;
          answeredLatencies.push(call.t1 - kill.t);
          // A sleep whose time was not up at the kill cannot have been answered by the killed process.
          if (call.op === 'sleep' && call.t0 + call.ms > kill.t) hit.answeredSleepsCut += 1;
        } else hit[call.outcome] += 1;
      } else if (window && call.t0 >= kill.t && call.t0 < window.up) {
        startedWhileDown.calls += 1;
        startedWhileDown[call.outcome === 'ok' ? 'ok' : call.outcome === 'hung' ? 'hung' : 'failed'] += 1;
        startedWhileDown.latencies.push(call.t1 - call.t0);
      }
    }
  }
  const recoveries = ownKills.map((kill) => windows[kill.server].find((entry) => entry.t === kill.t)?.up - kill.t);
  const connect = { failures: load.connectFailures.length, explained: 0, unexplained: 0 };
  for (const failure of load.connectFailures)
    connect[explainedBy(windows, failure.servers, failure.t0, failure.t1) ? 'explained' : 'unexplained'] += 1;

  return {
    counts,
    byClass,
    tasks,
    kills: ownKills.length,
    recoveryMs: { ...stats(recoveries.filter(Number.isFinite)), never: recoveries.filter((value) => !Number.isFinite(value)).length },
    hit: { ...hit, perSession: Boolean(instance.perSessionUpstream), failMs: stats(failLatencies), answeredMs: stats(answeredLatencies) },
    startedWhileDown: { ...startedWhileDown, latencies: undefined, ms: stats(startedWhileDown.latencies) },
    sessionsOpened: load.sessionsOpened,
    reconnects: load.reconnects,
    connect,
    errors: { explained: tally(explainedMessages), lost: tally(lostMessages) },
    examples,
  };
}
