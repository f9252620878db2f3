/**
 * `BatchService.stream`: a run whose plan arrives while it runs goes through the same books as any
 * other — recorded once its plan is complete and approved, with what its tasks did before, in plan
 * order; refused or failed plans record nothing; cancellable once recorded. The feeder here drives
 * the hooks by hand over a real open run, as the planner does.
 */
import { describe, expect, it } from 'vitest';
import { useTempStores } from '../store/__fixtures__/temp-store.js';
import type { UpstreamPeer } from '../supervisor/upstream-peer.js';
import { graphOf, settled, syntheticCatalog } from '../batch/__fixtures__/harness.js';
import { BatchService, type BatchSettings, type PlannedRunHooks } from './batch-service.js';
import { openRun } from '../batch/executor.js';
import type { OpenTask } from '../batch/open-run.js';
import type { ToolCaller } from '../batch/tool-caller.js';

const temp = useTempStores();

const peer: UpstreamPeer = {
  sessionId: 'session-1',
  clientCapabilities: {},
  deliverNotification: () => undefined,
  askClient: () => Promise.resolve({ error: { code: -32601, message: 'no' } }),
};

/** Answers every call at once with `<server>/<tool>`; a `block` tool answers only when cancelled. */
const tools: ToolCaller = {
  call: (server, tool, _args, _peer, signal) =>
    tool === 'block'
      ? new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }))
      : Promise.resolve({ content: [{ type: 'text', text: `${server}/${tool}` }] }),
  settings: (server) => ({ timeoutMs: 10_000, autoApprove: server === 'auto' ? ['write'] : [] }),
};

function task(id: string, tool: string, dependsOn: string[] = []): OpenTask {
  return { id, tool, target: syntheticCatalog(tool)!, arguments: {}, templates: [], dependsOn, retries: 0 };
}

const planning = (planningMs: number, firstCallMs?: number) => ({
  request: 'read a then b',
  planningMs,
  firstCallMs,
  inputTokens: 10,
  outputTokens: 5,
  cacheHit: false,
});

function service(settings: Partial<BatchSettings> = {}) {
  const store = temp.open();
  const batch = new BatchService({
    mode: 'batch',
    settings: () => ({ approveAll: false, maxResultChars: 1000, ...settings }),
    runs: store.runs,
  });
  const events: string[] = [];
  batch.onDidRun((event) => events.push(event.type === 'task' ? `${event.event.type} ${event.event.id}@${event.event.index}` : event.type));
  return { store, batch, events };
}

function request(
  feed: (
    hooks: PlannedRunHooks,
  ) => Promise<{ report?: Awaited<ReturnType<typeof openRun>['done']>; planning?: ReturnType<typeof planning> }>,
) {
  return { catalog: syntheticCatalog, tools, peer, caller: { keyId: 'k1', keyName: 'alice' }, source: 'plan_and_execute' as const, feed };
}

