/**
 * From the model's text to a plan that runs: parsed, validated exactly as `batch_execute` does it
 * (`checkPlan`, the planner asking for the tasks nothing depends on when the model names no
 * output), optimised, validated again, with its waves for display.
 */
import { createHash } from 'node:crypto';
import type { BatchPlanInput } from '../../../shared/batch-plan.js';
import type { ArgumentChecker } from '../batch/argument-check.js';
import type { PlanGraph } from '../batch/plan-graph.js';
import { checkPlan } from '../batch/plan-validation.js';
import type { PlanTaskLike } from '../batch/types.js';
import { groupByWave, waveNumbers } from '../../../shared/plan-waves.js';
import { PlanOptimizer } from './plan-optimizer.js';
import type { PlannerCatalog } from './planner-catalog.js';

/** A plan ready to run or show. */
export interface FinalPlan {
  /** Optimised, with its `output` spelled out. */
  plan: BatchPlanInput;
  graph: PlanGraph;
  /** Task ids by wave, for display. */
  waves: string[][];
  warnings: string[];
  /** What the optimiser changed. */
  notes: string[];
}

export type ModelPlanCheck =
  { ok: true; plan: BatchPlanInput } | { ok: false; problems: string[]; /** The model answered a plan without tasks. */ empty: boolean };

/** Requests that differ only in spacing or Unicode form are the same request (case is kept: it may be a value). */
export function normaliseRequest(request: string): string {
  return request.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** The plan cache key of a request for a catalog and a model. */
export function cacheKey(normalisedRequest: string, catalogVersion: string, modelIdentity: string): string {
  return createHash('sha256')
    .update(JSON.stringify([normalisedRequest, catalogVersion, modelIdentity]))
    .digest('hex');
}

/** Parses and validates the model's answer; its problems in words, for the repair round. */
export function checkModelPlan(text: string, catalog: PlannerCatalog, checker: ArgumentChecker): ModelPlanCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, empty: false, problems: [`the answer is not JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, empty: false, problems: ['the answer is not a JSON object with "tasks"'] };
  const plan = { ...(value as Record<string, unknown>) };
  if (Array.isArray(plan.tasks) && plan.tasks.length === 0) return { ok: false, empty: true, problems: ['the plan has no tasks'] };
  // An empty output means "nothing chosen": the default applies.
  if (Array.isArray(plan.output) && plan.output.length === 0) delete plan.output;
  const checked = checkPlan(plan, catalog.resolve, { checker, defaultOutput: 'sinks' });
  if (!checked.ok) return { ok: false, empty: false, problems: checked.problems.map((problem) => problem.message) };
  return { ok: true, plan: plan as BatchPlanInput };
}

/** Optimises a valid plan whole (the streamed path feeds the optimiser task by task instead). */
export function finalisePlan(plan: BatchPlanInput, catalog: PlannerCatalog, checker: ArgumentChecker): FinalPlan {
  const optimizer = new PlanOptimizer(catalog.resolve);
  const tasks: PlanTaskLike[] = [];
  for (const task of plan.tasks) {
    const result = optimizer.accept(structuredClone<PlanTaskLike>(task));
    if (result.kind === 'task') tasks.push(result.task);
  }
  return assemblePlan(plan, tasks, optimizer, catalog, checker);
}

/** The plan of the optimised `tasks`; falls back to the plan as the model wrote it should the optimised one not validate. */
export function assemblePlan(
  original: BatchPlanInput,
  tasks: PlanTaskLike[],
  optimizer: PlanOptimizer,
  catalog: PlannerCatalog,
  checker: ArgumentChecker,
): FinalPlan {
  const output = optimizer.output(original.output);
  const optimised = { ...original, tasks, ...(output ? { output } : {}) };
  const checked = checkPlan(optimised, catalog.resolve, { checker, defaultOutput: 'sinks' });
  if (checked.ok) return withOutput(optimised, checked.graph, checked.warnings, optimizer.notes);
  const plain = checkPlan(original, catalog.resolve, { checker, defaultOutput: 'sinks' });
  if (!plain.ok) throw new Error(`finalisePlan: the plan was valid and is not any more: ${plain.problems[0]?.message ?? ''}`);
  return withOutput(original, plain.graph, [...plain.warnings, 'the optimised plan did not validate; it runs as the model wrote it'], []);
}

function withOutput(plan: BatchPlanInput, graph: PlanGraph, warnings: string[], notes: string[]): FinalPlan {
  const ids = graph.tasks.map((task) => task.id);
  const output = (graph.output ?? graph.tasks.map((task) => task.index)).map((index) => ids[index]!);
  return {
    plan: { ...plan, output },
    graph,
    waves: groupByWave(ids, waveNumbers(graph.tasks.map((task) => task.dependencies))),
    warnings,
    notes: [...notes],
  };
}
