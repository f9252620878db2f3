/**
 * The runs store against a real daemon: the history it loads, refusals shown without losing what it
 * had, a plan dry-run and a run followed live to its end, a run started elsewhere appearing in the
 * history, plans from a request (the LLM planner, a local endpoint), and the history read again
 * after the event stream dropped and came back.
 */
import { describe, expect, it } from 'vitest';
import { startLlmEndpoint } from '../../main/core/planner/__fixtures__/llm-endpoint';
import { openPage, settle, sharedPage } from './daemon';

const shared = sharedPage();

const runs = () => shared.page.stores.runs.getState();

const PLAN = {
  tasks: [
    { id: 'sum', tool: 'example__add', arguments: { a: 1, b: 1 } },
    { id: 'say', tool: 'example__echo', arguments: { text: '{{sum.text}}' } },
  ],
};

/** Runs `PLAN` through another client and waits for its end; its id. */
async function runElsewhere(): Promise<string> {
  const { id } = await shared.daemon.other.runs.create({ plan: PLAN });
  await settle(async () => expect((await shared.daemon.other.runs.get({ id })).status).toBe('succeeded'));
  return id;
}

/** Waits until the page's current run has succeeded with every task's result in; that run. */
function currentSucceeded() {
  return settle(() => {
    const current = runs().current;
    expect(current?.status).toBe('succeeded');
    expect(current!.tasks.every((task) => task.result !== undefined)).toBe(true);
    return current!;
  });
}

describe('the runs store', () => {
  it('starts with no history, is loading while asked, then holds the runs newest first', async () => {
    const fresh = await openPage(shared.daemon, { live: false });
    const store = fresh.stores.runs;
    expect(store.getState()).toMatchObject({ historyStatus: 'idle', history: [], busy: false });
    const loading = store.getState().loadHistory();
    expect(store.getState().historyStatus).toBe('loading');
    await loading;
    expect(store.getState()).toMatchObject({ historyStatus: 'ready', history: [] });
    const first = await runElsewhere();
    const second = await runElsewhere();
    await store.getState().loadHistory();
    expect(store.getState().history.map((run) => run.id)).toEqual([second, first]);
  });

  it('shows refusals as errors and keeps the history and the run it had', async () => {
    await runs().loadHistory();
    const had = runs().history;
    expect(had.length).toBeGreaterThan(0);
    await shared.page.whileRefused(() => runs().loadHistory());
    expect(runs()).toMatchObject({ historyStatus: 'error', historyError: expect.stringMatching(/token/i) as unknown });
    expect(runs().history).toBe(had);

    await runs().open(had[0]!.id);
    const current = runs().current;
    await runs().open('no-such-run');
    expect(runs().currentError).toMatch(/no-such-run/);
    expect(runs().current).toBe(current);
    await runs().start({ tasks: [{ id: 'x', tool: 'nowhere__tool', arguments: {} }] });
    expect(runs().currentError).toMatch(/nowhere__tool/);
    expect(runs()).toMatchObject({ current, busy: false });
  });

  it('dry-runs a plan, then follows the run to its end live', async () => {
    await runs().dryRun(PLAN);
    expect(runs().preview).toMatchObject({ valid: true, waves: [['sum'], ['say']] });
    await runs().start(PLAN);
    const done = await currentSucceeded();
    expect(done.tasks.find((task) => task.id === 'say')?.result?.content).toEqual([{ type: 'text', text: '2' }]);
    await settle(() => expect(runs().history.find((run) => run.id === done.id)?.status).toBe('succeeded'));
  });

  it('shows a run started elsewhere in the history as its events arrive', async () => {
    await runs().loadHistory();
    const id = await runElsewhere();
    await settle(() => expect(runs().history.find((run) => run.id === id)).toMatchObject({ status: 'succeeded' }));
  });

  it('reads the history again when the stream comes back after a drop, so a run it missed shows', async () => {
    await runs().loadHistory();
    let missed = '';
    await shared.page.whileDropped(async () => {
      missed = await runElsewhere();
      expect(runs().history.some((run) => run.id === missed)).toBe(false);
    });
    await settle(() => expect(runs().history.find((run) => run.id === missed)).toMatchObject({ status: 'succeeded' }));
  });

  it('says what to set while no planner is configured, then plans a request and runs one once it is', async () => {
    await runs().planRequest('add 1 and 1, then say it');
    expect(runs()).toMatchObject({ preview: undefined, previewError: expect.stringContaining('orch.planner') as unknown });

    const endpoint = await startLlmEndpoint(() => ({ kind: 'plan', text: JSON.stringify(PLAN), usage: { input: 200, output: 30 } }));
    const { file } = shared.daemon.runtime.hotReload.config;
    try {
      const planner = { provider: 'openai-compatible', model: 'local', baseURL: `${endpoint.url}/v1`, maxRetries: 0 };
      expect((await shared.daemon.runtime.hotReload.reload(JSON.stringify({ ...file, orch: { ...file.orch, planner } }))).ok).toBe(true);
      await runs().planRequest('add 1 and 1, then say it');
      expect(runs().preview).toMatchObject({
        valid: true,
        waves: [['sum'], ['say']],
        plan: { tasks: [{ id: 'sum' }, { id: 'say' }] },
        planning: { inputTokens: 200, outputTokens: 30 },
      });
      // The same request again: its plan comes from the cache.
      await runs().startRequest('add 1 and 1, then say it');
      expect(runs().current).toMatchObject({ request: 'add 1 and 1, then say it', planning: { cacheHit: true } });
      const done = await currentSucceeded();
      expect(done.tasks.find((task) => task.id === 'say')?.result?.content).toEqual([{ type: 'text', text: '2' }]);
      expect(endpoint.requests).toHaveLength(1);
    } finally {
      await shared.daemon.runtime.hotReload.reload(JSON.stringify(file));
      await endpoint.close();
    }
  });
});
