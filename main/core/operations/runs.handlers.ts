/**
 * `runs.*`: batch runs over the REST API (docs/specification.md §6, §7). A plan is checked against the tools the
 * caller's key may call on the aggregate (names as `<server>__<tool>`), then run in the background
 * as the key. Nobody can be asked for approval here: a tool that needs it refuses the plan. Runs
 * are read from the store, with the live state of those still going.
 */
import type { z } from 'zod';
import type { runSchema, runSummarySchema, taskStateSchema } from '../../../shared/api/operations/runs.js';
import type { TaskStatus } from '../../../shared/batch-plan.js';
import { formatJsonPath } from '../../../shared/json-path.js';
import { toolFilter } from '../auth/permissions.js';
import { deniedTools } from '../runs/batch-service.js';
import { countsOf, type LiveRun } from '../runs/live-runs.js';
import { formatProblems, type Problem } from '../batch/plan-validation.js';
import { aggregateCatalog, visibleTools } from '../batch/tool-catalog.js';
import { groupByWave, planWaves, waveNumbers } from '../../../shared/plan-waves.js';
import type { StoredRun, StoredTask } from '../store/runs.repository.js';
import { serverTools } from '../supervisor/call-tool.js';
import type { OperationCall, OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';
import { scopeOf, visibilityOf } from './visibility.js';
import { callerPeer } from './caller-peer.js';
import { needsApprovalRefusal, previewPlannedRun, startPlannedRun } from './runs-from-request.js';

type RunView = z.input<typeof runSchema>;
type TaskView = z.input<typeof taskStateSchema>;
type SummaryView = z.input<typeof runSummarySchema>;

/** A problem of a plan as the API shows it: a JSON path into the plan and the message. */
function issueOf(problem: Problem): { path: string; message: string } {
  return { path: problem.path?.length ? formatJsonPath(['plan', ...problem.path]) : 'plan', message: problem.message };
}

const timestamp = (value: number | undefined): number | undefined => (value === undefined ? undefined : Math.max(0, Math.round(value)));

/** The failed task a skipped one waits on: its skip reason names a dependency, followed until one that failed. */
function skippedBecause(
  task: { status: TaskStatus; reason?: string | undefined },
  byId: ReadonlyMap<string, { status: TaskStatus; reason?: string | undefined }>,
): string | undefined {
  if (task.status !== 'skipped') return undefined;
  let current = task;
  let named: string | undefined;
  for (let hops = 0; hops <= byId.size; hops++) {
    const match = /"([A-Za-z0-9_-]{1,64})"/.exec(current.reason ?? '');
    if (!match) return named;
    named = match[1]!;
    const next = byId.get(named);
    if (!next || next.status !== 'skipped') return named;
    current = next;
  }
  return named;
}

type TaskLike = Omit<StoredTask, 'index'>;

/** A stored run, with the live state of its tasks while it is still going in this daemon. */
export function runView(stored: StoredRun, live: LiveRun | undefined): RunView {
  const tasks: TaskLike[] = live ? live.tasks.map((task, index) => ({ ...stored.tasks[index], ...task, truncated: false })) : stored.tasks;
  const waves = planWaves(stored.plan);
  const byId = new Map(tasks.map((task) => [task.id, task]));
  return {
    id: stored.id,
    status: live?.status ?? stored.status,
    source: stored.source,
    plan: stored.plan as RunView['plan'],
    tasks: tasks.map((task, index) => taskView(task, waves[index] ?? 0, skippedBecause(task, byId))),
    ...(stored.error !== undefined ? { error: stored.error } : {}),
    ...(stored.createdBy !== undefined ? { createdBy: stored.createdBy } : {}),
    ...planningView(stored),
    ...timings(stored),
  };
}

/** A planned run's request and how its plan was made. */
function planningView(run: Omit<StoredRun, 'tasks'>): Pick<RunView, 'request' | 'planning'> {
  if (!run.planning) return {};
  const { request, firstCallMs, ...figures } = run.planning;
  return { request, planning: { ...figures, ...(firstCallMs !== undefined ? { firstCallMs } : {}) } };
}

function taskView(task: TaskLike, wave: number, skipped: string | undefined): TaskView {
  const result = task.result as { text?: string; structuredContent?: Record<string, unknown>; isError?: boolean } | undefined;
  const startedAt = timestamp(task.startedAt);
  const finishedAt = timestamp(task.endedAt);
  const durationMs =
    task.durationMs ??
    (task.startedAt !== undefined && task.endedAt !== undefined ? Math.max(0, task.endedAt - task.startedAt) : undefined);
  return {
    id: task.id,
    tool: task.tool,
    ...(task.server !== undefined ? { server: task.server } : {}),
    status: task.status,
    wave,
    attempts: task.attempts,
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(finishedAt !== undefined ? { finishedAt } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(result
      ? {
          result: {
            content: result.text !== undefined ? [{ type: 'text', text: result.text }] : [],
            ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
            ...(result.isError ? { isError: true } : {}),
          },
        }
      : {}),
    ...(task.truncated ? { truncated: true } : {}),
    ...(task.error ? { error: { code: task.error.code, message: task.error.message } } : {}),
    ...(skipped !== undefined ? { skippedBecause: skipped } : {}),
    ...(task.reason !== undefined ? { reason: task.reason } : {}),
  };
}

function timings(run: Omit<StoredRun, 'tasks'>) {
  return {
    createdAt: run.startedAt,
    startedAt: run.startedAt,
    ...(run.endedAt !== undefined ? { finishedAt: run.endedAt } : {}),
    ...(run.wallMs !== undefined ? { wallMs: run.wallMs } : {}),
    ...(run.sumTaskMs !== undefined ? { sumTaskMs: run.sumTaskMs } : {}),
    ...(run.speedup !== undefined ? { speedup: run.speedup } : {}),
  };
}

export function runHandlers(deps: OperationDeps): Handlers<'runs.create' | 'runs.dryRun' | 'runs.list' | 'runs.get' | 'runs.cancel'> {
  const catalogFor = (call: OperationCall) => aggregateCatalog(visibleTools(deps.view.tools, toolFilter(call.principal)));
  const tools = serverTools((name) => deps.supervisor.get(name));
  /** The run, if the caller may see it; another key's run is not found either. */
  const stored = (id: string, call: OperationCall): StoredRun => {
    deps.store.runs.flush();
    const run = deps.store.runs.get(id, scopeOf(visibilityOf(call.principal, deps.tokens)));
    if (!run) throw new OperationError('not_found', `no run "${id}"; list them with GET /api/runs`);
    return run;
  };
  const view = (id: string, call: OperationCall): RunView => runView(stored(id, call), deps.batch.live(id));

  return {
    'runs.create': async ({ plan, request }, call) => {
      if (plan === undefined) {
        const run = view(await startPlannedRun(deps, request ?? '', call), call);
        call.audit.details = { request: true, tasks: run.tasks.length, cacheHit: run.planning?.cacheHit };
        return run;
      }
      const started = deps.batch.start({
        plan,
        catalog: catalogFor(call),
        tools,
        peer: callerPeer(call),
        caller: { keyId: call.principal.keyId, keyName: call.principal.name },
        source: 'api',
      });
      if (!started.ok) {
        const { refusal } = started;
        if (refusal.kind === 'invalid') {
          const allowed = toolFilter(call.principal);
          const denied = deniedTools(plan, refusal.problems, (name) => {
            const origin = deps.view.resolveTool(name);
            return origin !== undefined && !allowed(origin.server, origin.name);
          });
          if (denied.length > 0) {
            throw new OperationError(
              'forbidden',
              `the plan uses tools the key "${call.principal.name}" may not use: ${denied.join(', ')}`,
              { denied, problems: refusal.problems.map(issueOf) },
            );
          }
          throw new OperationError('bad_request', formatProblems(refusal.problems), {
            problems: refusal.problems.map(issueOf),
            warnings: refusal.warnings,
          });
        }
        throw needsApprovalRefusal(refusal.tools, call);
      }
      call.audit.target = started.runId;
      call.audit.details = { tasks: plan.tasks.length };
      return view(started.runId, call);
    },
    'runs.dryRun': ({ plan, request }, call) => {
      if (plan === undefined) return previewPlannedRun(deps, request ?? '', call);
      const checked = deps.batch.check(plan, catalogFor(call));
      if (!checked.ok) return { valid: false, plan, waves: [], problems: checked.problems.map(issueOf), needsApproval: [] };
      const { tasks } = checked.graph;
      const waves = groupByWave(
        tasks.map((task) => task.id),
        waveNumbers(tasks.map((task) => task.dependencies)),
      );
      return { valid: true, plan, waves, problems: [], needsApproval: deps.batch.needsApproval(checked.graph, tools) };
    },
    'runs.list': ({ status, limit, before }, call) => {
      let page;
      try {
        page = deps.store.runs.page({ status, limit, before, scope: scopeOf(visibilityOf(call.principal, deps.tokens)) });
      } catch (error) {
        if (error instanceof RangeError)
          throw new OperationError('bad_request', `before: ${error.message}`, { issues: [{ path: 'before', message: error.message }] });
        throw error;
      }
      const items = page.items.map((run): SummaryView => {
        const live = deps.batch.live(run.id);
        return {
          id: run.id,
          status: live?.status ?? run.status,
          source: run.source,
          taskCount: run.taskCount,
          counts: live ? countsOf(live.tasks) : run.counts,
          ...(run.createdBy !== undefined ? { createdBy: run.createdBy } : {}),
          ...planningView(run),
          ...timings(run),
        };
      });
      return { items, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
    },
    'runs.get': ({ id }, call) => view(id, call),
    'runs.cancel': async ({ id }, call) => {
      const run = stored(id, call);
      const cancelled = await deps.batch.cancel(id, `cancelled by the key "${call.principal.name}" through the API`);
      if (!cancelled)
        throw new OperationError('conflict', `the run "${id}" is ${run.status}, not running: only a running run can be cancelled`, {
          status: run.status,
        });
      return view(id, call);
    },
  };
}
