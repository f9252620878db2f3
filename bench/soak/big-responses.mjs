// Large answers must not block other sessions. For one transport of one target: small `echo`
// calls on other sessions are timed first alone, then while one session pulls `blob` answers of
// `bigBytes` one after another; the big answers are checked character for character, in a worker
// thread (big-worker.mjs) so that the client's own work on them does not delay the small calls.
import { Worker } from 'node:worker_threads';
import { percentile } from '../proxy/client-load.mjs';
import { cpuMs, hwmMb, rssMb } from './proc-stats.mjs';
import { checkedCall, expectText } from './calls.mjs';
import { now, sleep } from './rng.mjs';

const SMALL_PAUSE_MS = 10;
const WARMUP_CALLS = 5;

/**
 * The rows of the test for one target: per transport, the endpoint of the big session and the
 * endpoints of the small ones, grouped (`same server` as the big answers, or `other server`).
 */
export function bigRows(instance) {
  if (instance.product !== 'mcp-orch') {
    const [endpoint] = instance.endpoints;
    return [{ label: endpoint.transport === 'sse' ? 'SSE' : 'Streamable', big: endpoint, small: [{ group: 'same server', endpoint }] }];
  }
  const byId = new Map(instance.endpoints.map((endpoint) => [endpoint.id, endpoint]));
  return ['mcp', 'sse'].map((kind) => ({
    label: kind === 'sse' ? 'SSE' : 'Streamable',
    big: byId.get(`${kind}/a`),
    small: [
      { group: 'same server', endpoint: byId.get(`${kind}/a`) },
      { group: 'other server', endpoint: byId.get(`${kind}/b`) },
    ],
  }));
}

