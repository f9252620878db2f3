import { describe, expect, it } from 'vitest';
import { syntheticCatalog } from '../batch/__fixtures__/harness.js';
import { validatePlan } from '../batch/plan-validation.js';
import type { PlanTaskLike } from '../batch/types.js';
import { optimizePlan } from './plan-optimizer.js';

// syntheticCatalog: `<server>__read` is read-only, `<server>__write` changes things.
const optimize = (tasks: PlanTaskLike[], output?: string[]) => optimizePlan({ tasks, ...(output ? { output } : {}) }, syntheticCatalog);

describe('optimizePlan', () => {
  it('merges identical reads whatever the key order, and points every reference and wait at the first', () => {
    const { plan } = optimize(
      [
        { id: 'a', tool: 'gh__read', arguments: { q: 'x', n: 1 } },
        { id: 'b', tool: 'gh__read', arguments: { n: 1, q: 'x' } },
        { id: 'c', tool: 'gh__write', arguments: { text: 'got {{b.text}} and {{ b.structuredContent.items[0] }}' }, dependsOn: ['b'] },
      ],
      ['b', 'c'],
    );
    expect(plan.tasks).toEqual([
      { id: 'a', tool: 'gh__read', arguments: { q: 'x', n: 1 } },
      { id: 'c', tool: 'gh__write', arguments: { text: 'got {{a.text}} and {{ a.structuredContent.items[0] }}' }, dependsOn: ['a'] },
    ]);
    expect(plan.output).toEqual(['a', 'c']);
  });

  it('never merges calls that change things, nor reads with other arguments', () => {
    const { plan, notes } = optimize([
      { id: 'w1', tool: 'gh__write', arguments: { path: 'a.txt' } },
      { id: 'w2', tool: 'gh__write', arguments: { path: 'a.txt' } },
      { id: 'r1', tool: 'gh__read', arguments: { path: 'a.txt' } },
      { id: 'r2', tool: 'gh__read', arguments: { path: 'b' } },
    ]);
    expect(plan.tasks.map((task) => task.id)).toEqual(['w1', 'w2', 'r1', 'r2']);
    expect(notes).toEqual(['"w2" waits for "w1": both change gh and share "a.txt"']);
  });

  it('keeps a read waiting for a write, and a write waiting for a read (a guard)', () => {
    const tasks: PlanTaskLike[] = [
      { id: 'w', tool: 'gh__write', arguments: { path: 'a.txt' } },
      { id: 'r', tool: 'gh__read', arguments: {}, dependsOn: ['w'] },
      { id: 'check', tool: 'gh__read', arguments: {}, dependsOn: ['r'] },
      { id: 'delete', tool: 'gh__write', arguments: { path: 'z' }, dependsOn: ['check'] },
    ];
    const { plan } = optimize(tasks);
    expect(plan.tasks.map((task) => [task.id, task.dependsOn])).toEqual([
      ['w', undefined],
      ['r', ['w']],
      ['check', []],
      ['delete', ['check']],
    ]);
  });

  it('leaves writes on different servers or without a shared value free to run together', () => {
    const { notes } = optimize([
      { id: 'a', tool: 'gh__write', arguments: { path: 'x.txt' } },
      { id: 'b', tool: 'slack__write', arguments: { path: 'x.txt' } },
      { id: 'c', tool: 'gh__write', arguments: { path: 'y.txt', flag: true } },
    ]);
    expect(notes).toEqual([]);
  });

  it('does not order writes where the earlier one waits, through a name not seen yet, on the later one', () => {
    const { plan } = optimize([
      { id: 'w1', tool: 'gh__write', arguments: { path: 'a.txt', text: '{{w2.text}}' } },
      { id: 'w2', tool: 'gh__write', arguments: { path: 'a.txt' } },
    ]);
    expect(plan.tasks[1]!.dependsOn).toBeUndefined();
    expect(validatePlan(plan, syntheticCatalog).ok).toBe(true);
  });
});
