import { describe, expect, it } from 'vitest';
import { groupByWave, planDependencies, planWaves, waveNumbers } from './plan-waves.js';

describe('plan waves', () => {
  it('puts a task one wave after the latest of what it waits for', () => {
    // a, b → c (reference) → d (dependsOn and reference to a)
    const plan = {
      tasks: [
        { id: 'a', tool: 't' },
        { id: 'b', tool: 't' },
        { id: 'c', tool: 't', arguments: { x: '{{a.text}} and {{ b.structuredContent.items[0] }}' } },
        { id: 'd', tool: 't', dependsOn: ['c'], arguments: { y: ['{{a}}'] } },
      ],
    };
    expect(planDependencies(plan)).toEqual([[], [], [0, 1], [2, 0]]);
    expect(planWaves(plan)).toEqual([0, 0, 1, 2]);
    expect(groupByWave(['a', 'b', 'c', 'd'], planWaves(plan))).toEqual([['a', 'b'], ['c'], ['d']]);
  });

  it('ignores escapes, broken references, unknown ids and the task itself', () => {
    const plan = {
      tasks: [
        { id: 'a', tool: 't' },
        { id: 'b', tool: 't', dependsOn: ['ghost', 'b'], arguments: { x: '\\{{a}} {{a.content[x]}} {{ghost.text}} {{b.text}}' } },
      ],
    };
    expect(planDependencies(plan)).toEqual([[], []]);
    expect(planWaves(plan)).toEqual([0, 0]);
  });

  it('reads what is not a plan as no tasks', () => {
    expect(planWaves(null)).toEqual([]);
    expect(planWaves({ tasks: 'no' })).toEqual([]);
  });

  it('walks a chain of 10 000 tasks without recursion', () => {
    const dependencies = Array.from({ length: 10_000 }, (_, index) => (index === 0 ? [] : [index - 1]));
    expect(waveNumbers(dependencies).at(-1)).toBe(9_999);
  });

  it('leaves a cycle (never in a valid plan) without a wave from it', () => {
    expect(waveNumbers([[1], [0], [1]])).toEqual([1, 0, 1]);
  });
});
