// One checked call through an SDK client: what was asked, what came back, and when. Every call
// carries something unique (a text, a seed) so that an answer meant for another call is caught.
import { now } from './rng.mjs';

/** The text of a tool result's first content item, if it is text. */
export function textOf(result) {
  const first = result?.content?.[0];
  return first?.type === 'text' ? first.text : undefined;
}

function messageOf(error) {
  return String(error?.message ?? error)
    .split('\n')[0]
    .slice(0, 200);
}

/**
 * Calls `name` with `args` and checks the answer with `check(result) → true | 'reason'`. Resolves
 * (never rejects) with `{ t0, t1, outcome, error }`; outcome is `ok`, `wrong` (an answer that fails
 * the check), `error` (an error, or a result with `isError`) or `hung` (no answer after `hangMs`).
 */
export async function checkedCall(client, name, args, check, { hangMs, signal }) {
  const t0 = now();
  let timer;
  // The SDK's own timeout normally ends a hung call; this one covers a promise that never settles.
  const guard = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ hung: true }), hangMs + 5_000);
  });
  try {
    const settled = await Promise.race([
      client.callTool({ name, arguments: args }, undefined, { timeout: hangMs, signal }).then(
        (result) => ({ result }),
        (error) => ({ error }),
      ),
      guard,
    ]);
    const t1 = now();
    if (settled.hung) return { t0, t1, outcome: 'hung', error: `no answer after ${hangMs + 5_000} ms` };
    if (settled.error) {
      const timedOut = settled.error?.code === -32001 && t1 - t0 >= hangMs - 100;
      return { t0, t1, outcome: timedOut ? 'hung' : 'error', error: messageOf(settled.error) };
    }
    if (settled.result.isError)
      return { t0, t1, outcome: 'error', error: `isError: ${(textOf(settled.result) ?? '').slice(0, 200)}`, result: settled.result };
    const verdict = check(settled.result);
    return verdict === true
      ? { t0, t1, outcome: 'ok', result: settled.result }
      : { t0, t1, outcome: 'wrong', error: verdict, result: settled.result };
  } finally {
    clearTimeout(timer);
  }
}

/** A check that the first text is exactly `expected`. */
export function expectText(expected) {
  return (result) => {
    const text = textOf(result);
    if (text === expected) return true;
    return `expected ${JSON.stringify(expected.slice(0, 60))}, got ${JSON.stringify(String(text).slice(0, 60))}`;
  };
}

/**
 * A `batch_execute` plan over `servers` (each task on one of them): two echoes, one sleep, and an
 * echo that joins the first two by reference, with every task in its `output`. Returns the plan
 * and, per task, its server and the text it must answer.
 */
export function batchPlan(tool, servers, rng, tag, sleepMs) {
  const first = `${tag}:1:${rng.int(0, 1e9).toString(36)}`;
  const second = `${tag}:2:${rng.int(0, 1e9).toString(36)}`;
  const on = [rng.pick(servers), rng.pick(servers), rng.pick(servers), rng.pick(servers)];
  const tasks = [
    { id: 'e1', tool: tool(on[0], 'echo'), arguments: { text: first } },
    { id: 'e2', tool: tool(on[1], 'echo'), arguments: { text: second } },
    { id: 's', tool: tool(on[2], 'sleep'), arguments: { ms: sleepMs } },
    { id: 'j', tool: tool(on[3], 'echo'), arguments: { text: '{{e1.text}}+{{e2.text}}' } },
  ];
  const expected = { e1: [on[0], first], e2: [on[1], second], s: [on[2], `slept ${sleepMs}`], j: [on[3], `${first}+${second}`] };
  // Every task's result comes back (by default only those nothing depends on do), so every one is checked.
  return { plan: { tasks, maxConcurrency: 4, output: tasks.map((task) => task.id) }, expected };
}

/**
 * Reads a `batch_execute` report against the plan's expectations: per task its server, status and
 * whether its text is right. `tasks` is empty when the answer is not a report at all.
 */
export function readBatchReport(result, expected) {
  let report = result?.structuredContent;
  if (!report) {
    try {
      report = JSON.parse(textOf(result) ?? '');
    } catch {
      return { status: undefined, tasks: [] };
    }
  }
  const tasks = (report.tasks ?? []).map((task) => {
    const [server, text] = expected[task.id] ?? [];
    return {
      id: task.id,
      server,
      status: task.status,
      correct: task.status === 'succeeded' ? task.text === text : undefined,
      error: task.error?.message ?? task.reason,
    };
  });
  return { status: report.status, tasks };
}
