/**
 * The aggregated endpoint as its set of tools changes (docs/specification.md §3, §5): `list_changed`
 * when a server's tools change, crash, restart or reload; notifications that servers send on their
 * own reaching aggregate sessions across hot reload; and 50 servers × 100 tools behind one URL.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConfigFile, ServerConfig } from '../../../shared/config.js';
import {
  FAULT_SERVER_PATH,
  INVALID_PARAMS,
  PORTABLE_NAME,
  askFixture,
  errorOf,
  manyToolsServer,
  pidsOf,
  rawPrompts,
  rawTools,
  recordListChanges,
  recordLogMessages,
  rewriteConfig,
  startWithAggregates,
  untilTools,
  type ListChangeRecorder,
  type LogRecorder,
} from '../__fixtures__/aggregate-test-kit.js';
import { processExists, textOf } from '../__fixtures__/proxy-test-kit.js';
import {
  TRANSPORT_KINDS,
  exampleServer,
  fixtureServer,
  recordStates,
  startHarness,
  type Harness,
  type TransportKind,
} from '../__fixtures__/runtime-harness.js';

describe('aggregated endpoint sends list_changed when the set of tools changes', () => {
  const config: ConfigFile = {
    mcpServers: {
      example: exampleServer(),
      fault: fixtureServer(FAULT_SERVER_PATH),
      grower: manyToolsServer(1, 'grower', { controls: true }),
    },
  };
  let harness: Harness;
  const aggregate = {} as Record<TransportKind, Client>;
  const aggregateChanges = {} as Record<TransportKind, ListChangeRecorder>;
  /** Sessions on `/mcp/example` and `/sse/example`. */
  const example = {} as Record<TransportKind, Client>;
  const exampleChanges = {} as Record<TransportKind, ListChangeRecorder>;

  const counts = (recorders: Record<TransportKind, ListChangeRecorder>): Record<TransportKind, number> => ({
    streamable: recorders.streamable.count('tools'),
    sse: recorders.sse.count('tools'),
  });

  beforeAll(async () => {
    harness = await startWithAggregates(config.mcpServers, aggregate, aggregateChanges);
    for (const kind of TRANSPORT_KINDS) {
      example[kind] = await harness.connect('example', kind);
      exampleChanges[kind] = recordListChanges(example[kind], `/…/example over ${kind}`);
    }
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  it('when servers are added to the config file on disk (prompts and resources too)', async () => {
    const seen = counts(aggregateChanges);
    const seenPrompts = { streamable: aggregateChanges.streamable.count('prompts'), sse: aggregateChanges.sse.count('prompts') };
    const seenResources = { streamable: aggregateChanges.streamable.count('resources'), sse: aggregateChanges.sse.count('resources') };
    config.mcpServers.added = manyToolsServer(2, 'added');
    config.mcpServers.second = exampleServer();
    const result = await rewriteConfig(harness.runtime, config);
    expect(result.ok).toBe(true);
    expect(result.diff?.added.map((server) => server.name)).toEqual(['added', 'second']);
    for (const kind of TRANSPORT_KINDS) {
      await aggregateChanges[kind].after('tools', seen[kind]);
      await untilTools(
        aggregate[kind],
        aggregateChanges[kind],
        (tools) => tools.some((tool) => tool.name === 'added__tool_1') && tools.some((tool) => tool.name === 'second__add'),
        `added__tool_1 and second__add are listed (${kind})`,
      );
      expect(await askFixture(aggregate[kind], 'added__tool_1')).toMatchObject({ tool: 'tool_1', label: 'added' });
      expect((await aggregate[kind].callTool({ name: 'second__add', arguments: { a: 2, b: 2 } })).structuredContent).toEqual({ sum: 4 });

      await aggregateChanges[kind].after('prompts', seenPrompts[kind]);
      await aggregateChanges[kind].after('resources', seenResources[kind]);
      expect((await rawPrompts(aggregate[kind])).map((prompt) => prompt.name)).toEqual(
        expect.arrayContaining(['example__greet', 'second__greet']),
      );
      const greeting = await aggregate[kind].getPrompt({ name: 'second__greet', arguments: { name: 'Grace' } });
      expect(greeting.messages[0]?.content).toEqual({ type: 'text', text: 'Say hello to Grace.' });
    }
  });

  it('when a server announces that its own tool list changed', async () => {
    const seen = counts(aggregateChanges);
    const grown = await aggregate.streamable.callTool({ name: 'grower__grow', arguments: {} });
    expect(textOf(grown)).toBe('extra_0');
    for (const kind of TRANSPORT_KINDS) {
      await aggregateChanges[kind].after('tools', seen[kind]);
      await untilTools(
        aggregate[kind],
        aggregateChanges[kind],
        (tools) => tools.some((tool) => tool.name === 'grower__extra_0'),
        `grower__extra_0 is listed (${kind})`,
      );
      expect(await askFixture(aggregate[kind], 'grower__extra_0')).toMatchObject({ tool: 'extra_0', label: 'grower' });
    }
  });

  it('when a server crashes: in-flight call fails naming the server, it restarts, clients are told and calls work again', async () => {
    const ownSession = await harness.connect('fault', 'sse');
    const ownChanges = recordListChanges(ownSession, '/sse/fault');
    const fault = recordStates(harness.runtime.supervisor.onDidChangeState, 'fault');
    const pidBefore = harness.runtime.supervisor.get('fault')?.status().pid;
    expect(pidBefore).toBeDefined();
    // Count only what arrives after the crash, not late news of earlier changes.
    let seen = counts(aggregateChanges);
    const stopCounting = harness.runtime.supervisor.onDidChangeState(({ status }) => {
      if (status.name === 'fault' && status.state === 'crashed') seen = counts(aggregateChanges);
    });
    try {
      const crashed = await errorOf(aggregate.sse.callTool({ name: 'fault__crash', arguments: {} }));
      expect(crashed?.message).toContain('"fault"');
      await fault.until('crashed');
      await fault.until('running');
      for (const kind of TRANSPORT_KINDS) {
        await aggregateChanges[kind].after('tools', seen[kind]);
        const tools = await rawTools(aggregate[kind]);
        expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['fault__crash', 'fault__pid', 'example__add']));
        const pid = z
          .object({ pid: z.number() })
          .parse(JSON.parse(textOf(await aggregate[kind].callTool({ name: 'fault__pid', arguments: {} }))));
        expect(pid.pid).not.toBe(pidBefore);
        expect(pid.pid).toBe(harness.runtime.supervisor.get('fault')?.status().pid);
      }
      expect(processExists(pidBefore!)).toBe(false);
      // The server's own endpoint: the same session survives the restart and is told to re-fetch (docs/specification.md §4).
      await ownChanges.after('tools', 0);
      const own = z.object({ pid: z.number() }).parse(JSON.parse(textOf(await ownSession.callTool({ name: 'pid', arguments: {} }))));
      expect(own.pid).toBe(harness.runtime.supervisor.get('fault')?.status().pid);
    } finally {
      stopCounting();
      fault.dispose();
    }
  });

  it('when a tool is disabled in the config file: hidden and refused on the aggregate and the per-server endpoint', async () => {
    const seenAggregate = counts(aggregateChanges);
    const seenExample = counts(exampleChanges);
    config.orch = { disabledTools: { example: ['echo'] } };
    const result = await rewriteConfig(harness.runtime, config);
    expect(result).toMatchObject({ ok: true, diff: { orch: ['disabledTools'], added: [], removed: [], restarted: [] } });

    for (const kind of TRANSPORT_KINDS) {
      await aggregateChanges[kind].after('tools', seenAggregate[kind]);
      const tools = await untilTools(
        aggregate[kind],
        aggregateChanges[kind],
        (list) => !list.some((tool) => tool.name === 'example__echo'),
        `example__echo is hidden (${kind})`,
      );
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['example__add', 'example__now', 'added__tool_0']));
      const refused = await errorOf(aggregate[kind].callTool({ name: 'example__echo', arguments: { text: 'hi' } }));
      expect(refused).toMatchObject({ code: INVALID_PARAMS, message: expect.stringContaining('example__echo') as unknown });
      expect((await aggregate[kind].callTool({ name: 'example__add', arguments: { a: 1, b: 1 } })).structuredContent).toEqual({ sum: 2 });

      await exampleChanges[kind].after('tools', seenExample[kind]);
      expect((await rawTools(example[kind])).map((tool) => tool.name).sort()).toEqual(['add', 'now']);
      const refusedThere = await errorOf(example[kind].callTool({ name: 'echo', arguments: { text: 'hi' } }));
      expect(refusedThere).toMatchObject({ code: INVALID_PARAMS, message: expect.stringContaining('echo') as unknown });
      expect(textOf(await example[kind].callTool({ name: 'now', arguments: {} }))).toMatch(/^\d{4}-/);
    }

    // And back on.
    const seenAgain = counts(exampleChanges);
    delete config.orch;
    expect((await rewriteConfig(harness.runtime, config)).ok).toBe(true);
    for (const kind of TRANSPORT_KINDS) {
      await untilTools(
        aggregate[kind],
        aggregateChanges[kind],
        (list) => list.some((tool) => tool.name === 'example__echo'),
        `example__echo is back (${kind})`,
      );
      expect(textOf(await aggregate[kind].callTool({ name: 'example__echo', arguments: { text: 'back' } }))).toBe('back');
      await exampleChanges[kind].after('tools', seenAgain[kind]);
      expect(textOf(await example[kind].callTool({ name: 'echo', arguments: { text: 'back' } }))).toBe('back');
    }
  });

  it('when a server is removed from the config file', async () => {
    const seen = counts(aggregateChanges);
    const pid = harness.runtime.supervisor.get('added')?.status().pid;
    delete config.mcpServers.added;
    const result = await rewriteConfig(harness.runtime, config);
    expect(result.diff?.removed).toEqual(['added']);
    for (const kind of TRANSPORT_KINDS) {
      await aggregateChanges[kind].after('tools', seen[kind]);
      await untilTools(
        aggregate[kind],
        aggregateChanges[kind],
        (tools) => !tools.some((tool) => tool.name.startsWith('added__')),
        `added__* are gone (${kind})`,
      );
      expect(await errorOf(aggregate[kind].callTool({ name: 'added__tool_0', arguments: {} }))).toMatchObject({ code: INVALID_PARAMS });
    }
    expect(processExists(pid!)).toBe(false);
  });
});

