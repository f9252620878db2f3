/**
 * Properties of the executor on random DAGs (fast-check): every task starts only after all its
 * dependencies ended successfully, none runs twice (an idempotent task with retries runs at most
 * 1 + retries times, one attempt at a time), the global and per-server limits are never exceeded,
 * and every task ends exactly once in a terminal state that follows from the outcomes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphOf } from './__fixtures__/harness.js';
import { runPlan } from './executor.js';
import type { ToolResult } from './references.js';
import type { RunReport, TaskEvent } from './run-report.js';
import type { PlanTaskLike } from './types.js';

const SERVERS = ['s0', 's1', 's2'];
const RETRIES = 2;

interface Scenario {
  count: number;
  /** `[a, b]`: b depends on a (a < b, so the graph is acyclic). */
  edges: [number, number][];
  server: number[];
  fails: boolean[];
  /** Idempotent tasks with `retries: RETRIES`; their first `failedAttempts` attempts fail. */
  idempotent: boolean[];
  failedAttempts: number[];
  /** Macrotask turns each call takes. */
  ticks: number[];
  /** Whether an edge is written as a reference rather than in `dependsOn`. */
  asReference: boolean[];
  /** Position of each task in the plan. */
  order: number[];
  maxConcurrency: number;
  perServer: number;
  onError: 'continue' | 'stop';
}

const scenarios: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 30 }).chain((count) =>
  fc.record({
    count: fc.constant(count),
    edges: fc
      .array(fc.tuple(fc.nat(count - 1), fc.nat(count - 1)), { maxLength: count * 3 })
      .map((pairs) => pairs.filter(([a, b]) => a !== b).map(([a, b]): [number, number] => (a < b ? [a, b] : [b, a]))),
    server: fc.array(fc.nat(SERVERS.length - 1), { minLength: count, maxLength: count }),
    fails: fc.array(
      fc.integer({ min: 0, max: 9 }).map((roll) => roll === 0),
      { minLength: count, maxLength: count },
    ),
    idempotent: fc.array(fc.boolean(), { minLength: count, maxLength: count }),
    failedAttempts: fc.array(fc.nat(RETRIES + 1), { minLength: count, maxLength: count }),
    ticks: fc.array(fc.nat(3), { minLength: count, maxLength: count }),
    asReference: fc.array(fc.boolean(), { minLength: count * 3, maxLength: count * 3 }),
    order: fc.shuffledSubarray([...Array(count).keys()], { minLength: count, maxLength: count }),
    maxConcurrency: fc.integer({ min: 1, max: 5 }),
    perServer: fc.integer({ min: 1, max: 3 }),
    onError: fc.constantFrom('continue' as const, 'stop' as const),
  }),
);

function planOf(scenario: Scenario): PlanTaskLike[] {
  const tasks = Array.from(
    { length: scenario.count },
    (_, i): PlanTaskLike & { arguments: Record<string, unknown>; dependsOn: string[] } => ({
      id: `t${i}`,
      tool: `${SERVERS[scenario.server[i]!]}__${scenario.idempotent[i] ? 'idem' : 'write'}`,
      ...(scenario.idempotent[i] ? { retries: RETRIES } : {}),
      arguments: {},
      dependsOn: [],
    }),
  );
  scenario.edges.forEach(([from, to], at) => {
    if (scenario.asReference[at]) tasks[to]!.arguments[`in${at}`] = `{{t${from}.text}}`;
    else tasks[to]!.dependsOn.push(`t${from}`);
  });
  return scenario.order.map((i) => tasks[i]!);
}

type Trace = { kind: 'start' | 'end'; task: number; ok?: boolean };

interface Execution {
  trace: Trace[];
  events: TaskEvent[];
  report: RunReport;
  violations: string[];
  /** How many events had been fired when the run was cancelled. */
  cancelledAt: number | undefined;
}

async function execute(scenario: Scenario, cancelAfterStarts?: number): Promise<Execution> {
  const graph = graphOf({ tasks: planOf(scenario), maxConcurrency: scenario.maxConcurrency, onError: scenario.onError });
  const trace: Trace[] = [];
  const events: TaskEvent[] = [];
  const violations: string[] = [];
  let running = 0;
  const runningOn = new Map<string, number>();
  const controller = new AbortController();
  let starts = 0;
  let cancelledAt: number | undefined;
  const attempts: number[] = [];
  const report = await runPlan(graph, {
    signal: controller.signal,
    perServerConcurrency: scenario.perServer,
    backoff: { baseMs: 0 },
    onTaskEvent: (event) => events.push(event),
    callTool: (task, _args, signal) => {
      const original = Number(task.id.slice(1));
      const server = task.target.server;
      const attempt = (attempts[original] = (attempts[original] ?? 0) + 1);
      trace.push({ kind: 'start', task: original });
      running += 1;
      runningOn.set(server, (runningOn.get(server) ?? 0) + 1);
      if (running > scenario.maxConcurrency) violations.push(`${running} running at once`);
      if (runningOn.get(server)! > scenario.perServer) violations.push(`${runningOn.get(server)} running on ${server}`);
      starts += 1;
      if (starts === cancelAfterStarts) {
        queueMicrotask(() => {
          cancelledAt = events.length;
          controller.abort();
        });
      }
      return new Promise<ToolResult>((resolve, reject) => {
        let done = false;
        const end = (ok: boolean) => {
          if (done) return;
          done = true;
          running -= 1;
          runningOn.set(server, runningOn.get(server)! - 1);
          trace.push({ kind: 'end', task: original, ok });
          if (ok) resolve({ content: [{ type: 'text', text: task.id }] });
          else reject(new Error(signal.aborted ? 'aborted' : `${task.id} failed`));
        };
        signal.addEventListener('abort', () => end(false), { once: true });
        const finish = (turns: number): void => {
          if (turns > 0) setImmediate(() => finish(turns - 1));
          else end(attempt > failuresOf(scenario, original));
        };
        finish(scenario.ticks[original]!);
      });
    },
  });
  return { trace, events, report, violations, cancelledAt };
}

