/**
 * The batch engine, the planner and the dashboard read a plan's `{{id…}}` references and waves the
 * same way (shared/plan-references.ts, shared/plan-waves.ts). Generated plans hold references with
 * nested paths, escapes, broken references, unknown ids and `dependsOn`; the generator knows which
 * tasks each one truly waits for, so every reader is checked against that, not only against the
 * others.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchPlanInput } from '../../shared/batch-plan';
import { findTemplates, renameReferences, type MalformedReference } from '../../shared/plan-references';
import { groupByWave, planWaves } from '../../shared/plan-waves';
import { ArgumentChecker } from '../../main/core/batch/argument-check';
import type { ToolCatalog } from '../../main/core/batch/plan-graph';
import { checkPlan } from '../../main/core/batch/plan-validation';
import { finalisePlan } from '../../main/core/planner/plan-check';
import { plannerCatalog } from '../../main/core/planner/planner-catalog';
import { planEdges, wavesById } from '../src/features/runs/plan-model';

const IDS = ['a', 'b', 'c-1', 'd_2', 'e', 'F'];
const GHOST = 'ghost';
const PATHS = [
  '',
  '.text',
  '.text.length',
  '.isError',
  '.structuredContent.items[0].name',
  '.structuredContent["odd key"]',
  '.content[1].text',
];
const SPACES = ['', ' ', '  '];

/** A piece of an argument string, and the task it truly references (if any). */
interface Piece {
  text: string;
  references?: string;
}

/** Pieces for a task that may reference `known` (and names `others` only in escapes and broken references). */
function piece(known: readonly string[], others: readonly string[]): fc.Arbitrary<Piece> {
  const anyId = fc.constantFrom(...known, ...others, GHOST);
  const choices: fc.Arbitrary<Piece>[] = [
    fc.constantFrom('x', ' ', '{', 'a.text', 'naïve "q"').map((text) => ({ text })),
    anyId.map((id) => ({ text: `\\{{${id}.text}}` })),
    fc
      .tuple(anyId, fc.constantFrom('.content[x]', '..a', ' x', '.', '[1'))
      .map(([id, bad]) => ({ text: `{{${id === GHOST || others.length === 0 ? GHOST : id}${bad}}}` })),
    fc.constantFrom('{{}}', '{{ user name }}', '{{a b}}').map((text) => ({ text })),
  ];
  if (known.length > 0) {
    choices.push(
      fc
        .tuple(fc.constantFrom(...known), fc.constantFrom(...PATHS), fc.constantFrom(...SPACES), fc.constantFrom(...SPACES))
        .map(([id, path, before, after]) => ({ text: `{{${before}${id}${path}${after}}}`, references: id })),
    );
  }
  return fc.oneof(...choices);
}

/** An argument value (a string of pieces, deep in arrays and objects) and the ids it references. */
function argument(known: readonly string[], others: readonly string[]): fc.Arbitrary<{ value: unknown; references: string[] }> {
  const text = fc.array(piece(known, others), { maxLength: 4 }).map((pieces) => ({
    value: pieces.map((part) => part.text).join(''),
    references: pieces.flatMap((part) => (part.references ? [part.references] : [])),
  }));
  return fc.oneof(
    text,
    fc.integer().map((value) => ({ value, references: [] as string[] })),
    fc
      .array(text, { maxLength: 2 })
      .map((items) => ({ value: items.map((item) => item.value), references: items.flatMap((item) => item.references) })),
    text.map((inner) => ({ value: { nested: { deeper: inner.value } }, references: inner.references })),
  );
}

interface Generated {
  plan: BatchPlanInput;
  /** For each task, the ids it truly waits for (other tasks only). */
  waits: Set<string>[];
  /** Built to pass validation: references and waits only to earlier tasks, broken references only to unknown ids. */
  valid: boolean;
}

