/**
 * A batch plan (docs/specification.md §6): the input of `batch_execute`, of `POST /api/runs`, and what the planner
 * produces. Runtime-neutral: no node:*, no DOM.
 *
 * The schema checks what a plan says on its own: shapes, unique ids, `dependsOn` naming known
 * tasks. What needs the catalog or the whole graph (unknown tools, arguments against the tool's
 * input schema, `{{id…}}` references, cycles) is the batch engine's validation.
 */
import { z } from 'zod';

/** Most tasks one plan may hold. */
export const MAX_PLAN_TASKS = 10_000;
export const DEFAULT_MAX_CONCURRENCY = 32;
export const MAX_CONCURRENCY = 256;
export const MAX_RETRIES = 10;

/** `continue`: a failed task skips only its dependents; `stop`: nothing new starts after a failure. */
export const ON_ERROR = ['continue', 'stop'] as const;

/** Task states. `skipped`: a dependency failed; `interrupted`: the daemon stopped mid-run. */
export const TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled', 'interrupted'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Run states: `succeeded` when every task did, `failed` when any failed or was skipped. */
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Task ids appear in references (`{{id.text}}`), so they hold no dots or braces. */
export const taskIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a task id is 1 to 64 letters, digits, "_" or "-"');

export const batchTaskSchema = z.strictObject({
  id: taskIdSchema,
  /** The tool's name where the plan runs: namespaced on the aggregate, plain on a per-server endpoint. */
  tool: z.string().min(1).max(256),
  /** Strings may hold references: `{{id}}`, `{{id.text}}`, `{{id.structuredContent.path}}`. */
  arguments: z.record(z.string(), z.unknown()).default({}),
  dependsOn: z.array(taskIdSchema).max(MAX_PLAN_TASKS).optional(),
  timeoutMs: z.number().int().min(1).max(86_400_000).optional(),
  /** Extra attempts after a failure; honoured for idempotent tools only. */
  retries: z.number().int().min(0).max(MAX_RETRIES).optional(),
});

export const batchPlanSchema = z
  .strictObject({
    tasks: z.array(batchTaskSchema).min(1).max(MAX_PLAN_TASKS),
    maxConcurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(DEFAULT_MAX_CONCURRENCY),
    onError: z.enum(ON_ERROR).default('continue'),
    /**
     * The tasks whose results go back to the caller; the others run and pass their results on to
     * their dependents but are left out of the answer. Default for `batch_execute` and the
     * planner: the tasks nothing depends on (a plan given to `POST /api/runs` keeps every task's).
     */
    output: z.array(taskIdSchema).max(MAX_PLAN_TASKS).optional(),
  })
  .superRefine((plan, ctx) => {
    const ids = new Set<string>();
    plan.tasks.forEach((task, index) => {
      if (ids.has(task.id)) ctx.addIssue({ code: 'custom', path: ['tasks', index, 'id'], message: `duplicate task id "${task.id}"` });
      ids.add(task.id);
    });
    plan.tasks.forEach((task, index) => {
      task.dependsOn?.forEach((dependency, at) => {
        const path = ['tasks', index, 'dependsOn', at];
        if (dependency === task.id) ctx.addIssue({ code: 'custom', path, message: `task "${task.id}" depends on itself` });
        else if (!ids.has(dependency)) ctx.addIssue({ code: 'custom', path, message: `unknown task id "${dependency}"` });
      });
    });
    plan.output?.forEach((id, at) => {
      if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['output', at], message: `output names "${id}", which is not a task` });
    });
  });

export type BatchTask = z.output<typeof batchTaskSchema>;
export type BatchPlan = z.output<typeof batchPlanSchema>;
/** A plan as written: defaults not yet applied. */
export type BatchPlanInput = z.input<typeof batchPlanSchema>;