describe('BatchService.stream', () => {
  it('records the run once the plan is complete, with what its tasks did before, in plan order', async () => {
    const { store, batch, events } = service();
    let storedBeforePlan: number | undefined;
    const started = batch.stream(
      request(async (hooks) => {
        const run = openRun({ callTool: hooks.callTool, signal: hooks.signal, onTaskEvent: hooks.onTaskEvent });
        // "b" streams first and is done before the plan is complete.
        run.add(task('b', 's__read'));
        await settled();
        storedBeforePlan = store.runs.list().length;
        hooks.onPlanned({
          plan: {
            tasks: [
              { id: 'a', tool: 's__read' },
              { id: 'b', tool: 's__read' },
            ],
            output: ['a'],
          },
          graph: graphOf({
            tasks: [
              { id: 'a', tool: 's__read' },
              { id: 'b', tool: 's__read' },
            ],
          }),
          warnings: [],
          planning: planning(7),
        });
        run.add(task('a', 's__read'));
        run.close(['a']);
        return { report: await run.done, planning: planning(7, 3) };
      }),
    );
    const runId = await started.planned;
    const outcome = await started.done;
    expect(storedBeforePlan).toBe(0);
    expect(outcome).toMatchObject({ kind: 'ran', runId, report: { status: 'succeeded', output: ['a'] } });
    // Indexes are places in the plan, whatever order the tasks joined in.
    expect(events).toEqual(['started', 'started b@1', 'ended b@1', 'started a@0', 'ended a@0', 'ended']);
    const stored = store.runs.get(runId!)!;
    expect(stored).toMatchObject({
      source: 'plan_and_execute',
      status: 'succeeded',
      createdBy: 'alice',
      createdByKey: 'k1',
      sessionId: 'session-1',
    });
    expect(stored.tasks.map((entry) => [entry.id, entry.status, entry.result])).toEqual([
      ['a', 'succeeded', { text: 's/read' }],
      // Outside the output, yet its result is kept.
      ['b', 'succeeded', { text: 's/read' }],
    ]);
    expect(stored.planning).toEqual(planning(7, 3));
    expect(batch.live(runId!)).toBeUndefined();
  });

  it('forgets the events of tasks that ran before a plan that restarts whole', async () => {
    const { batch, events } = service();
    const graph = graphOf({ tasks: [{ id: 'a', tool: 's__read' }] });
    const started = batch.stream(
      request(async (hooks) => {
        const first = openRun({ callTool: hooks.callTool, signal: hooks.signal, onTaskEvent: hooks.onTaskEvent });
        first.add(task('a', 's__read'));
        await settled();
        first.cancel('the plan turned out invalid');
        await first.done;
        hooks.onPlanned({ plan: { tasks: [{ id: 'a', tool: 's__read' }] }, graph, warnings: [], planning: planning(9), restarted: true });
        const again = openRun({ callTool: hooks.callTool, signal: hooks.signal, onTaskEvent: hooks.onTaskEvent });
        again.add(task('a', 's__read'));
        again.close();
        return { report: await again.done };
      }),
    );
    expect((await started.done).kind).toBe('ran');
    expect(events).toEqual(['started', 'started a@0', 'ended a@0', 'ended']);
  });

  it('refuses, recording nothing, a plan whose tools need approval when nobody can be asked; config approval lets them run', async () => {
    const { store, batch } = service();
    const asked: boolean[] = [];
    const refused = batch.stream(
      request(async (hooks) => {
        asked.push(await hooks.approve(['s__read', 'auto__write']), await hooks.approve(['s__write', 'auto__write']));
        return {};
      }),
    );
    expect(await refused.planned).toBeUndefined();
    expect(await refused.done).toMatchObject({ kind: 'refused', needsApproval: ['s__write'] });
    expect(asked).toEqual([true, false]);
    expect(store.runs.list()).toEqual([]);

    const all = service({ approveAll: true });
    let approved: boolean | undefined;
    await all.batch.stream(
      request(async (hooks) => {
        approved = await hooks.approve(['s__write']);
        return {};
      }),
    ).done;
    expect(approved).toBe(true);
  });

  it('records a run whose feeder fails after the plan was complete as failed, and nothing when it fails before', async () => {
    const { store, batch } = service();
    const before = batch.stream(
      request(() => {
        throw new Error('the model stream broke');
      }),
    );
    expect(await before.planned).toBeUndefined();
    expect(await before.done).toMatchObject({ kind: 'failed', error: { message: 'the model stream broke' } });
    expect(store.runs.list()).toEqual([]);

    const after = batch.stream(
      request((hooks) => {
        hooks.onPlanned({
          plan: { tasks: [{ id: 'a', tool: 's__read' }] },
          graph: graphOf({ tasks: [{ id: 'a', tool: 's__read' }] }),
          warnings: [],
          planning: planning(1),
        });
        return Promise.reject(new Error('lost'));
      }),
    );
    const runId = await after.planned;
    expect(await after.done).toMatchObject({ kind: 'failed', runId });
    expect(store.runs.get(runId!)).toMatchObject({
      status: 'failed',
      error: 'lost',
      tasks: [{ id: 'a', status: 'skipped', reason: 'the task never ran' }],
    });
  });

  it('cancels a recorded run; the planning signal stops only the planning', async () => {
    const { store, batch } = service();
    const planningSignal = new AbortController();
    let signal: AbortSignal | undefined;
    const started = batch.stream({
      ...request(async (hooks) => {
        signal = hooks.signal;
        const run = openRun({ callTool: hooks.callTool, signal: hooks.signal, onTaskEvent: hooks.onTaskEvent });
        hooks.onPlanned({
          plan: { tasks: [{ id: 'x', tool: 's__block' }] },
          graph: graphOf({ tasks: [{ id: 'x', tool: 's__block' }] }),
          warnings: [],
          planning: planning(1),
        });
        run.add(task('x', 's__block'));
        run.close();
        return { report: await run.done };
      }),
      planningSignal: planningSignal.signal,
    });
    const runId = (await started.planned)!;
    // The REST caller got its answer and went away: the run goes on.
    planningSignal.abort(new Error('the caller went away'));
    expect(signal!.aborted).toBe(false);
    expect(batch.live(runId)).toMatchObject({ status: 'running' });
    expect(await batch.cancel(runId, 'cancelled by a test')).toBe(true);
    expect(await started.done).toMatchObject({ kind: 'ran', report: { status: 'cancelled' } });
    expect(store.runs.get(runId)).toMatchObject({ status: 'cancelled', tasks: [{ status: 'cancelled', reason: 'the run was cancelled' }] });

    const early = new AbortController();
    early.abort(new Error('gone'));
    let aborted: boolean | undefined;
    const never = batch.stream({
      ...request((hooks) => {
        aborted = hooks.signal.aborted;
        return Promise.resolve({});
      }),
      planningSignal: early.signal,
    });
    await never.done;
    expect(aborted).toBe(true);
  });
});