function latencyStats(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** Small sequential echo calls on every session until `phase.stop`; latencies (ms) per group, and failures. */
async function smallLoops(instance, smalls, phase, hangMs) {
  const latencies = {};
  const failures = [];
  await Promise.all(
    smalls.map(async ({ group, session, endpoint }, index) => {
      latencies[group] ??= [];
      for (let i = 0; i < 100_000 && !phase.stop; i += 1) {
        const text = `small:${index}:${i}:${Math.random().toString(36).slice(2, 8)}`;
        const call = await checkedCall(session.client, instance.tool(endpoint, endpoint.server, 'echo'), { text }, expectText(text), {
          hangMs,
        });
        if (call.outcome === 'ok') latencies[group].push(call.t1 - call.t0);
        else failures.push({ group, outcome: call.outcome, error: call.error });
        await sleep(SMALL_PAUSE_MS);
      }
    }),
  );
  return { latencies, failures };
}

/**
 * A worker thread with a session of its own at `row.big`, connected; `run(phase)` pulls `blob`
 * answers one after another until `phase.stopBig` (at least one), each checked in full.
 */
async function startBigWorker(instance, row, bigBytes, hangMs) {
  const worker = new Worker(new URL('./big-worker.mjs', import.meta.url), {
    workerData: { spec: instance.connectSpec(row.big), toolName: instance.tool(row.big, row.big.server, 'blob'), bigBytes, hangMs },
  });
  const next = () =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await next();
  return {
    async run(phase) {
      const done = next();
      worker.postMessage('go');
      const poll = setInterval(() => phase.stopBig && worker.postMessage('stop'), 50);
      try {
        return (await done).done;
      } finally {
        clearInterval(poll);
      }
    },
    close: () => worker.terminate(),
  };
}

async function openSessions(instance, row, perGroup) {
  const smalls = [];
  for (const { group, endpoint } of row.small) {
    for (let i = 0; i < perGroup; i += 1) smalls.push({ group, endpoint, session: await instance.connect(endpoint) });
  }
  for (const { session, endpoint } of smalls) {
    for (let i = 0; i < WARMUP_CALLS; i += 1)
      await session.client.callTool({ name: instance.tool(endpoint, endpoint.server, 'echo'), arguments: { text: 'warm' } });
  }
  return smalls;
}

function countCalls(run) {
  return Object.values(run.latencies).reduce((sum, list) => sum + list.length, 0) + run.failures.length;
}

/**
 * The serving process's CPU time per big answer (ms): its CPU time beside the big answers, less
 * what the small calls made then cost at the rate per small call measured alone (idle work such
 * as timers included), divided by the big answers. /proc counts in ticks of 10 ms: over a phase
 * of seconds that is well within the figure's noise on a shared machine.
 */
function cpuPerBig({ aloneMs, aloneCalls, withMs, withCalls, bigAnswers }) {
  const perSmallMs = aloneCalls > 0 ? aloneMs / aloneCalls : 0;
  const perBigMs = bigAnswers > 0 ? (withMs - perSmallMs * withCalls) / bigAnswers : NaN;
  return { aloneMs, aloneCalls, withMs, withCalls, bigAnswers, perSmallMs, perBigMs };
}

/** One row: `seconds` of small calls alone, then `seconds` (at least one big answer) with big answers. */
export async function measureBigRow(instance, row, { smallSessions, seconds, bigBytes, hangMs }) {
  const perGroup = Math.max(1, Math.floor(smallSessions / row.small.length));
  const smalls = await openSessions(instance, row, perGroup);
  const bigWorker = await startBigWorker(instance, row, bigBytes, hangMs);
  try {
    const alonePhase = { stop: false };
    const cpuAtStart = cpuMs(instance.proc.pid);
    const aloneTimer = setTimeout(() => (alonePhase.stop = true), seconds * 1000);
    const alone = await smallLoops(instance, smalls, alonePhase, hangMs);
    clearTimeout(aloneTimer);
    const cpuAfterAlone = cpuMs(instance.proc.pid);

    const rssBefore = rssMb(instance.proc.pid);
    const withPhase = { stop: false, stopBig: false };
    const started = now();
    const bigTimer = setTimeout(() => (withPhase.stopBig = true), seconds * 1000);
    const smallRun = smallLoops(instance, smalls, withPhase, hangMs);
    const big = await bigWorker.run(withPhase);
    clearTimeout(bigTimer);
    withPhase.stop = true;
    const withBig = await smallRun;
    const wallMs = now() - started;
    const cpuAtEnd = cpuMs(instance.proc.pid);
    const groups = Object.keys(alone.latencies);
    return {
      label: row.label,
      bigEndpoint: row.big.id,
      smallEndpoints: Object.fromEntries(row.small.map(({ group, endpoint }) => [group, endpoint.id])),
      sessionsPerGroup: perGroup,
      alone: Object.fromEntries(groups.map((group) => [group, latencyStats(alone.latencies[group])])),
      withBig: Object.fromEntries(groups.map((group) => [group, latencyStats(withBig.latencies[group] ?? [])])),
      smallFailures: {
        alone: alone.failures.length,
        withBig: withBig.failures.length,
        examples: [...alone.failures, ...withBig.failures].slice(0, 5),
      },
      big: {
        ...big,
        latencies: undefined,
        ms: latencyStats(big.latencies),
        mbPerSec: big.ok > 0 ? (big.ok * bigBytes) / 1e6 / (wallMs / 1000) : 0,
        wallMs,
      },
      gatewayCpu: cpuPerBig({
        aloneMs: cpuAfterAlone - cpuAtStart,
        aloneCalls: countCalls(alone),
        withMs: cpuAtEnd - cpuAfterAlone,
        withCalls: countCalls(withBig),
        bigAnswers: big.calls,
      }),
      gatewayRssMb: { before: rssBefore, after: rssMb(instance.proc.pid), peak: hwmMb(instance.proc.pid) },
    };
  } finally {
    await Promise.all([...smalls.map(({ session }) => session.close()), bigWorker.close()]);
  }
}
