/**
 * The books of a run whose plan arrives while it runs: a planner streams it, and its first tasks
 * start before it is complete. The feeder (the planner) gets the executor's hooks from here; the
 * run is recorded once the plan is complete, valid and approved — with the progress its tasks made
 * before, replayed in plan order — and from then on it is a run like any other (`RunBooks`): live,
 * cancellable, recorded as it goes, told to `onDidRun`. A plan that is refused or never completes
 * records no run; the calls it had started are in the call log.
 */
import { randomUUID } from 'node:crypto';
import type { RequestId } from '../protocol/jsonrpc.js';
import type { RunPlanning, RunSource } from '../store/runs.repository.js';
import type { UpstreamPeer } from '../supervisor/upstream-peer.js';
import { askApproval, namesNeedingApproval } from '../batch/approval.js';
import { compactReport, type CompactReport } from '../batch/batch-tool.js';
import type { CallTool } from '../batch/executor.js';
import type { PlanGraph, ToolCatalog } from '../batch/plan-graph.js';
import type { RunBooks, BookedRun, RunCaller, RunTask } from './run-books.js';
import type { BatchSettings } from './run-settings.js';
import { callsOf, relatedPeer } from '../batch/run-peer.js';
import type { RunReport, TaskEvent, TaskReport } from '../batch/run-report.js';
import type { ToolCaller } from '../batch/tool-caller.js';

/** A complete plan, as the feeder announces it. */
export interface PlannedPlan {
  /** The plan as validated, with its `output` spelled out. */
  plan: unknown;
  graph: PlanGraph;
  warnings: readonly string[];
  /** How it was made, as far as known now. */
  planning: RunPlanning;
  /**
   * The tasks that ran before the plan was complete were cancelled and the plan runs whole from
   * the start (it was repaired): their events are forgotten.
   */
  restarted?: boolean;
}

/** What the feeder gets: how to call tools, and the hooks that keep the books. */
export interface PlannedRunHooks {
  /** Calls one task on its server, as a request of the caller. */
  callTool: CallTool;
  /** Cancels the planning and the run. */
  signal: AbortSignal;
  /** A server's own timeout for its tasks. */
  timeoutOf: (server: string) => number | undefined;
  perServerConcurrency: number | undefined;
  /** Asked with the tools of the tasks held until the plan is complete; true lets them run, false cancels the run. */
  approve: (tools: string[]) => Promise<boolean>;
  /** The plan is complete, valid and approved: the run is recorded now. */
  onPlanned: (planned: PlannedPlan) => void;
  /** Every start, retry and end of a task, known by its id (its index may be the order it joined). */
  onTaskEvent: (event: TaskEvent) => void;
}

/** What the feeder resolves with: the run's report (absent when nothing ran) and its planning figures, final. */
export interface PlannedRunValue {
  report?: RunReport | undefined;
  planning?: RunPlanning | undefined;
}

export interface PlannedRunRequest<T extends PlannedRunValue> {
  /** What the caller may call, as plans name it (to know which tools need approval). */
  catalog: ToolCatalog;
  /** Where the tasks are called. */
  tools: ToolCaller;
  /** The caller: tasks go upstream as its requests. */
  peer: UpstreamPeer;
  caller: RunCaller;
  source: RunSource;
  /**
   * The MCP request the run answers: approval is asked through it (elicitation) and what servers
   * send during the run belongs to it. Without one (the REST API) nobody can be asked, and a plan
   * with tools that need approval is refused.
   */
  requestId?: RequestId | undefined;
  /** Cancels the planning and the run. */
  signal?: AbortSignal | undefined;
  /** Cancels the planning only: once the run is recorded it goes on without it (a REST caller that has its answer). */
  planningSignal?: AbortSignal | undefined;
  /** After each task that ended, with how many did out of how many. */
  onTaskEnded?: ((event: Extract<TaskEvent, { type: 'ended' }>, finished: number, total: number) => void) | undefined;
  /** Plans and runs with the hooks; may throw (a planner error). */
  feed: (hooks: PlannedRunHooks) => Promise<T>;
}

/** How a planned run ended. */
export type PlannedRunOutcome<T> =
  | { kind: 'ran'; runId: string; value: T; report: CompactReport }
  /** Tools needed approval that was declined or could not be asked: no run was recorded. */
  | { kind: 'refused'; needsApproval: string[]; text: string }
  /** The feeder threw; `runId` when the run had been recorded (it is recorded as failed). */
  | { kind: 'failed'; error: unknown; runId?: string };

