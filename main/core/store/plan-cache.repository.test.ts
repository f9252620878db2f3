import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';

const temp = useTempStores();

const entry = (key: string) => ({
  key,
  request: `request ${key}`,
  catalogVersion: 'v1',
  model: 'azure|gpt-4.1',
  plan: { tasks: [{ id: key, tool: 's__t' }] },
});

describe('PlanCacheRepository', () => {
  it('answers a kept plan and counts hits and misses across a reopen', () => {
    const path = temp.path('cache.db');
    const store = temp.open('cache.db');
    expect(store.planCache.get('a')).toBeUndefined();
    store.planCache.put(entry('a'), 10);
    expect(store.planCache.get('a')).toEqual({ tasks: [{ id: 'a', tool: 's__t' }] });
    expect(store.planCache.stats()).toEqual({ hits: 1, misses: 1, entries: 1 });
    store.close();
    const again = temp.open('cache.db');
    expect(path).toContain('cache.db');
    expect(again.planCache.stats()).toEqual({ hits: 1, misses: 1, entries: 1 });
  });

  it('evicts the least recently used plans past its size', () => {
    const store = temp.open();
    store.planCache.put(entry('old'), 2, 1_000);
    store.planCache.put(entry('used'), 2, 2_000);
    store.planCache.get('old', 3_000);
    store.planCache.put(entry('new'), 2, 4_000);
    expect(store.planCache.get('used')).toBeUndefined();
    expect(store.planCache.get('old')).toBeDefined();
    expect(store.planCache.get('new')).toBeDefined();
    expect(store.planCache.stats().entries).toBe(2);
    store.planCache.put(entry('x'), 0);
    expect(store.planCache.stats().entries).toBe(0);
  });
});

describe('RunsRepository.recordPlanning', () => {
  it('keeps the request, the planning time and the token usage with the run', () => {
    const store = temp.open();
    store.runs.start({ id: 'r1', source: 'plan_and_execute', plan: { tasks: [] }, startedAt: 1_000, tasks: [] });
    expect(store.runs.get('r1')!.planning).toBeUndefined();
    expect(
      store.runs.recordPlanning('r1', {
        request: 'list my issues',
        planningMs: 812.5,
        firstCallMs: 140.25,
        inputTokens: 2_100,
        outputTokens: 180,
        cacheHit: false,
      }),
    ).toBe(true);
    expect(store.runs.get('r1')!.planning).toEqual({
      request: 'list my issues',
      planningMs: 812.5,
      firstCallMs: 140.25,
      inputTokens: 2_100,
      outputTokens: 180,
      cacheHit: false,
    });
    expect(store.runs.recordPlanning('nope', { request: 'x', planningMs: 1, inputTokens: 0, outputTokens: 0, cacheHit: true })).toBe(false);
  });
});
