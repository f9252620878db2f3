/**
 * Optimises a plan task by task, in plan order, so a streamed plan and a whole one get the same
 * treatment (each rule looks only at the tasks before):
 * - identical read-only calls (same tool, same arguments, same waits) are merged: later references
 *   and waits point at the first;
 * - a read-only task that waits (`dependsOn`) for another read-only task whose result it does not
 *   use stops waiting: reads change nothing another read could see, so both go in one wave;
 * - calls that change things on one server are kept in plan order when their arguments share a
 *   value (the same path, page, channel…); without one they are independent and run together.
 * Nothing else moves: references are data flow, and the plan's own order of writes is respected.
 */
import type { ToolCatalog } from '../batch/plan-graph.js';
import { findTemplates, referencesOf, renameReferences } from '../../../shared/plan-references.js';
import type { PlanTaskLike } from '../batch/types.js';

/** What became of a task: the task to run (maybe rewritten), or the earlier task it is the same call as. */
export type Optimized = { kind: 'task'; task: PlanTaskLike } | { kind: 'merged'; into: string };

interface Seen {
  task: PlanTaskLike;
  server: string | undefined;
  readOnly: boolean;
  /** Ids it waits for: `dependsOn` and references. */
  waits: Set<string>;
}

/** Optimises one plan; feed it the tasks in plan order. */
export class PlanOptimizer {
  private readonly alias = new Map<string, string>();
  private readonly seen = new Map<string, Seen>();
  private readonly calls = new Map<string, string>();
  /** What was changed and why, one line each. */
  readonly notes: string[] = [];

  constructor(private readonly catalog: ToolCatalog) {}

  /** Takes the next task of the plan; `input` is not changed. */
  accept(input: PlanTaskLike): Optimized {
    const task = { ...this.rewrite(input) };
    const target = this.catalog(task.tool);
    const readOnly = target?.annotations?.readOnlyHint === true;
    const referenced = new Set(referencesOf(findTemplates(task.arguments ?? {})).map((reference) => reference.taskId));
    if (readOnly) {
      const key = JSON.stringify([task.tool, canonical(task.arguments ?? {}), [...(task.dependsOn ?? [])].sort()]);
      const first = this.calls.get(key);
      if (first !== undefined) {
        this.alias.set(task.id, first);
        this.notes.push(`"${task.id}" is the same call as "${first}": merged into it`);
        return { kind: 'merged', into: first };
      }
      this.calls.set(key, task.id);
      this.unchainReads(task, referenced);
    } else if (target) {
      this.orderWrites(task, target.server, referenced);
    }
    const waits = new Set([...(task.dependsOn ?? []), ...referenced]);
    this.seen.set(task.id, { task, server: target?.server, readOnly, waits });
    return { kind: 'task', task };
  }

  /** The plan's `output` with merged tasks replaced by the task they were merged into. */
  output(ids: readonly string[] | undefined): string[] | undefined {
    if (!ids) return undefined;
    return [...new Set(ids.map((id) => this.alias.get(id) ?? id))];
  }

  /** Points references and waits at the tasks merged ones became. */
  private rewrite(task: PlanTaskLike): PlanTaskLike {
    if (this.alias.size === 0) return task;
    const dependsOn = task.dependsOn ? [...new Set(task.dependsOn.map((id) => this.alias.get(id) ?? id))] : undefined;
    const args = task.arguments
      ? (renameReferences(task.arguments, (id) => this.alias.get(id) ?? id) as Record<string, unknown>)
      : undefined;
    return { ...task, ...(args ? { arguments: args } : {}), ...(dependsOn ? { dependsOn } : {}) };
  }

  private unchainReads(task: PlanTaskLike, referenced: ReadonlySet<string>): void {
    if (!task.dependsOn?.length) return;
    const kept = task.dependsOn.filter((id) => {
      const before = this.seen.get(id);
      if (!before?.readOnly || referenced.has(id)) return true;
      this.notes.push(`"${task.id}" no longer waits for "${id}": both only read, and "${task.id}" uses nothing of it`);
      return false;
    });
    task.dependsOn = kept;
  }

  private orderWrites(task: PlanTaskLike, server: string, referenced: ReadonlySet<string>): void {
    const values = leafValues(task.arguments ?? {});
    if (values.size === 0) return;
    const waits = new Set([...(task.dependsOn ?? []), ...referenced]);
    const added: string[] = [];
    for (const before of [...this.seen.values()].reverse()) {
      if (before.readOnly || before.server !== server) continue;
      const shared = [...leafValues(before.task.arguments ?? {})].find((value) => values.has(value));
      if (shared === undefined) continue;
      if (this.reaches([...waits, ...added], before.task.id)) continue;
      // Waiting on a task that may (through ids not seen yet) wait on this one could close a cycle.
      if (!this.settledClosure(before.task.id)) continue;
      added.push(before.task.id);
      this.notes.push(`"${task.id}" waits for "${before.task.id}": both change ${server} and share ${JSON.stringify(shared)}`);
    }
    if (added.length > 0) task.dependsOn = [...(task.dependsOn ?? []), ...added];
  }

  /** Whether waiting on `from` (transitively, over the tasks seen) includes `target`. */
  private reaches(from: readonly string[], target: string): boolean {
    const stack = [...from];
    const visited = new Set<string>();
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      if (id === target) return true;
      if (visited.has(id)) continue;
      visited.add(id);
      for (const next of this.seen.get(id)?.waits ?? []) stack.push(next);
    }
    return false;
  }

  /** Whether everything `id` waits for, transitively, is a task already seen. */
  private settledClosure(id: string): boolean {
    const stack = [id];
    const visited = new Set<string>();
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (visited.has(next)) continue;
      visited.add(next);
      const seen = this.seen.get(next);
      if (!seen) return false;
      stack.push(...seen.waits);
    }
    return true;
  }
}

/** Optimises a whole plan; the notes say what changed. */
export function optimizePlan<T extends { tasks: PlanTaskLike[]; output?: string[] }>(
  plan: T,
  catalog: ToolCatalog,
): { plan: T; notes: string[] } {
  const optimizer = new PlanOptimizer(catalog);
  const tasks: PlanTaskLike[] = [];
  for (const task of plan.tasks) {
    const result = optimizer.accept(structuredClone(task));
    if (result.kind === 'task') tasks.push(result.task);
  }
  const output = optimizer.output(plan.output);
  return { plan: { ...plan, tasks, ...(output ? { output } : {}) }, notes: optimizer.notes };
}

/** Scalar values of the arguments that can name a thing: strings of 2+ characters without references, and numbers. */
function leafValues(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (value.length >= 2 && !value.includes('{{')) into.add(value);
  } else if (typeof value === 'number') {
    into.add(String(value));
  } else if (Array.isArray(value)) {
    for (const item of value) leafValues(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) leafValues(item, into);
  }
  return into;
}

/** JSON with object keys sorted, so equal arguments compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
