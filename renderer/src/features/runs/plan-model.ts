/** A plan as the graph draws it: its tasks, the edges between them, and each task's wave. */
import type { BatchPlanInput } from '@shared/batch-plan';
import { planDependencies, planWaves } from '@shared/plan-waves';

export interface PlanEdge {
  from: string;
  to: string;
}

/** Edges from `dependsOn` and from `{{id…}}` references in the arguments, as the daemon reads them, without duplicates. */
export function planEdges(plan: BatchPlanInput): PlanEdge[] {
  const edges = new Map<string, PlanEdge>();
  planDependencies(plan).forEach((dependencies, index) => {
    const to = plan.tasks[index]!.id;
    // A plan being typed may repeat an id: one edge per pair still.
    for (const from of dependencies.map((dependency) => plan.tasks[dependency]!.id)) edges.set(`${from}->${to}`, { from, to });
  });
  return [...edges.values()];
}

/** The wave of each task by id, as the daemon computes it. */
export function wavesById(plan: BatchPlanInput): Map<string, number> {
  const waves = planWaves(plan);
  return new Map(plan.tasks.map((task, index) => [task.id, waves[index] ?? 0]));
}

/** Parses the editor's text as a plan: the plan, or why not. */
export function readPlan(text: string): { plan?: BatchPlanInput; error?: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || !Array.isArray((value as { tasks?: unknown }).tasks))
      return { error: 'a plan is an object with a "tasks" array' };
    const tasks = (value as { tasks: unknown[] }).tasks;
    if (!tasks.every((task) => typeof task === 'object' && task !== null && typeof (task as { id?: unknown }).id === 'string'))
      return { error: 'every task needs an "id"' };
    return { plan: value as BatchPlanInput };
  } catch (error) {
    return { error: `not valid JSON: ${(error as Error).message}` };
  }
}