describe('aggregate sessions hear what servers send on their own, across hot reload', () => {
  const config: ConfigFile = { mcpServers: { herald: manyToolsServer(1, 'first', { controls: true }) } };
  let harness: Harness;
  const aggregate = {} as Record<TransportKind, Client>;
  const changes = {} as Record<TransportKind, ListChangeRecorder>;
  const logs = {} as Record<TransportKind, LogRecorder>;

  beforeAll(async () => {
    harness = await startWithAggregates(config.mcpServers, aggregate, changes);
    for (const kind of TRANSPORT_KINDS) logs[kind] = recordLogMessages(aggregate[kind], `aggregate over ${kind}`);
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  /** Asks `tool` (an `announce` control) over one session; every attached session hears the log message. */
  const announce = async (tool: string, expected: string): Promise<void> => {
    await untilTools(aggregate.sse, changes.sse, (tools) => tools.some((entry) => entry.name === tool), `${tool} is listed`);
    expect(textOf(await aggregate.sse.callTool({ name: tool, arguments: {} }))).toBe('announced');
    for (const kind of TRANSPORT_KINDS) await logs[kind].until(expected);
  };

  it('passes a server’s log message that belongs to no request to every aggregate session', async () => {
    await announce('herald__announce', 'announce from first');
  });

  it('from a server added after the sessions opened', async () => {
    config.mcpServers.newcomer = manyToolsServer(1, 'newcomer', { controls: true });
    expect((await rewriteConfig(harness.runtime, config)).ok).toBe(true);
    await announce('newcomer__announce', 'announce from newcomer');
  });

  // Sessions once kept a server's name as "already attached", so a server added back was never heard.
  it('from a server removed and then added back under the same name', async () => {
    delete config.mcpServers.herald;
    expect((await rewriteConfig(harness.runtime, config)).diff?.removed).toEqual(['herald']);
    config.mcpServers.herald = manyToolsServer(1, 'second', { controls: true });
    expect((await rewriteConfig(harness.runtime, config)).diff?.added.map((server) => server.name)).toEqual(['herald']);
    await announce('herald__announce', 'announce from second');
  });
});

describe('aggregated endpoint at scale: 50 servers × 100 tools', () => {
  const SERVER_COUNT = 50;
  const TOOL_COUNT = 100;
  const serverName = (index: number) => `s${String(index).padStart(2, '0')}`;
  let harness: Harness;
  let pids: number[] = [];

  beforeAll(async () => {
    const servers: Record<string, ServerConfig> = {};
    for (let index = 0; index < SERVER_COUNT; index++) servers[serverName(index)] = manyToolsServer(TOOL_COUNT, serverName(index));
    harness = await startHarness(servers);
    pids = Object.values(pidsOf(harness.runtime)).filter((pid): pid is number => pid !== undefined);
    await harness.runtime.registry.settled();
  }, 90_000); // fifty processes starting at once on a busy two-core machine

  afterAll(async () => {
    await harness?.dispose();
    // Every child is gone once the daemon is disposed.
    expect(pids.filter(processExists)).toEqual([]);
  });

  it('starts every server', () => {
    const states = harness.runtime.supervisor.list().map((server) => server.state);
    expect(states).toEqual(Array<string>(SERVER_COUNT).fill('running'));
    expect(pids).toHaveLength(SERVER_COUNT);
  });

  it.each(TRANSPORT_KINDS)('lists 5,000 unique portable names and routes calls to the right server (%s)', async (kind) => {
    const client = await harness.connectAggregate(kind);
    const names = (await rawTools(client)).map((tool) => tool.name);
    expect(names).toHaveLength(SERVER_COUNT * TOOL_COUNT);
    expect(new Set(names).size).toBe(SERVER_COUNT * TOOL_COUNT);
    for (const name of names) expect(name).toMatch(PORTABLE_NAME);
    const expected: string[] = [];
    for (let index = 0; index < SERVER_COUNT; index++) {
      for (let tool = 0; tool < TOOL_COUNT; tool++) expected.push(`${serverName(index)}__tool_${tool}`);
    }
    expect([...names].sort()).toEqual(expected.sort());

    for (const [server, tool] of [
      ['s00', 0],
      ['s17', 42],
      ['s49', 99],
    ] as const) {
      expect(await askFixture(client, `${server}__tool_${tool}`)).toEqual({
        tool: `tool_${tool}`,
        pid: harness.runtime.supervisor.get(server)?.status().pid,
        label: server,
      });
    }
  });
});
