/**
 * The aggregated endpoint (docs/specification.md §3, §5): every enabled tool and prompt of every server under
 * `<server><sep><name>`, resources with their URIs kept, each call routed to the server that owns
 * it, and `list_changed` whenever the set changes. Real servers from npm and fixtures of ours behind
 * it; real SDK clients on `/mcp` and `/sse` in front of it. `list_changed`, notifications across
 * hot reload and 50 servers: aggregate-changes.integration.test.ts.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConfigFile } from '../../../shared/config.js';
import {
  INVALID_PARAMS,
  PORTABLE_NAME,
  askFixture,
  errorOf,
  manyToolsServer,
  pidsOf,
  rawPrompts,
  rawTools,
  recordListChanges,
  rewriteConfig,
  type ListChangeRecorder,
  type RawItem,
} from '../__fixtures__/aggregate-test-kit.js';
import { textOf } from '../__fixtures__/proxy-test-kit.js';
import {
  TRANSPORT_KINDS,
  everythingServer,
  exampleServer,
  memoryServer,
  startHarness,
  type Harness,
  type TransportKind,
} from '../__fixtures__/runtime-harness.js';
import { ORIGIN_META_KEY } from '../registry/aggregate-view.js';

/** Any result, exactly as sent. */
const RawResult = z.looseObject({});

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
