/**
 * The page's stores against a real daemon (the example server over stdio, REST and /api/events
 * over HTTP on 127.0.0.1): what they load, what their actions change, and how live events keep
 * them current without asking again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/api/client';
import { fetchTransport } from '../../shared/api/fetch-transport';
import { createRuntime, type Runtime } from '../../main/core/runtime';
import { startLlmEndpoint } from '../../main/core/planner/__fixtures__/llm-endpoint';
import { isLost } from '../src/stores/connection.store';
import { createStores, startLiveUpdates, type Stores } from '../src/stores/stores';
import { filterTools } from '../src/stores/tools.store';

const EXAMPLE = fileURLToPath(new URL('../../resources/example-server.mjs', import.meta.url));
const TOKEN = 'store-test-token-0123456789abcdef';

let home: string;
let runtime: Runtime;
let stores: Stores;
let stopLive: () => void;

/** Resolves once `check` holds, re-checked whenever `store` changes. */
function until<State>(
  store: { getState(): State; subscribe(listener: (state: State) => void): () => void },
  check: (state: State) => boolean,
): Promise<State> {
  if (check(store.getState())) return Promise.resolve(store.getState());
  return new Promise((resolve) => {
    const stop = store.subscribe((state) => {
      if (!check(state)) return;
      stop();
      resolve(state);
    });
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mcp-orch-stores-'));
  const configPath = join(home, 'mcp-config.json');
  await writeFile(
    configPath,
    JSON.stringify({ mcpServers: { example: { command: process.execPath, args: [EXAMPLE] } }, orch: { batch: { approveAll: true } } }),
  );
  runtime = await createRuntime({
    configPath,
    port: 0,
    host: '127.0.0.1',
    env: { ...process.env, HOME: home, MCP_ORCH_HOME: home, MCP_ORCH_TOKEN: TOKEN, MCP_ORCH_LOGIN_SHELL_PATH: '0' },
    logDir: join(home, 'logs'),
    databasePath: join(home, 'orch.db'),
  });
  await runtime.ready;
  stores = createStores(createClient(fetchTransport({ baseUrl: runtime.url, token: TOKEN })));
  stopLive = startLiveUpdates(stores);
  await until(stores.connection, (state) => state.status === 'open');
});

afterAll(async () => {
  stopLive?.();
  await runtime?.dispose();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('the servers store', () => {
  it('loads the servers and follows their state live', async () => {
    await stores.servers.getState().load();
    expect(stores.servers.getState()).toMatchObject({ status: 'ready', servers: [{ name: 'example', state: 'running', toolCount: 3 }] });
    const stopped = until(stores.servers, (state) => state.servers[0]?.state === 'stopped');
    await runtime.supervisor.get('example')!.stop();
    await stopped;
    const running = until(stores.servers, (state) => state.servers[0]?.state === 'running');
    await runtime.supervisor.get('example')!.start();
    await running;
  });

  it('marks the action in progress and clears it after; a refusal is an error with the reason', async () => {
    const done = stores.servers.getState().act('example', 'restart');
    expect(stores.servers.getState().pending.example).toBe('restart');
    await done;
    expect(stores.servers.getState().pending.example).toBeUndefined();
    await expect(stores.servers.getState().act('nope', 'start')).rejects.toThrow(/no server named "nope"/);
  });

  it('keeps a bounded live log tail once it is watched', async () => {
    await stores.servers.getState().loadLogs('example');
    const before = stores.servers.getState().logs.example!.length;
    runtime.supervisor.get('example')!.logs.append('stderr', 'a line for the store');
    await until(stores.servers, (state) => state.logs.example!.length === before + 1);
    expect(stores.servers.getState().logs.example!.at(-1)?.line).toBe('a line for the store');
    stores.servers.getState().clearLogs('example');
    expect(stores.servers.getState().logs.example).toEqual([]);
  });
});

describe('the tools and stats stores', () => {
  it('filters the catalog, switches a tool, and counts a call the moment it happens', async () => {
    await stores.tools.getState().load();
    expect(filterTools(stores.tools.getState(), 'two numbers').map((tool) => tool.name)).toEqual(['add']);
    expect(filterTools(stores.tools.getState(), '', 'example')).toHaveLength(3);
    await stores.tools.getState().setEnabled('example', 'now', false);
    expect(stores.tools.getState().tools.find((tool) => tool.name === 'now')?.enabled).toBe(false);
    await stores.tools.getState().setEnabled('example', 'now', true);

    await stores.stats.getState().load();
    const counted = stores.stats.getState().series!.totals.count;
    const call = await stores.tools.getState().call('example', 'add', { a: 2, b: 3 });
    expect(call.result?.result.structuredContent).toEqual({ sum: 5 });
    expect(stores.tools.getState().recent[0]).toBe(call);
    const after = await until(stores.stats, (state) => state.series!.totals.count === counted + 1);
    expect(after.series!.points.some((point) => point.server === 'example' && point.count >= 1)).toBe(true);
  });
});

describe('the config store', () => {
  it('finds the problems of a draft at their JSON paths, and applies a good one', async () => {
    await stores.config.getState().load();
    const saved = stores.config.getState().saved!;
    stores.config.getState().setDraft(saved.text.replace('"command"', '"commandz"'));
    expect(await stores.config.getState().validate()).toBe(false);
    expect(stores.config.getState().issues.map((issue) => issue.path)).toContain('mcpServers.example.command');
    const file = JSON.parse(saved.text) as { mcpServers: { example: Record<string, unknown> } };
    file.mcpServers.example.timeout = 42;
    stores.config.getState().setDraft(JSON.stringify(file, null, 2));
    const outcome = await stores.config.getState().apply();
    expect(outcome).toMatchObject({ ok: true });
    expect(runtime.config.servers[0]?.timeoutMs).toBe(42_000);
    expect(stores.config.getState().saved?.text).toContain('"timeout": 42');
  });
});

describe('the runs store', () => {
  it('dry-runs a plan, then follows the run to its end live', async () => {
    const plan = {
      tasks: [
        { id: 'sum', tool: 'example__add', arguments: { a: 1, b: 1 } },
        { id: 'say', tool: 'example__echo', arguments: { text: '{{sum.text}}' } },
      ],
    };
    await stores.runs.getState().dryRun(plan);
    expect(stores.runs.getState().preview).toMatchObject({ valid: true, waves: [['sum'], ['say']] });
    await stores.runs.getState().start(plan);
    const done = await until(
      stores.runs,
      (state) => state.current?.status === 'succeeded' && state.current.tasks.every((task) => task.result !== undefined),
    );
    expect(done.current!.tasks.find((task) => task.id === 'say')?.result?.content).toEqual([{ type: 'text', text: '2' }]);
    await until(stores.runs, (state) => state.history.some((run) => run.id === done.current!.id && run.status === 'succeeded'));
  });

  it('says what to set while no planner is configured, then plans a request and runs one once it is', async () => {
    await stores.runs.getState().planRequest('add 1 and 1, then say it');
    expect(stores.runs.getState()).toMatchObject({ preview: undefined, previewError: expect.stringContaining('orch.planner') as unknown });

    const plan = {
      tasks: [
        { id: 'sum', tool: 'example__add', arguments: { a: 1, b: 1 } },
        { id: 'say', tool: 'example__echo', arguments: { text: '{{sum.text}}' } },
      ],
    };
    const endpoint = await startLlmEndpoint(() => ({ kind: 'plan', text: JSON.stringify(plan), usage: { input: 200, output: 30 } }));
    const { file } = runtime.hotReload.config;
    try {
      const planner = { provider: 'openai-compatible', model: 'local', baseURL: `${endpoint.url}/v1`, maxRetries: 0 };
      expect((await runtime.hotReload.reload(JSON.stringify({ ...file, orch: { ...file.orch, planner } }))).ok).toBe(true);
      await stores.runs.getState().planRequest('add 1 and 1, then say it');
      expect(stores.runs.getState().preview).toMatchObject({
        valid: true,
        waves: [['sum'], ['say']],
        plan: { tasks: [{ id: 'sum' }, { id: 'say' }] },
        planning: { inputTokens: 200, outputTokens: 30 },
      });
      // The same request again: its plan comes from the cache.
      await stores.runs.getState().startRequest('add 1 and 1, then say it');
      expect(stores.runs.getState().current).toMatchObject({ request: 'add 1 and 1, then say it', planning: { cacheHit: true } });
      const done = await until(
        stores.runs,
        (state) => state.current?.status === 'succeeded' && state.current.tasks.every((task) => task.result !== undefined),
      );
      expect(done.current!.tasks.find((task) => task.id === 'say')?.result?.content).toEqual([{ type: 'text', text: '2' }]);
      expect(endpoint.requests).toHaveLength(1);
    } finally {
      await runtime.hotReload.reload(JSON.stringify(file));
      await endpoint.close();
    }
  });
});

describe('the connection store', () => {
  it('counts the daemon lost when the stream drops after having been open, or nothing answers', () => {
    expect(isLost({ status: 'connecting', everOpen: false, unreachable: false })).toBe(false);
    expect(isLost({ status: 'closed', everOpen: true, unreachable: false })).toBe(true);
    expect(isLost({ status: 'open', everOpen: true, unreachable: true })).toBe(true);
    expect(isLost(stores.connection.getState())).toBe(false);
  });

  it('counts the daemon lost when its stream fails after the page’s data came, though the stream never opened', async () => {
    // The data can arrive before the stream opens; the daemon going away in between is still a daemon gone.
    const noStream: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url.endsWith('/api/events') ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    };
    const page = createStores(
      createClient(fetchTransport({ baseUrl: runtime.url, token: TOKEN, fetch: noStream, reconnect: { initialMs: 20, maxMs: 20 } })),
    );
    await page.servers.getState().load();
    const stop = startLiveUpdates(page);
    try {
      await until(page.connection, (state) => isLost(state));
      expect(page.connection.getState()).toMatchObject({ everOpen: true, status: expect.stringMatching(/closed|connecting/) as unknown });
    } finally {
      stop();
    }
  });
});
