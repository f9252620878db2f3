import { describe, expect, it } from 'vitest';
import { useTempStores } from './__fixtures__/temp-store.js';
import type { NewRun } from './runs.repository.js';

const temp = useTempStores();

function run(id: string, startedAt = 1_000): NewRun {
  return {
    id,
    source: 'batch_execute',
    plan: {
      tasks: [
        { id: 'a', tool: 'x__a' },
        { id: 'b', tool: 'x__b' },
      ],
    },
    createdBy: 'cline',
    sessionId: 'session-1',
    startedAt,
    tasks: [
      { id: 'a', tool: 'x__a', server: 'x' },
      { id: 'b', tool: 'x__b', server: 'x' },
    ],
  };
}

describe('RunsRepository', () => {
  it('keeps the progress of tasks a daemon finished before it died: only unfinished ones are interrupted', () => {
    const store = temp.open();
    store.runs.start(run('killed'));
    store.runs.progress('killed', 0, { status: 'running', attempts: 1, startedAt: 1_100 });
    store.runs.progress('killed', 0, { status: 'succeeded', attempts: 1, startedAt: 1_100, endedAt: 1_250 });
    store.runs.progress('killed', 1, { status: 'running', attempts: 1, startedAt: 1_120 });
    store.runs.flush();
    expect(store.runs.markInterrupted(5_000)).toBe(1);
    expect(store.runs.get('killed')).toMatchObject({
      status: 'interrupted',
      tasks: [
        { id: 'a', status: 'succeeded', startedAt: 1_100, endedAt: 1_250 },
        { id: 'b', status: 'interrupted', startedAt: 1_120 },
      ],
    });
  });

  it('shows a reader only the runs of its keys, and none with a tool it may not see', () => {
    const store = temp.open();
    store.runs.start({ ...run('mine'), createdByKey: 'k1', tasks: [{ id: 'a', tool: 'x__a', server: 'x', toolName: 'a' }] });
    store.runs.start({ ...run('theirs'), createdByKey: 'k2', tasks: [{ id: 'a', tool: 'x__a', server: 'x', toolName: 'a' }] });
    store.runs.start({
      ...run('mixed'),
      createdByKey: 'k1',
      tasks: [
        { id: 'a', tool: 'x__a', server: 'x', toolName: 'a' },
        { id: 'b', tool: 'x__b', server: 'x', toolName: 'b' },
      ],
    });
    const ids = (scope: Parameters<typeof store.runs.page>[0]) =>
      store.runs
        .page(scope)
        .items.map((item) => item.id)
        .sort();
    expect(ids({})).toEqual(['mine', 'mixed', 'theirs']);
    expect(ids({ scope: { keyIds: ['k1'] } })).toEqual(['mine', 'mixed']);
    expect(ids({ scope: { keyIds: ['k1'], visible: (_server, tool) => tool === 'a' } })).toEqual(['mine']);
    expect(store.runs.get('theirs', { keyIds: ['k1'] })).toBeUndefined();
    expect(store.runs.get('mine', { keyIds: ['k1'] })?.id).toBe('mine');
  });

  it('writes a run when it starts and every task outcome when it ends', () => {
    const store = temp.open();
    store.runs.start(run('r1'));
    expect(store.runs.get('r1')).toMatchObject({
      id: 'r1',
      status: 'running',
      createdBy: 'cline',
      taskCount: 2,
      tasks: [
        { id: 'a', status: 'queued' },
        { id: 'b', status: 'queued' },
      ],
    });
    store.runs.finish('r1', {
      status: 'failed',
      endedAt: 2_000,
      wallMs: 900.5,
      sumTaskMs: 1_500,
      speedup: 1.67,
      tasks: [
        {
          status: 'failed',
          attempts: 2,
          startedAt: 1_000.25,
          endedAt: 1_900,
          durationMs: 899.75,
          result: { text: 'boom', isError: true },
          error: { code: 'tool_error', message: 'boom' },
        },
        { status: 'skipped', attempts: 0, reason: 'dependency "a" failed' },
      ],
    });
    expect(store.runs.get('r1')).toMatchObject({
      status: 'failed',
      endedAt: 2_000,
      wallMs: 900.5,
      speedup: 1.67,
      plan: run('r1').plan,
      tasks: [
        {
          index: 0,
          id: 'a',
          server: 'x',
          status: 'failed',
          attempts: 2,
          durationMs: 899.75,
          result: { text: 'boom', isError: true },
          error: { code: 'tool_error', message: 'boom' },
        },
        { index: 1, id: 'b', status: 'skipped', attempts: 0, reason: 'dependency "a" failed' },
      ],
    });
    expect(store.runs.get('nope')).toBeUndefined();
  });

  it('marks the runs a stopped daemon left running as interrupted, and their unfinished tasks with them', () => {
    const path = temp.path();
    const first = temp.open();
    first.runs.start(run('left', 1_000));
    first.runs.start(run('done', 2_000));
    first.runs.finish('done', {
      status: 'succeeded',
      endedAt: 3_000,
      wallMs: 1,
      sumTaskMs: 1,
      speedup: 1,
      tasks: [
        { status: 'succeeded', attempts: 1 },
        { status: 'succeeded', attempts: 1 },
      ],
    });
    first.close();
    const second = temp.open();
    expect(second.db.name).toBe(path);
    expect(second.runs.markInterrupted(5_000)).toBe(1);
    expect(second.runs.get('left')).toMatchObject({
      status: 'interrupted',
      endedAt: 5_000,
      tasks: [{ status: 'interrupted' }, { status: 'interrupted' }],
    });
    expect(second.runs.get('done')).toMatchObject({ status: 'succeeded', tasks: [{ status: 'succeeded' }, { status: 'succeeded' }] });
    expect(second.runs.list().map((entry) => entry.id)).toEqual(['done', 'left']);
  });

  it('pages runs newest first with their tasks counted per status, filtered by status, ties broken by id', () => {
    const store = temp.open();
    store.runs.start(run('r1', 1_000));
    store.runs.start(run('r2', 2_000));
    store.runs.start(run('r3', 2_000));
    store.runs.finish('r1', {
      status: 'failed',
      endedAt: 1_500,
      wallMs: 1,
      sumTaskMs: 1,
      speedup: 1,
      tasks: [
        { status: 'failed', attempts: 1 },
        { status: 'skipped', attempts: 0 },
      ],
    });
    const first = store.runs.page({ limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual(['r3', 'r2']);
    expect(first.items[0]).toMatchObject({ status: 'running', taskCount: 2, counts: { queued: 2 }, createdBy: 'cline' });
    expect(first.nextCursor).toBe('2000.r2');
    const second = store.runs.page({ limit: 2, before: first.nextCursor });
    expect(second).toEqual({ items: [expect.objectContaining({ id: 'r1', counts: { failed: 1, skipped: 1 } })] });
    expect(store.runs.page({ status: 'failed' }).items.map((item) => item.id)).toEqual(['r1']);
    expect(() => store.runs.page({ before: 'nonsense' })).toThrow(RangeError);
  });
});