const plans: fc.Arbitrary<Generated> = fc.tuple(fc.shuffledSubarray(IDS, { minLength: 1 }), fc.boolean()).chain(([ids, valid]) =>
  fc
    .tuple(
      ...ids.map((id, index) => {
        const known = valid ? ids.slice(0, index) : ids;
        const others = valid ? [] : ids;
        return fc.record({
          args: fc.dictionary(fc.constantFrom('q', 'path', 'odd key', 'list'), argument(known, others), { maxKeys: 3 }),
          dependsOn: fc.subarray(valid ? ids.slice(0, index) : ids),
        });
      }),
    )
    .map((tasks): Generated => {
      const plan: BatchPlanInput = {
        tasks: tasks.map(({ args, dependsOn }, index) => ({
          id: ids[index]!,
          tool: `tool-${index}`,
          arguments: Object.fromEntries(Object.entries(args).map(([key, { value }]) => [key, value])),
          ...(dependsOn.length > 0 ? { dependsOn } : {}),
        })),
      };
      const waits = tasks.map(
        ({ args, dependsOn }, index) =>
          new Set([...dependsOn, ...Object.values(args).flatMap((arg) => arg.references)].filter((id) => id !== ids[index])),
      );
      return { plan, waits, valid };
    }),
);

/** Every tool on a server of its own, changing things: the planner's optimiser has nothing to merge or reorder. */
const catalog: ToolCatalog = (tool) => ({ server: `server-${tool}`, name: tool });
const checker = new ArgumentChecker();

/** The waves a plan's waits give, computed the plain way: tasks wait only for earlier ones in a valid plan. */
function expectedWaves(plan: BatchPlanInput, waits: readonly Set<string>[]): string[][] {
  const wave = new Map<string, number>();
  plan.tasks.forEach((task, index) => wave.set(task.id, Math.max(-1, ...[...waits[index]!].map((id) => wave.get(id)!)) + 1));
  return groupByWave(
    plan.tasks.map((task) => task.id),
    plan.tasks.map((task) => wave.get(task.id)!),
  );
}

function edgesOf(waits: readonly Set<string>[], plan: BatchPlanInput): string[] {
  return waits.flatMap((ids, index) => [...ids].map((id) => `${id}->${plan.tasks[index]!.id}`)).sort();
}

describe('plan references and waves, read by the batch engine, the planner and the dashboard', () => {
  it('the dashboard draws the edges each task truly waits for, and the daemon’s waves', () => {
    fc.assert(
      fc.property(plans, ({ plan, waits }) => {
        expect(
          planEdges(plan)
            .map((edge) => `${edge.from}->${edge.to}`)
            .sort(),
        ).toEqual(edgesOf(waits, plan));
        const daemon = planWaves(plan);
        expect(plan.tasks.map((task) => wavesById(plan).get(task.id))).toEqual(daemon);
      }),
      { numRuns: 300 },
    );
  });

  it('the engine accepts a plan built valid, and its graph, the planner’s waves and the dashboard’s agree', () => {
    fc.assert(
      fc.property(
        plans.filter((generated) => generated.valid),
        ({ plan, waits }) => {
          const checked = checkPlan(plan, catalog, { checker });
          if (!checked.ok) throw new Error(`rejected: ${checked.problems.map((problem) => problem.message).join('; ')}`);
          const engineEdges = checked.graph.tasks.flatMap((task) => task.dependencies.map((from) => `${plan.tasks[from]!.id}->${task.id}`));
          expect(engineEdges.sort()).toEqual(edgesOf(waits, plan));

          const expected = expectedWaves(plan, waits);
          const planned = finalisePlan(plan, plannerCatalog([], catalog), checker);
          expect(planned.notes).toEqual([]);
          expect(planned.waves).toEqual(expected);
          const dashboard = wavesById(plan);
          expect(
            groupByWave(
              plan.tasks.map((task) => task.id),
              plan.tasks.map((task) => dashboard.get(task.id)!),
            ),
          ).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the planner renames exactly the references the engine reads', () => {
    fc.assert(
      fc.property(plans, fc.constantFrom(...IDS), ({ plan }, merged) => {
        const rename = (id: string): string => (id === merged ? 'kept' : id);
        for (const task of plan.tasks) {
          const before: MalformedReference[] = [];
          const after: MalformedReference[] = [];
          const original = findTemplates(task.arguments, before);
          const renamed = findTemplates(renameReferences(task.arguments, rename), after);
          expect(
            renamed.map((template) => ({
              ...template,
              parts: template.parts.map((part) => (typeof part === 'string' ? part : { ...part, source: '' })),
            })),
          ).toEqual(
            original.map((template) => ({
              ...template,
              parts: template.parts.map((part) => (typeof part === 'string' ? part : { ...part, taskId: rename(part.taskId), source: '' })),
            })),
          );
          expect(after).toEqual(before);
        }
      }),
      { numRuns: 300 },
    );
  });
});
