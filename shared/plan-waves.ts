/**
 * Dependency waves of a plan, for display (the daemon's run views, the planner, the dashboard's
 * graph): a task's wave is 0 without dependencies, else one more than the highest wave among them.
 * The executor does not run by waves (a task starts as soon as its own dependencies are done); the
 * waves say what could run together. Runtime-neutral: no node:*, no DOM.
 */
import { findTemplates, referencesOf } from './plan-references.js';

/** The wave of each task, given each task's dependencies as indexes. A cycle (never in a valid plan) counts as wave 0. */
export function waveNumbers(dependencies: readonly (readonly number[])[]): number[] {
  const waves = new Array<number>(dependencies.length).fill(-1);
  const visiting = new Uint8Array(dependencies.length);
  for (let root = 0; root < dependencies.length; root++) {
    if (waves[root] !== -1) continue;
    // Iterative depth-first: a plan may hold 10 000 tasks in one chain.
    const stack = [root];
    while (stack.length > 0) {
      const node = stack[stack.length - 1]!;
      visiting[node] = 1;
      const pending = dependencies[node]!.find((dependency) => waves[dependency] === -1 && visiting[dependency] === 0);
      if (pending !== undefined) {
        stack.push(pending);
        continue;
      }
      stack.pop();
      visiting[node] = 0;
      waves[node] = dependencies[node]!.reduce((wave, dependency) => Math.max(wave, (waves[dependency] ?? -1) + 1), 0);
    }
  }
  return waves;
}

/** Task ids grouped by wave, in execution order. */
export function groupByWave(ids: readonly string[], waves: readonly number[]): string[][] {
  const grouped: string[][] = [];
  ids.forEach((id, index) => (grouped[waves[index]!] ??= []).push(id));
  return grouped.filter((wave) => wave !== undefined);
}

interface StoredPlanTask {
  id?: unknown;
  dependsOn?: unknown;
  arguments?: unknown;
}

/**
 * What each task of a plan as stored or typed (not necessarily valid) waits for, as indexes: its
 * `dependsOn` and its `{{id…}}` references that name a task other than itself, each once. A
 * duplicated id names its last task.
 */
export function planDependencies(plan: unknown): number[][] {
  const tasks = (plan as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks)) return [];
  const list = tasks as StoredPlanTask[];
  const indexOf = new Map(list.map((task, index) => [String(task.id), index]));
  return list.map((task, self) => {
    const found = new Set<number>();
    const named = [...(Array.isArray(task.dependsOn) ? task.dependsOn.map(String) : [])];
    for (const reference of referencesOf(findTemplates(task.arguments ?? {}))) named.push(reference.taskId);
    for (const id of named) {
      const index = indexOf.get(id);
      if (index !== undefined && index !== self) found.add(index);
    }
    return [...found];
  });
}

/** The waves of a plan as stored (its `dependsOn` and its `{{id…}}` references), task by task. */
export function planWaves(plan: unknown): number[] {
  return waveNumbers(planDependencies(plan));
}
