/** A plan as the graph draws it: its tasks, the edges between them, and each task's wave. */
import type { BatchPlanInput } from '@shared/batch-plan';

export interface PlanEdge {
  from: string;
  to: string;
}

const REFERENCE = /\{\{\s*([A-Za-z0-9_-]{1,64})(?:[.}\s])/g;

/** Edges from `dependsOn` and from `{{id…}}` references in the arguments, without duplicates. */
export function planEdges(plan: BatchPlanInput): PlanEdge[] {
  const ids = new Set(plan.tasks.map((task) => task.id));
  const edges = new Map<string, PlanEdge>();
  for (const task of plan.tasks) {
    const sources = new Set(task.dependsOn ?? []);
    for (const match of JSON.stringify(task.arguments ?? {}).matchAll(REFERENCE)) sources.add(match[1]!);
    for (const from of sources) if (ids.has(from) && from !== task.id) edges.set(`${from}->${task.id}`, { from, to: task.id });
  }
  return [...edges.values()];
}

/** The wave of each task: one more than the highest wave of what it depends on (cycles left at 0). */
export function planWaves(plan: BatchPlanInput, edges: readonly PlanEdge[]): Map<string, number> {
  const incoming = new Map<string, string[]>();
  for (const edge of edges) incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge.from]);
  const waves = new Map<string, number>();
  const visiting = new Set<string>();
  const waveOf = (id: string): number => {
    const known = waves.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const wave = Math.max(-1, ...(incoming.get(id) ?? []).map(waveOf)) + 1;
    visiting.delete(id);
    waves.set(id, wave);
    return wave;
  };
  for (const task of plan.tasks) waveOf(task.id);
  return waves;
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
