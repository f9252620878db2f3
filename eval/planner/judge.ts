/** Whether a plan has the properties an evaluation case asks for. */
import type { PlanGraph } from '../../main/core/batch/plan-graph.js';
import type { EvalCase } from './cases.js';

/** The reasons the plan misses its case; none when it is correct. */
export function judge(entry: EvalCase, graph: PlanGraph): string[] {
  const why: string[] = [];
  const used = graph.tasks.map((task) => task.tool);
  const uses = (alternatives: string) => alternatives.split('|').some((tool) => used.includes(tool));
  for (const tool of entry.tools) if (!uses(tool)) why.push(`does not use ${tool}`);
  for (const tool of entry.forbidden ?? []) if (used.includes(tool)) why.push(`uses the forbidden ${tool}`);
  for (const [from, to] of entry.edges ?? []) {
    const froms = new Set(graph.tasks.filter((task) => from.split('|').includes(task.tool)).map((task) => task.index));
    const waits = graph.tasks.filter((task) => to.split('|').includes(task.tool)).some((task) => reaches(graph, task.index, froms));
    if (!waits) why.push(`no ${to} waits for ${from}`);
  }
  return why;
}

function reaches(graph: PlanGraph, start: number, targets: Set<number>): boolean {
  const stack = [...graph.tasks[start]!.dependencies];
  const seen = new Set<number>();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (targets.has(node)) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...graph.tasks[node]!.dependencies);
  }
  return false;
}
