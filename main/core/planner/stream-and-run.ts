/**
 * Planning and running at once (LLMCompiler's task-fetching unit over an open run): the plan is
 * streamed, and each task joins the run as soon as its object is complete in the stream and has
 * passed its own checks, so it starts once its dependencies have succeeded; a task naming one not
 * streamed yet waits. Tasks that `hold` keeps (by default, the ones that change things) join only
 * once the whole plan is valid. A whole plan that turns out invalid (a cycle, a bad task) cancels
 * what started; the caller may then repair it.
 */
import type { ModelMessage } from 'ai';
import { batchTaskSchema } from '../../../shared/batch-plan.js';
import type { ArgumentChecker } from '../batch/argument-check.js';
import { openRun, type RunOptions } from '../batch/executor.js';
import type { OpenTask } from '../batch/open-run.js';
import { isRetryable, type CatalogTool } from '../batch/plan-graph.js';
import { validatePlan } from '../batch/plan-validation.js';
import { findTemplates, referencesOf } from '../../../shared/plan-references.js';
import type { RunReport } from '../batch/run-report.js';
import type { PlanTaskLike } from '../batch/types.js';
import type { PlannerModel } from './language-model.js';
import { streamPlanText, type ModelAnswer } from './model-call.js';
import { assemblePlan, checkModelPlan, type FinalPlan } from './plan-check.js';
import { PlanOptimizer } from './plan-optimizer.js';
import type { PlannerCatalog } from './planner-catalog.js';
import { PlannerError } from './planner-error.js';
import { plannerErrorOf } from './provider-errors.js';
import { TaskFetcher } from './task-fetcher.js';

/**
 * Tasks checked one by one as they stream (each check validates the plan so far: quadratic); the
 * tasks of a larger plan wait for the check of the whole plan.
 */
const STREAM_CHECK_LIMIT = 200;

/** What a streamed run needs. */
export interface StreamedRunContext {
  model: PlannerModel;
  messages: ModelMessage[];
  catalog: PlannerCatalog;
  checker: ArgumentChecker;
  /** Aborts the model call (the caller's signal and the planning timeout). */
  modelSignal: AbortSignal;
  /** How tasks run; `signal` cancels the run. */
  run: Omit<RunOptions, 'onError'>;
  /** Tasks that join only once the whole plan is valid (and, with `approve`, approved). */
  hold: (target: CatalogTool) => boolean;
  /** Asked once the plan is complete, with the tools of the held tasks; false cancels the run. */
  approve?: (tools: string[]) => Promise<boolean>;
  /** Told once the plan is complete, valid and approved, before the held tasks join (with the model's answer, for its usage). */
  onPlanned?: (final: FinalPlan, planCompleteAt: number, answer: ModelAnswer) => void;
  now: () => number;
}

/** How it went: a run (whole or cancelled), or a plan to repair. */
export type StreamedRunResult =
  | { kind: 'ran'; answer: ModelAnswer; final: FinalPlan; report: RunReport; planCompleteAt: number; firstCallAt?: number | undefined }
  | { kind: 'invalid'; answer: ModelAnswer; problems: string[]; empty: boolean; cancelled: RunReport; startedChanges: boolean };

