/**
 * The aggregated endpoint (docs/specification.md §3, §5): every enabled tool and prompt of every server under
 * `<server><sep><name>`, resources with their URIs kept, each call routed to the server that owns
 * it, and `list_changed` whenever the set changes. Real servers from npm and fixtures of ours behind
 * it; real SDK clients on `/mcp` and `/sse` in front of it.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConfigFile, ServerConfig } from '../../../shared/config.js';
import {
  FAULT_SERVER_PATH,
  askFixture,
  errorOf,
  manyToolsServer,
  pidsOf,
  rawPrompts,
  rawTools,
  recordListChanges,
  recordLogMessages,
  rewriteConfig,
  untilTools,
  type ListChangeRecorder,
  type LogRecorder,
  type RawItem,
} from '../__fixtures__/aggregate-test-kit.js';
import { processExists, textOf } from '../__fixtures__/proxy-test-kit.js';
import {
  TRANSPORT_KINDS,
  everythingServer,
  exampleServer,
  fixtureServer,
  memoryServer,
  recordStates,
  startHarness,
  type Harness,
  type TransportKind,
} from '../__fixtures__/runtime-harness.js';
import { ORIGIN_META_KEY } from '../registry/aggregate-view.js';

/** What OpenAI, Azure and Bedrock accept as a tool name (docs/specification.md §3). */
const PORTABLE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Any result, exactly as sent. */
const RawResult = z.looseObject({});
const INVALID_PARAMS = -32602;

/** A namespaced item turned back into what its server sent: original name, our origin `_meta` removed. */
function asSentByServer(item: RawItem): { server: string; item: RawItem } {
  const { [ORIGIN_META_KEY]: origin, ...meta } = (item._meta ?? {}) as Record<string, unknown>;
  const { server, name } = z.object({ server: z.string(), name: z.string() }).parse(origin);
  return { server, item: { ...item, name, _meta: Object.keys(meta).length > 0 ? meta : undefined } };
}

/** The items of one server in an aggregated list, as that server sent them. */
function itemsOf(server: string, items: RawItem[]): RawItem[] {
  return items
    .map(asSentByServer)
    .filter((entry) => entry.server === server)
    .map((entry) => entry.item);
}

/** Drops keys whose value is undefined, so lists compare as JSON would. */
function plain(items: RawItem[]): unknown {
  return JSON.parse(JSON.stringify(items));
}

