/**
 * Validation of a batch plan before anything runs (docs/specification.md §6): every problem at once — unknown tool,
 * duplicate id, unknown `dependsOn`, reference to an id that is not a task, reference path that
 * cannot exist, cycle (named), arguments that fail the tool's input schema — or the graph to run.
 */
import { z } from 'zod';
import { DEFAULT_MAX_CONCURRENCY, batchPlanSchema } from '../../../shared/batch-plan.js';
import { ArgumentChecker, type UnknownValue } from './argument-check.js';
import { findCycles } from './cycles.js';
import { isRetryable, type CatalogTool, type GraphTask, type PlanGraph, type ToolCatalog } from './plan-graph.js';
import { referenceShape } from './reference-types.js';
import { findTemplates, referencesOf, type MalformedReference, type PathSegment, type Template } from '../../../shared/plan-references.js';
import { renderTemplate } from './references.js';
import type { PlanLike } from './types.js';

export const PROBLEM_CODES = [
  /** The plan's shape is wrong (a missing field, a bad id…). */
  'invalid_plan',
  'duplicate_id',
  'unknown_tool',
  'unknown_dependency',
  /** A `{{id…}}` naming no task. */
  'unknown_reference',
  /** An `output` entry naming no task. */
  'unknown_output',
  /** A reference that does not parse or whose path cannot exist. */
  'invalid_reference',
  'cycle',
  'invalid_arguments',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One thing wrong with a plan. */
export interface Problem {
  code: ProblemCode;
  message: string;
  /** The task it is about, when there is one. */
  taskId?: string;
  /** Where in the plan: `['tasks', 2, 'arguments', 'repo']`. */
  path?: PathSegment[];
}

export type ValidationResult = { ok: true; graph: PlanGraph; warnings: string[] } | { ok: false; problems: Problem[]; warnings: string[] };

/** Options of `validatePlan`. */
export interface ValidationOptions {
  /** Reused across plans so each input schema compiles once. */
  checker?: ArgumentChecker;
  /**
   * The results that go back when the plan names no `output`: `all` (what `batch_execute` does) or
   * `sinks`, the tasks nothing depends on (what the planner does). Default `all`.
   */
  defaultOutput?: 'all' | 'sinks';
}

/** The plan schema without its refinements: `validatePlan` reports those problems itself, with the rest. */
const planShape = z.strictObject(batchPlanSchema.shape);

/** Parses an untrusted plan and validates it; shape problems come back as `invalid_plan`. */
export function checkPlan(input: unknown, catalog: ToolCatalog, options: ValidationOptions = {}): ValidationResult {
  const parsed = planShape.safeParse(input);
  if (parsed.success) return validatePlan(parsed.data, catalog, options);
  const problems = parsed.error.issues.map((issue): Problem => ({
    code: 'invalid_plan',
    message: `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
    path: issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol'),
  }));
  return { ok: false, problems, warnings: [] };
}

/** Validates a plan whose shape is already checked against the catalog and builds its graph. */
export function validatePlan(plan: PlanLike, catalog: ToolCatalog, options: ValidationOptions = {}): ValidationResult {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const indexOf = new Map<string, number>();
  plan.tasks.forEach((task, index) => {
    if (indexOf.has(task.id))
      problems.push({
        code: 'duplicate_id',
        taskId: task.id,
        path: ['tasks', index, 'id'],
        message: `duplicate task id "${task.id}" (tasks ${indexOf.get(task.id)} and ${index})`,
      });
    else indexOf.set(task.id, index);
  });

  const targets = plan.tasks.map((task, index) => {
    const target = catalog(task.tool);
    if (!target)
      problems.push({
        code: 'unknown_tool',
        taskId: task.id,
        path: ['tasks', index, 'tool'],
        message: `task "${task.id}": unknown tool "${task.tool}"`,
      });
    return target;
  });

  const templates: Template[][] = [];
  const dependencies = plan.tasks.map((task, index) => {
    const found = new Set<number>();
    task.dependsOn?.forEach((id, at) => {
      const dependency = indexOf.get(id);
      if (dependency === undefined)
        problems.push({
          code: 'unknown_dependency',
          taskId: task.id,
          path: ['tasks', index, 'dependsOn', at],
          message: `task "${task.id}" depends on "${id}", which is not a task`,
        });
      else found.add(dependency);
    });
    const malformed: MalformedReference[] = [];
    const taskTemplates = findTemplates(task.arguments ?? {}, malformed);
    templates.push(taskTemplates);
    for (const bad of malformed) {
      if (indexOf.has(bad.taskId))
        problems.push(referenceProblem('invalid_reference', task.id, index, bad.at, `${bad.source} is not a valid reference`));
    }
    for (const template of taskTemplates) {
      for (const reference of referencesOf([template])) {
        const dependency = indexOf.get(reference.taskId);
        if (dependency === undefined) {
          problems.push(referenceProblem('unknown_reference', task.id, index, template.at, `${reference.source} names no task`));
          continue;
        }
        found.add(dependency);
        const shape = referenceShape(reference, targets[dependency]?.outputSchema);
        if (!shape.ok) problems.push(referenceProblem('invalid_reference', task.id, index, template.at, shape.message));
      }
    }
    return [...found];
  });

  plan.output?.forEach((id, at) => {
    if (!indexOf.has(id))
      problems.push({ code: 'unknown_output', path: ['output', at], message: `output names "${id}", which is not a task` });
  });

  for (const cycle of findCycles(plan.tasks.length, (node) => dependencies[node]!)) {
    const names = cycle.map((node) => plan.tasks[node]!.id);
    problems.push({
      code: 'cycle',
      taskId: names[0],
      path: ['tasks', cycle[0]!],
      message: `cycle: ${names.join(' → ')} (each task depends on the next)`,
    });
  }

  const checker = options.checker ?? new ArgumentChecker();
  plan.tasks.forEach((task, index) => {
    const target = targets[index];
    if (!target) return;
    checkArguments(task.id, index, task.arguments ?? {}, templates[index]!, target, targets, indexOf, checker, problems, warnings);
    if ((task.retries ?? 0) > 0 && !isRetryable(target.annotations)) {
      warnings.push(`task "${task.id}": retries ignored, "${task.tool}" is neither read-only nor idempotent`);
    }
  });

  if (problems.length > 0) return { ok: false, problems, warnings };
  const graph = buildGraph(plan, targets as CatalogTool[], templates, dependencies);
  const output = outputOf(plan, graph, indexOf, options.defaultOutput ?? 'all');
  if (output) graph.output = output;
  return { ok: true, graph, warnings };
}

function checkArguments(
  taskId: string,
  index: number,
  args: Record<string, unknown>,
  templates: readonly Template[],
  target: CatalogTool,
  targets: readonly (CatalogTool | undefined)[],
  indexOf: ReadonlyMap<string, number>,
  checker: ArgumentChecker,
  problems: Problem[],
  warnings: string[],
): void {
  if (target.inputSchema === undefined) return;
  if (target.inputSchema === null || typeof target.inputSchema !== 'object') {
    warnings.push(`task "${taskId}": the input schema of "${target.name}" is not an object; arguments not checked`);
    return;
  }
  const unknowns: UnknownValue[] = [];
  let known = args;
  for (const template of templates) {
    const references = referencesOf([template]);
    if (references.length === 0) {
      // Only escapes: the value is known now.
      const rendered = renderTemplate(template, () => undefined);
      if (rendered.ok) known = setKnown(known, template.at, rendered.value);
      continue;
    }
    const type = template.whole ? wholeType(references[0]!, targets, indexOf) : 'string';
    unknowns.push({ template, type });
  }
  const check = checker.check(target.inputSchema, known, unknowns);
  if (!check.ok) {
    warnings.push(`task "${taskId}": the input schema of "${target.name}" does not compile (${check.reason}); arguments not checked`);
    return;
  }
  for (const error of check.errors) {
    problems.push({ code: 'invalid_arguments', taskId, path: ['tasks', index, 'arguments'], message: `task "${taskId}": ${error}` });
  }
}

function wholeType(
  reference: ReturnType<typeof referencesOf>[number],
  targets: readonly (CatalogTool | undefined)[],
  indexOf: ReadonlyMap<string, number>,
) {
  const dependency = indexOf.get(reference.taskId);
  const shape = referenceShape(reference, dependency === undefined ? undefined : targets[dependency]?.outputSchema);
  return shape.ok ? shape.type : undefined;
}

function setKnown(args: Record<string, unknown>, at: readonly PathSegment[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(args) as Record<PathSegment, unknown>;
  let container = copy;
  at.slice(0, -1).forEach((segment) => (container = container[segment] as Record<PathSegment, unknown>));
  container[at[at.length - 1]!] = value;
  return copy;
}

function referenceProblem(
  code: 'unknown_reference' | 'invalid_reference',
  taskId: string,
  index: number,
  at: PathSegment[],
  detail: string,
): Problem {
  return { code, taskId, path: ['tasks', index, 'arguments', ...at], message: `task "${taskId}": ${detail}` };
}

function buildGraph(plan: PlanLike, targets: CatalogTool[], templates: Template[][], dependencies: number[][]): PlanGraph {
  const tasks: GraphTask[] = plan.tasks.map((task, index) => ({
    index,
    id: task.id,
    tool: task.tool,
    target: targets[index]!,
    arguments: task.arguments ?? {},
    templates: templates[index]!,
    dependencies: dependencies[index]!,
    dependents: [],
    ...(task.timeoutMs !== undefined ? { timeoutMs: task.timeoutMs } : {}),
    retries: isRetryable(targets[index]!.annotations) ? (task.retries ?? 0) : 0,
  }));
  for (const task of tasks) for (const dependency of task.dependencies) tasks[dependency]!.dependents.push(task.index);
  return { tasks, maxConcurrency: plan.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY, onError: plan.onError ?? 'continue' };
}

/** The indexes whose results go back: the plan's `output` (in plan order, each once), the sinks, or undefined for all. */
function outputOf(plan: PlanLike, graph: PlanGraph, indexOf: ReadonlyMap<string, number>, fallback: 'all' | 'sinks'): number[] | undefined {
  if (plan.output) return [...new Set(plan.output.map((id) => indexOf.get(id)!))].sort((a, b) => a - b);
  if (fallback === 'all') return undefined;
  return graph.tasks.filter((task) => task.dependents.length === 0).map((task) => task.index);
}

/** One message listing every problem, for an error the caller shows as is. */
export function formatProblems(problems: readonly Problem[]): string {
  const head = problems.length === 1 ? 'The plan has 1 problem:' : `The plan has ${problems.length} problems:`;
  return [head, ...problems.map((problem) => `- ${problem.message}`)].join('\n');
}