/** How many attempts of a task fail before one succeeds. */
function failuresOf(scenario: Scenario, task: number): number {
  if (!scenario.fails[task]) return 0;
  return scenario.idempotent[task] ? Math.max(1, scenario.failedAttempts[task]!) : 1;
}

/** Whether a task that runs ends up succeeding. */
function succeeds(scenario: Scenario, task: number): boolean {
  return failuresOf(scenario, task) <= (scenario.idempotent[task] ? RETRIES : 0);
}

function dependenciesOf(scenario: Scenario): number[][] {
  const dependencies = Array.from({ length: scenario.count }, (): number[] => []);
  for (const [from, to] of scenario.edges) dependencies[to]!.push(from);
  return dependencies;
}

function reportOf(report: RunReport, task: number) {
  return report.tasks.find((entry) => entry.id === `t${task}`)!;
}

const TERMINAL = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

describe('runPlan on random DAGs', () => {
  it('runs each task once (or once per allowed attempt), after all its dependencies succeeded, within the limits', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async (scenario) => {
        const { trace, events, report, violations } = await execute(scenario);
        expect(violations).toEqual([]);
        const dependencies = dependenciesOf(scenario);
        const succeededBefore = new Set<number>();
        const inFlight = new Set<number>();
        const starts = new Map<number, number>();
        for (const step of trace) {
          if (step.kind === 'end') {
            inFlight.delete(step.task);
            if (step.ok) succeededBefore.add(step.task);
            continue;
          }
          expect(inFlight.has(step.task), `t${step.task} ran twice at once`).toBe(false);
          expect(succeededBefore.has(step.task), `t${step.task} ran again after succeeding`).toBe(false);
          inFlight.add(step.task);
          starts.set(step.task, (starts.get(step.task) ?? 0) + 1);
          expect(starts.get(step.task)).toBeLessThanOrEqual(scenario.idempotent[step.task] ? 1 + RETRIES : 1);
          for (const dependency of dependencies[step.task]!)
            expect(succeededBefore.has(dependency), `t${step.task} started before t${dependency} succeeded`).toBe(true);
        }
        // Exactly one end per task, in a terminal state, and the report agrees.
        const ends = events.filter((event) => event.type === 'ended');
        expect(ends.map((event) => event.id).sort()).toEqual(report.tasks.map((task) => task.id).sort());
        for (const end of ends) {
          expect(TERMINAL.has(end.status)).toBe(true);
          expect(reportOf(report, Number(end.id.slice(1))).status).toBe(end.status);
        }
        for (const task of report.tasks) expect(task.attempts).toBe(starts.get(Number(task.id.slice(1))) ?? 0);
      }),
      { numRuns: 300 },
    );
  });

  it('with "continue", a task runs exactly when all its dependencies succeeded, else it is skipped', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarios.map((scenario) => ({ ...scenario, onError: 'continue' as const })),
        async (scenario) => {
          const { report } = await execute(scenario);
          const dependencies = dependenciesOf(scenario);
          const expected: string[] = [];
          // Dependencies have smaller indexes, so one pass in index order settles them first.
          for (let task = 0; task < scenario.count; task++) {
            const blocked = dependencies[task]!.some((dependency) => expected[dependency] !== 'succeeded');
            expected[task] = blocked ? 'skipped' : succeeds(scenario, task) ? 'succeeded' : 'failed';
          }
          expect(expected.map((_, task) => reportOf(report, task).status)).toEqual(expected);
          expect(report.status).toBe(expected.every((status) => status === 'succeeded') ? 'succeeded' : 'failed');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with "stop", nothing starts after the first failure and nothing is left unfinished', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarios.map((scenario) => ({ ...scenario, onError: 'stop' as const })),
        async (scenario) => {
          const { events, report } = await execute(scenario);
          const firstFailure = events.findIndex((event) => event.type === 'ended' && event.status === 'failed');
          if (firstFailure >= 0) expect(events.slice(firstFailure).some((event) => event.type === 'started')).toBe(false);
          expect(report.tasks.every((task) => TERMINAL.has(task.status))).toBe(true);
          expect(report.status).toBe(firstFailure >= 0 ? 'failed' : 'succeeded');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('after a cancellation, nothing starts and every task ends', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, fc.integer({ min: 1, max: 10 }), async (scenario, cancelAfter) => {
        const { events, report, violations, cancelledAt } = await execute(scenario, cancelAfter);
        expect(violations).toEqual([]);
        const after = cancelledAt === undefined ? [] : events.slice(cancelledAt);
        expect(after.some((event) => event.type === 'started')).toBe(false);
        // Cancelled while something was unfinished: the run and those tasks are cancelled.
        if (after.length > 0) {
          expect(report.status).toBe('cancelled');
          expect(after.every((event) => event.type === 'ended' && event.status === 'cancelled')).toBe(true);
        }
        expect(report.tasks.every((task) => TERMINAL.has(task.status))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
