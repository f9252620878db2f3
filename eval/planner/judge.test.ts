import { describe, expect, it } from 'vitest';
import { syntheticCatalog } from '../../main/core/batch/__fixtures__/harness.js';
import { validatePlan } from '../../main/core/batch/plan-validation.js';
import type { PlanLike } from '../../main/core/batch/types.js';
import type { EvalCase } from './cases.js';
import { judge } from './judge.js';

const graph = (plan: PlanLike) => {
  const checked = validatePlan(plan, syntheticCatalog);
  if (!checked.ok) throw new Error('invalid');
  return checked.graph;
};

const entry: EvalCase = {
  id: 'x',
  request: 'x',
  tools: ['gh__read|gh__list', 'slack__write'],
  edges: [['gh__read|gh__list', 'slack__write']],
  forbidden: ['gh__write'],
  plan: { tasks: [] },
};

describe('judge', () => {
  it('accepts a plan with the tools, the transitive edge and no forbidden tool', () => {
    expect(
      judge(
        entry,
        graph({
          tasks: [
            { id: 'a', tool: 'gh__read' },
            { id: 'b', tool: 'fs__read', dependsOn: ['a'] },
            { id: 'c', tool: 'slack__write', arguments: { t: '{{b.text}}' } },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('names every property a plan misses', () => {
    expect(
      judge(
        entry,
        graph({
          tasks: [
            { id: 'a', tool: 'gh__write' },
            { id: 'c', tool: 'slack__write' },
          ],
        }),
      ),
    ).toEqual(['does not use gh__read|gh__list', 'uses the forbidden gh__write', 'no slack__write waits for gh__read|gh__list']);
  });
});