/** Starts a planned run; see `BatchService.stream`. */
export function runPlanned<T extends PlannedRunValue>(
  books: RunBooks,
  settings: BatchSettings,
  request: PlannedRunRequest<T>,
): { planned: Promise<string | undefined>; done: Promise<PlannedRunOutcome<T>> } {
  const runId = randomUUID();
  const controller = new AbortController();
  const planning = new AbortController();
  const signal = AbortSignal.any([controller.signal, planning.signal, ...(request.signal ? [request.signal] : [])]);
  let booked: BookedRun | undefined;
  let position = new Map<string, number>();
  let tasks: RunTask[] = [];
  let warnings: readonly string[] = [];
  // Events of tasks that started before the plan was complete: bounded by the tasks of the plan.
  let early: TaskEvent[] = [];
  let refusal: { needsApproval: string[]; text: string } | undefined;
  let finished = 0;
  let resolvePlanned: (runId: string | undefined) => void = () => {};
  const planned = new Promise<string | undefined>((resolve) => (resolvePlanned = resolve));

  const stopPlanning = (): void => {
    if (!booked) planning.abort(request.planningSignal?.reason);
  };
  if (request.planningSignal?.aborted) stopPlanning();
  else request.planningSignal?.addEventListener('abort', stopPlanning, { once: true });

  const deliver = (run: BookedRun, event: TaskEvent): void => {
    const index = position.get(event.id);
    if (index === undefined) return;
    run.taskEvent(index, event);
    if (event.type !== 'ended') return;
    finished += 1;
    request.onTaskEnded?.(event, finished, tasks.length);
  };

  const peer = request.requestId === undefined ? request.peer : relatedPeer(request.peer, request.requestId);
  const hooks: PlannedRunHooks = {
    callTool: callsOf(request.tools, peer),
    signal,
    timeoutOf: (server) => request.tools.settings(server)?.timeoutMs,
    perServerConcurrency: settings.perServerConcurrency,
    approve: async (names) => {
      const needed = settings.approveAll ? [] : namesNeedingApproval(names, request.catalog, request.tools);
      if (needed.length === 0) return true;
      if (request.requestId === undefined) {
        refusal = { needsApproval: needed, text: `these tools need approval, and nobody can be asked for it here: ${needed.join(', ')}` };
        return false;
      }
      const answer = await askApproval(needed, request.peer, request.requestId, signal);
      refusal = answer;
      return answer === undefined;
    },
    onPlanned: ({ plan, graph, warnings: planWarnings, planning: figures, restarted }) => {
      if (booked || signal.aborted) return;
      tasks = graph.tasks.map((task) => ({ id: task.id, tool: task.tool, server: task.target.server, toolName: task.target.name }));
      position = new Map(tasks.map((task, index) => [task.id, index]));
      warnings = planWarnings;
      const run = books.open({
        id: runId,
        source: request.source,
        caller: request.caller,
        sessionId: request.peer.sessionId,
        plan,
        tasks,
        controller,
        planning: figures,
        maxResultChars: settings.maxResultChars,
      });
      booked = run;
      resolvePlanned(runId);
      const replay = restarted ? [] : early;
      early = [];
      for (const event of replay) deliver(run, event);
    },
    onTaskEvent: (event) => {
      if (booked) deliver(booked, event);
      else early.push(event);
    },
  };

  const done = (async (): Promise<PlannedRunOutcome<T>> => {
    try {
      const value = await request.feed(hooks);
      if (!booked) {
        if (refusal) return { kind: 'refused', ...refusal };
        return { kind: 'failed', error: new Error('the planner ended without a complete plan') };
      }
      if (value.planning) booked.planning(value.planning);
      const report = inPlanOrder(value.report, tasks);
      const compact = compactReport(runId, report, settings.maxResultChars, warnings);
      booked.finish(report, compact, settings.maxResultChars, value.report ? undefined : 'the run ended without a report');
      return { kind: 'ran', runId, value, report: compact };
    } catch (error) {
      if (!booked) return { kind: 'failed', error };
      const report = inPlanOrder(reportOf(error), tasks);
      booked.finish(report, compactReport(runId, report, settings.maxResultChars, warnings), settings.maxResultChars, messageOf(error));
      return { kind: 'failed', error, runId };
    } finally {
      request.planningSignal?.removeEventListener('abort', stopPlanning);
      resolvePlanned(undefined);
    }
  })();
  return { planned, done };
}

/**
 * The report with one entry per task of the plan, in plan order: a task the feeder never ran (it
 * was cancelled before it joined) is cancelled or skipped, with a reason.
 */
function inPlanOrder(report: RunReport | undefined, tasks: readonly RunTask[]): RunReport {
  const now = performance.timeOrigin + performance.now();
  const base: RunReport = report ?? { status: 'failed', startedAt: now, endedAt: now, wallTimeMs: 0, taskTimeMs: 0, speedup: 1, tasks: [] };
  const byId = new Map(base.tasks.map((task) => [task.id, task]));
  const status = base.status === 'cancelled' ? 'cancelled' : 'skipped';
  const never = tasks.filter((task) => !byId.has(task.id));
  return {
    ...base,
    // A plan not run whole did not succeed.
    status: never.length > 0 && base.status === 'succeeded' ? 'failed' : base.status,
    tasks: tasks.map(
      (task): TaskReport =>
        byId.get(task.id) ?? { id: task.id, tool: task.tool, server: task.server, status, attempts: 0, reason: 'the task never ran' },
    ),
  };
}

/** The partial run a planner error carries (`details.report`), when tasks had started. */
function reportOf(error: unknown): RunReport | undefined {
  const report = (error as { details?: { report?: unknown } } | undefined)?.details?.report;
  return report !== null && typeof report === 'object' && Array.isArray((report as RunReport).tasks) ? (report as RunReport) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