describe('aggregated endpoint in front of server-everything, server-memory and the example server', () => {
  const SERVERS = ['example', 'everything', 'memory'] as const;
  let harness: Harness;
  /** Per-server sessions (`/mcp/<server>`), to compare the aggregate with. */
  const perServer = {} as Record<(typeof SERVERS)[number], Client>;

  beforeAll(async () => {
    harness = await startHarness((dir) => ({ example: exampleServer(), everything: everythingServer(), memory: memoryServer(dir) }));
    for (const server of SERVERS) perServer[server] = await harness.connect(server, 'streamable');
    await harness.runtime.registry.settled();
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  describe.each(TRANSPORT_KINDS)('over %s', (kind) => {
    let client: Client;

    beforeAll(async () => {
      client = await harness.connectAggregate(kind);
    });

    it('introduces itself as MCP Orch with list_changed for tools, resources and prompts', () => {
      expect(client.getServerVersion()?.name).toBe('mcp-orch');
      expect(client.getServerCapabilities()).toMatchObject({
        tools: { listChanged: true },
        resources: { listChanged: true },
        prompts: { listChanged: true },
        completions: {},
      });
    });

    it('lists every tool of every server as <server>__<tool>, each definition as its server sends it', async () => {
      const tools = await rawTools(client);
      const names = tools.map((tool) => tool.name);
      expect(names).toEqual(
        expect.arrayContaining(['example__add', 'example__echo', 'everything__echo', 'everything__get-sum', 'memory__create_entities']),
      );
      expect(new Set(names).size).toBe(names.length);
      for (const name of names) expect(name).toMatch(PORTABLE_NAME);

      let total = 0;
      for (const server of SERVERS) {
        const own = await rawTools(perServer[server]);
        total += own.length;
        // Descriptions, input and output schemas, annotations, titles: untouched.
        expect(plain(itemsOf(server, tools)), server).toEqual(plain(own));
        for (const tool of own) expect(names, server).toContain(`${server}__${tool.name}`);
      }
      expect(tools).toHaveLength(total);

      const add = tools.find((tool) => tool.name === 'example__add');
      expect(add).toMatchObject({
        description: 'Adds two numbers.',
        annotations: { readOnlyHint: true },
        outputSchema: { type: 'object', properties: { sum: { type: 'number' } } },
        _meta: { [ORIGIN_META_KEY]: { server: 'example', name: 'add' } },
      });
    });

    it('routes each tool call to the server that owns the tool and returns its result unchanged', async () => {
      const sum = await client.callTool({ name: 'example__add', arguments: { a: 2, b: 40 } });
      expect(sum.structuredContent).toEqual({ sum: 42 });
      expect(textOf(await client.callTool({ name: 'example__echo', arguments: { text: 'from example' } }))).toBe('from example');

      // Same tool name on two servers: each goes to its own.
      const echoed = await client.request(
        { method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'héllo' } } },
        RawResult,
      );
      const direct = await perServer.everything.request(
        { method: 'tools/call', params: { name: 'echo', arguments: { message: 'héllo' } } },
        RawResult,
      );
      expect(echoed).toEqual(direct);
      expect(textOf(echoed)).toBe('Echo: héllo');

      const entity = `aggregate-${kind}`;
      const created = await client.callTool({
        name: 'memory__create_entities',
        arguments: { entities: [{ name: entity, entityType: 'test', observations: [`made over ${kind}`] }] },
      });
      expect(created.isError).toBeFalsy();
      // The entity is in the one shared memory server, whichever endpoint asks.
      const opened = await perServer.memory.callTool({ name: 'open_nodes', arguments: { names: [entity] } });
      expect(textOf(opened)).toContain(`made over ${kind}`);
      const viaAggregate = await client.callTool({ name: 'memory__open_nodes', arguments: { names: [entity] } });
      expect(textOf(viaAggregate)).toContain(`made over ${kind}`);
    });

    it('lists resources and templates with their URIs kept and routes reads, template matches included', async () => {
      const { resources } = await client.listResources();
      const uris = resources.map((resource) => resource.uri);
      expect(uris).toEqual(expect.arrayContaining(['example://readme', 'demo://resource/static/document/architecture.md']));

      const { resourceTemplates } = await client.listResourceTemplates();
      const { resourceTemplates: everythingTemplates } = await perServer.everything.listResourceTemplates();
      expect(resourceTemplates).toEqual(expect.arrayContaining(everythingTemplates));
      expect(resourceTemplates.map((template) => template.uriTemplate)).toContain('demo://resource/dynamic/text/{resourceId}');

      const readme = await client.readResource({ uri: 'example://readme' });
      expect(readme.contents[0]).toMatchObject({
        uri: 'example://readme',
        text: expect.stringContaining('example server of MCP Orch') as unknown,
      });
      const architecture = await client.readResource({ uri: 'demo://resource/static/document/architecture.md' });
      expect(architecture).toEqual(await perServer.everything.readResource({ uri: 'demo://resource/static/document/architecture.md' }));

      // Not listed anywhere: only the template of server-everything matches it.
      // Its text holds the time of the read to the second: two reads may straddle a second.
      const untimed = (result: unknown) => JSON.parse(JSON.stringify(result).replace(/created at [^"]+/g, 'created at <time>')) as unknown;
      const dynamic = await client.readResource({ uri: 'demo://resource/dynamic/text/7' });
      expect(untimed(dynamic)).toEqual(untimed(await perServer.everything.readResource({ uri: 'demo://resource/dynamic/text/7' })));
      expect(dynamic.contents[0]?.uri).toBe('demo://resource/dynamic/text/7');

      const missing = await errorOf(client.readResource({ uri: 'nowhere://at/all' }));
      expect(missing?.message).toContain('nowhere://at/all');
    });

    it('lists prompts namespaced and routes prompts/get and completion to their server', async () => {
      const prompts = await rawPrompts(client);
      const names = prompts.map((prompt) => prompt.name);
      expect(names).toEqual(expect.arrayContaining(['example__greet', 'everything__simple-prompt', 'everything__completable-prompt']));
      expect(plain(itemsOf('everything', prompts))).toEqual(plain(await rawPrompts(perServer.everything)));

      const greeting = await client.getPrompt({ name: 'example__greet', arguments: { name: 'Ada' } });
      expect(greeting.messages[0]?.content).toEqual({ type: 'text', text: 'Say hello to Ada.' });
      const args = { city: 'Lisbon', state: 'none' };
      expect(await client.getPrompt({ name: 'everything__args-prompt', arguments: args })).toEqual(
        await perServer.everything.getPrompt({ name: 'args-prompt', arguments: args }),
      );

      const argument = { name: 'department', value: 'E' };
      const completed = await client.complete({ ref: { type: 'ref/prompt', name: 'everything__completable-prompt' }, argument });
      expect(completed).toEqual(await perServer.everything.complete({ ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument }));
      expect(completed.completion.values.length).toBeGreaterThan(0);

      const template = { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' } as const;
      const resourceArgument = { name: 'resourceId', value: '1' };
      expect(await client.complete({ ref: template, argument: resourceArgument })).toEqual(
        await perServer.everything.complete({ ref: template, argument: resourceArgument }),
      );
    });

    it('answers an unknown tool or prompt with a JSON-RPC error naming it', async () => {
      const unknown = await errorOf(client.callTool({ name: 'nowhere__nothing', arguments: {} }));
      expect(unknown).toMatchObject({ code: INVALID_PARAMS, message: expect.stringContaining('nowhere__nothing') as unknown });
      // A server's own name for a tool is not a name of the aggregate.
      const bare = await errorOf(client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }));
      expect(bare).toMatchObject({ code: INVALID_PARAMS, message: expect.stringContaining('add') as unknown });
      const prompt = await errorOf(client.getPrompt({ name: 'example__nothing' }));
      expect(prompt).toMatchObject({ code: INVALID_PARAMS, message: expect.stringContaining('example__nothing') as unknown });
      // The session is still fine.
      expect((await client.callTool({ name: 'example__add', arguments: { a: 1, b: 1 } })).structuredContent).toEqual({ sum: 2 });
    });
  });
});

describe('aggregated names: the same tool on two servers, another separator, names that must change', () => {
  const LONG = 'an-unusually-long-server-name-that-fills-most-of-the-limit';
  const config: ConfigFile = {
    mcpServers: {
      alpha: exampleServer(),
      beta: exampleServer(),
      one: manyToolsServer(2, 'one'),
      two: manyToolsServer(2, 'two'),
      'my.server': manyToolsServer(1, 'dotted'),
      [LONG]: manyToolsServer(1, 'long'),
    },
    orch: { namespaceSeparator: '.' },
  };
  let harness: Harness;
  const clients = {} as Record<TransportKind, Client>;
  const changes = {} as Record<TransportKind, ListChangeRecorder>;

  beforeAll(async () => {
    harness = await startHarness(config.mcpServers, { orch: config.orch });
    await harness.runtime.registry.settled();
    for (const kind of TRANSPORT_KINDS) {
      clients[kind] = await harness.connectAggregate(kind);
      changes[kind] = recordListChanges(clients[kind], kind);
    }
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  it.each(TRANSPORT_KINDS)('with separator "." names tools <server>.<tool> and calls each copy separately (%s)', async (kind) => {
    const client = clients[kind];
    const names = (await rawTools(client)).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['alpha.add', 'alpha.echo', 'beta.add', 'beta.echo', 'one.tool_0', 'two.tool_0']));
    expect(names.some((name) => name.includes('__'))).toBe(false);

    expect((await client.callTool({ name: 'alpha.add', arguments: { a: 1, b: 2 } })).structuredContent).toEqual({ sum: 3 });
    expect((await client.callTool({ name: 'beta.add', arguments: { a: 3, b: 4 } })).structuredContent).toEqual({ sum: 7 });
    const pids = pidsOf(harness.runtime);
    expect(await askFixture(client, 'one.tool_0')).toEqual({ tool: 'tool_0', pid: pids.one, label: 'one' });
    expect(await askFixture(client, 'two.tool_1')).toEqual({ tool: 'tool_1', pid: pids.two, label: 'two' });
  });

  it.each(TRANSPORT_KINDS)('shortens a name over 64 characters with a stable hash suffix, and it still routes (%s)', async (kind) => {
    const client = clients[kind];
    const names = (await rawTools(client)).map((tool) => tool.name);
    const long = names.filter((name) => name.startsWith(LONG.slice(0, 20)));
    expect(long).toHaveLength(1);
    expect(long[0]!.length).toBeLessThanOrEqual(64);
    expect(long[0]).toMatch(/^[A-Za-z0-9_.-]+_[0-9a-f]{6,}$/);
    expect((await askFixture(client, long[0]!)).label).toBe('long');
    // Stable: the same name on every listing, and the same for the other transport.
    expect((await rawTools(clients.streamable)).map((tool) => tool.name)).toContain(long[0]);
  });

  it('switches every name to the new separator when the config file changes it, and tells every client', async () => {
    const seen = { streamable: changes.streamable.count('tools'), sse: changes.sse.count('tools') };
    const result = await rewriteConfig(harness.runtime, { ...config, orch: { namespaceSeparator: '__' } });
    expect(result).toMatchObject({ ok: true, diff: { orch: ['namespaceSeparator'] } });
    for (const kind of TRANSPORT_KINDS) {
      await changes[kind].after('tools', seen[kind]);
      const client = clients[kind];
      const names = (await rawTools(client)).map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['alpha__add', 'beta__add', 'one__tool_0', 'two__tool_0']));
      for (const name of names) expect(name, kind).toMatch(PORTABLE_NAME);
      expect((await client.callTool({ name: 'beta__add', arguments: { a: 5, b: 5 } })).structuredContent).toEqual({ sum: 10 });
      expect(await errorOf(client.callTool({ name: 'alpha.add', arguments: { a: 1, b: 2 } }))).toMatchObject({ code: INVALID_PARAMS });

      // "my.server" has a character tool names may not carry: sanitised, with a hash suffix.
      const dotted = names.filter((name) => name.startsWith('my_server__tool_0'));
      expect(dotted).toHaveLength(1);
      expect(dotted[0]).toMatch(/^my_server__tool_0_[0-9a-f]{6,}$/);
      expect((await askFixture(client, dotted[0]!)).label).toBe('dotted');
    }
  });
});

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
    harness = await startHarness(config.mcpServers);
    await harness.runtime.registry.settled();
    for (const kind of TRANSPORT_KINDS) {
      aggregate[kind] = await harness.connectAggregate(kind);
      aggregateChanges[kind] = recordListChanges(aggregate[kind], `aggregate over ${kind}`);
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
    harness = await startHarness(config.mcpServers);
    await harness.runtime.registry.settled();
    for (const kind of TRANSPORT_KINDS) {
      aggregate[kind] = await harness.connectAggregate(kind);
      changes[kind] = recordListChanges(aggregate[kind], `aggregate over ${kind}`);
      logs[kind] = recordLogMessages(aggregate[kind], `aggregate over ${kind}`);
    }
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
