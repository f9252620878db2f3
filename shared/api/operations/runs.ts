/** `/api/runs`: batch runs from a plan or a natural-language request (docs/specification.md §6, §7). */
import { z } from 'zod';
import { RUN_STATUSES, TASK_STATUSES, batchPlanSchema, taskIdSchema } from '../../batch-plan.js';
import { defineOperation } from '../contract.js';
import { durationMs, issueSchema, pageCursor, pageLimit, pageOf, serverName, timestamp } from './common.js';
import { callToolResultSchema } from './tools.js';

export const runStatusSchema = z.enum(RUN_STATUSES);
export const taskStatusSchema = z.enum(TASK_STATUSES);

/** Where a run came from. */
export const RUN_SOURCES = ['api', 'batch_execute', 'plan_and_execute'] as const;

export const taskStateSchema = z.object({
  id: taskIdSchema,
  tool: z.string(),
  /** The server the tool resolved to. */
  server: serverName.optional(),
  status: taskStatusSchema,
  /** The dependency wave it belongs to, from 0: one more than the highest wave of its dependencies. */
  wave: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  startedAt: timestamp.optional(),
  finishedAt: timestamp.optional(),
  durationMs: durationMs.optional(),
  /** The tool's result; long text is cut to the configured size. */
  result: callToolResultSchema.optional(),
  truncated: z.boolean().optional(),
  error: z.object({ code: z.string().optional(), message: z.string() }).optional(),
  /** For `skipped`: the failed task it depended on. */
  skippedBecause: taskIdSchema.optional(),
  /** Why a task was skipped, cancelled or interrupted. */
  reason: z.string().optional(),
});

const runTimings = {
  createdAt: timestamp,
  startedAt: timestamp.optional(),
  finishedAt: timestamp.optional(),
  /** Wall time of the whole run. */
  wallMs: durationMs.optional(),
  /** The sum of the task times: what running them one after another would have taken. */
  sumTaskMs: durationMs.optional(),
  /** `sumTaskMs / wallMs`. */
  speedup: z.number().nonnegative().optional(),
};

/** How the planner made a run's plan (runs from a request). */
export const planningSchema = z.object({
  /** From the request to the complete, validated plan. */
  planningMs: durationMs,
  /** From the request to the first tool call; absent until one started. */
  firstCallMs: durationMs.optional(),
  /** The model's token usage, as its provider reported it (0 for a cached plan). */
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** The plan came from the plan cache. */
  cacheHit: z.boolean(),
});

export const runSchema = z.object({
  id: z.string(),
  status: runStatusSchema,
  source: z.enum(RUN_SOURCES),
  /** The natural-language request, for a planned run. */
  request: z.string().optional(),
  plan: batchPlanSchema,
  tasks: z.array(taskStateSchema),
  /** Why the run as a whole failed (planner error, cancelled by…). */
  error: z.string().optional(),
  /** The name of the key that started it. */
  createdBy: z.string().optional(),
  /** For a planned run: how the plan was made. */
  planning: planningSchema.optional(),
  ...runTimings,
});

export const runSummarySchema = z.object({
  id: z.string(),
  status: runStatusSchema,
  source: z.enum(RUN_SOURCES),
  request: z.string().optional(),
  taskCount: z.number().int().nonnegative(),
  /** Tasks per status. */
  counts: z.partialRecord(taskStatusSchema, z.number().int().nonnegative()),
  createdBy: z.string().optional(),
  planning: planningSchema.optional(),
  ...runTimings,
});

/** A plan checked but not run: its waves, or every problem found. */
export const planPreviewSchema = z.object({
  valid: z.boolean(),
  plan: batchPlanSchema.optional(),
  /** Task ids per wave, in execution order. */
  waves: z.array(z.array(taskIdSchema)),
  problems: z.array(issueSchema),
  /** Tools that would need approval (not in autoApprove, not read-only). */
  needsApproval: z.array(z.string()),
  /** For a request: how the planner made the plan. */
  planning: planningSchema.optional(),
  /** For a request: what the planner's optimiser changed (calls merged, waits dropped). */
  notes: z.array(z.string()).optional(),
});

/** A run's source: exactly one of a plan or a request for the planner. */
const runSource = z
  .object({
    plan: batchPlanSchema.optional(),
    request: z.string().min(1).max(10_000).optional().describe('natural language, for the LLM planner'),
  })
  .superRefine((input, ctx) => {
    if ((input.plan === undefined) === (input.request === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['plan'], message: 'give exactly one of "plan" or "request"' });
    }
  });

const byId = z.object({ id: z.string().min(1).max(128) });

export const runOperations = {
  create: defineOperation({
    id: 'runs.create',
    method: 'POST',
    path: '/api/runs',
    summary: 'Start a run from a batch plan, or from a request the planner turns into one',
    description:
      'Answers 202 with the started run; follow it with runs.get or the run.progress events. An invalid plan answers 400 with `details.problems`. ' +
      'A `request` is planned by the LLM planner (orch.planner): the answer comes once the plan is complete, with its `planning` figures, while its first tasks may already run. ' +
      'Without a planner, or with its credential missing, it answers 400 invalid_config naming what to set; a plan the model could not make valid, 400; the provider failing, 503 (429 when it rate-limits, 504 when it times out). ' +
      "Nobody can be asked to approve a run made here: a tool that is neither read-only nor in its server's autoApprove (unless orch.batch.approveAll) answers 403 naming the tools.",
    role: 'operator',
    mutating: true,
    input: runSource,
    output: runSchema,
    status: 202,
    errors: ['server_unavailable', 'invalid_config', 'timeout', 'cancelled'],
  }),
  dryRun: defineOperation({
    id: 'runs.dryRun',
    method: 'POST',
    path: '/api/runs/dry-run',
    summary: 'Plan (for a request) and validate without running: the waves and every problem',
    description:
      'A `request` is planned by the LLM planner (orch.planner) and answered with its plan, waves, the tools that would need approval and the `planning` figures; its errors are those of runs.create.',
    role: 'operator',
    mutating: true,
    input: runSource,
    output: planPreviewSchema,
    errors: ['server_unavailable', 'invalid_config', 'timeout', 'cancelled'],
  }),
  list: defineOperation({
    id: 'runs.list',
    method: 'GET',
    path: '/api/runs',
    summary: 'Runs, newest first',
    role: 'viewer',
    mutating: false,
    input: z.object({ status: runStatusSchema.optional(), limit: pageLimit(50), before: pageCursor }),
    output: pageOf(runSummarySchema),
    errors: [],
  }),
  get: defineOperation({
    id: 'runs.get',
    method: 'GET',
    path: '/api/runs/{id}',
    summary: 'One run with its plan, tasks, results and timings',
    role: 'viewer',
    mutating: false,
    input: byId,
    output: runSchema,
    errors: ['not_found'],
  }),
  cancel: defineOperation({
    id: 'runs.cancel',
    method: 'POST',
    path: '/api/runs/{id}/cancel',
    summary: 'Cancel a queued or running run: running tasks are cancelled upstream, the rest skipped',
    description: 'A finished run answers 409.',
    role: 'operator',
    mutating: true,
    input: byId,
    output: runSchema,
    errors: ['not_found', 'conflict'],
  }),
} as const;