/** Streams the plan into an open run; throws `PlannerError` when the model call fails (what started is cancelled first). */
export async function streamAndRun(context: StreamedRunContext): Promise<StreamedRunResult> {
  const { catalog, checker } = context;
  let firstCallAt: number | undefined;
  const run = openRun({
    ...context.run,
    onTaskEvent: (event) => {
      if (event.type === 'started' && firstCallAt === undefined) firstCallAt = context.now();
      context.run.onTaskEvent?.(event);
    },
  });
  const optimizer = new PlanOptimizer(catalog.resolve);
  const accepted: PlanTaskLike[] = [];
  const held: OpenTask[] = [];
  const late: PlanTaskLike[] = [];
  // Once a task fails its own checks nothing more joins: the plan will be refused whole.
  let broken = false;
  const fetcher = new TaskFetcher((raw) => {
    if (broken) return;
    const parsed = batchTaskSchema.safeParse(raw);
    if (!parsed.success) return void (broken = true);
    const optimised = optimizer.accept(parsed.data);
    if (optimised.kind === 'merged') return;
    const task = optimised.task;
    if (accepted.length + late.length >= STREAM_CHECK_LIMIT) return void late.push(task);
    if (ownProblems([...accepted, task], task.id, catalog, checker)) return void (broken = true);
    accepted.push(task);
    const open = openTaskOf(task, catalog.resolve(task.tool)!);
    if (context.hold(open.target)) held.push(open);
    else run.add(open);
  });

  let answer: ModelAnswer;
  try {
    answer = await streamPlanText(context.model, context.messages, context.modelSignal, (delta) => fetcher.push(delta));
    fetcher.end();
  } catch (error) {
    const failure = plannerErrorOf(error, context.model.label, context.modelSignal);
    run.cancel(`the planning failed: ${failure.message}`);
    throw new PlannerError(failure.code, failure.message, { ...failure.details, report: await run.done });
  }
  const planCompleteAt = context.now();
  const checked = checkModelPlan(answer.text, catalog, checker);
  if (!checked.ok || broken) {
    const problems = checked.ok ? ['a task did not pass its checks while the plan streamed'] : checked.problems;
    run.cancel(`the plan turned out invalid: ${problems[0] ?? ''}`);
    const cancelled = await run.done;
    const startedChanges = cancelled.tasks.some(
      (task) => task.attempts > 0 && catalog.resolve(task.tool)?.annotations?.readOnlyHint !== true,
    );
    return { kind: 'invalid', answer, problems, empty: !checked.ok && checked.empty, cancelled, startedChanges };
  }
  const final = assemblePlan(checked.plan, [...accepted, ...late], optimizer, catalog, checker);
  for (const task of late) {
    const open = openTaskOf(task, catalog.resolve(task.tool)!);
    if (context.hold(open.target)) held.push(open);
    else run.add(open);
  }
  // Approval comes before the run is announced: a declined plan is no run, only what it had started is cancelled.
  if (await approved(held, context.approve)) {
    context.onPlanned?.(final, planCompleteAt, answer);
    for (const task of held) run.add(task);
    run.close(final.plan.output);
  } else {
    run.cancel('approval was declined');
  }
  const report = await run.done;
  // Tasks joined in stream order, held ones last: the report lists them in plan order.
  const position = new Map(final.graph.tasks.map((task) => [task.id, task.index]));
  report.tasks.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  return { kind: 'ran', answer, final, report, planCompleteAt, firstCallAt };
}

/** Whether the held tasks may join: none, no one to ask, or the answer of `approve`. */
async function approved(held: readonly OpenTask[], approve: StreamedRunContext['approve']): Promise<boolean> {
  if (held.length === 0 || !approve) return true;
  return approve([...new Set(held.map((task) => task.tool))]);
}

/** Whether the newest task of `tasks` has problems of its own; names of tasks not streamed yet are not problems yet. */
function ownProblems(tasks: PlanTaskLike[], id: string, catalog: PlannerCatalog, checker: ArgumentChecker): boolean {
  const checked = validatePlan({ tasks }, catalog.resolve, { checker });
  if (checked.ok) return false;
  return checked.problems.some(
    (problem) => problem.taskId === id && problem.code !== 'unknown_dependency' && problem.code !== 'unknown_reference',
  );
}

function openTaskOf(task: PlanTaskLike, target: CatalogTool): OpenTask {
  const args = task.arguments ?? {};
  const templates = findTemplates(args);
  const named = referencesOf(templates).map((reference) => reference.taskId);
  return {
    id: task.id,
    tool: task.tool,
    target,
    arguments: args,
    templates,
    dependsOn: [...new Set([...(task.dependsOn ?? []), ...named])],
    ...(task.timeoutMs !== undefined ? { timeoutMs: task.timeoutMs } : {}),
    retries: isRetryable(target.annotations) ? (task.retries ?? 0) : 0,
  };
}
