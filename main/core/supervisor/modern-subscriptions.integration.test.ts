/**
 * Resource subscriptions of 2025 clients on a server that speaks MCP 2026-07-28 only (the SDK v2's
 * own stdio server, which has no `resources/subscribe`): MCP Orch answers the subscribes and
 * carries every URI some session holds in its `subscriptions/listen`, replaced as the set changes
 * (the fixture says which listens it holds open); each update reaches the sessions subscribed to
 * it and nobody else, a key with tool patterns included; a restart opens the listen again with what
 * the sessions still hold. A 2026 client's own listen at MCP Orch is carried the same way.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_HEADERS, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { pollFor } from '../__fixtures__/wait.js';
import { frames } from '../__fixtures__/sse-frames.js';

const WATCHED = new URL('../mcp/__fixtures__/watched-server.mjs', import.meta.url).pathname;
const MODERN = new URL('../mcp/__fixtures__/modern-server.mjs', import.meta.url).pathname;

let harness: Harness;
let remote: ChildProcess | undefined;

beforeAll(async () => {
  // The same server over Streamable HTTP, which MCP Orch asks by default.
  remote = spawn(process.execPath, [WATCHED, '--http'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: remote.stdout! }), 'line')) as [string];
  harness = await startHarness({
    watched: fixtureServer(WATCHED, [], { protocol: 'auto' }),
    watchedRemote: { url: `${/listening on (\S+)/.exec(line)![1]}/mcp` },
    modern: fixtureServer(MODERN, [], { protocol: 'auto' }),
  });
});

afterAll(async () => {
  await harness?.dispose();
  remote?.kill();
});

const textOf = (result: unknown) => (result as { content: { text: string }[] }).content[0]!.text;

/** A 2025 SDK client on /mcp/<server> that records the `resources/updated` it is sent, in order. */
async function connect(server: string, headers: Record<string, string>, name: string) {
  const client = new Client({ name, version: '1.0.0' });
  const updates: string[] = [];
  const params: unknown[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
    updates.push(notification.params.uri);
    params.push(notification.params);
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(`/mcp/${server}`, harness.runtime.url), { requestInit: { headers } }));
  /** Resolves once `count` updates of `uri` came: anything sent to this session before them is in `updates` too. */
  const until = (uri: string, count: number) =>
    pollFor(`${name} to get ${count} update(s) of ${uri}`, () => updates.filter((one) => one === uri).length >= count);
  return { client, updates, params, until };
}

describe('resource subscriptions of 2025 clients on a 2026-07-28 server', () => {
  it.each(['watched', 'watchedRemote'])(
    'are carried in one listen, replaced as the set changes; each update reaches its subscribers alone (%s)',
    async (server) => {
      const control = await harness.connect(server, 'streamable', undefined, 'control');
      const listens = async () => JSON.parse(textOf(await control.callTool({ name: 'listens', arguments: {} }))) as string[][];
      // Over HTTP the server hears of a listen, and of its end, on a connection of its own: waited for.
      const untilListens = (expected: string[][]) =>
        pollFor(
          `the open listens to be ${JSON.stringify(expected)}`,
          async () => JSON.stringify(await listens()) === JSON.stringify(expected),
        );
      const touch = (uri: string) => control.callTool({ name: 'touch', arguments: { uri } });
      expect(harness.runtime.supervisor.get(server)?.initializeResult?.protocolVersion).toBe('2026-07-28');
      // Before any subscription: the listen for the list changes the server announces, no URI.
      await untilListens([[]]);

      const { token } = harness.runtime.tokens.createToken({
        name: `listens-only-${server}`,
        role: 'operator',
        allow: [`${server}__listens`],
      });
      const a = await connect(server, AUTH_HEADERS, 'a');
      const b = await connect(server, { Authorization: `Bearer ${token}` }, 'b');
      const c = await connect(server, AUTH_HEADERS, 'c');
      // The key with a tool pattern still sees and calls only its tool.
      expect((await b.client.listTools()).tools.map((tool) => tool.name)).toEqual(['listens']);
      await expect(b.client.callTool({ name: 'touch', arguments: { uri: 'note://b' } })).rejects.toThrow(/not allowed for this key/);

      // note://d is every session's marker: each gets its updates in order, so once it has d's,
      // anything else the round sent it is already there.
      for (const [session, uris] of [
        [a, ['note://a', 'note://d']],
        [b, ['note://b', 'note://d']],
        [c, ['note://c', 'note://d']],
      ] as const) {
        for (const uri of uris) expect(await session.client.subscribeResource({ uri })).toEqual({});
      }
      // Each subscribe is answered once the listen carrying it is sent; the old one is cancelled.
      await untilListens([['note://a', 'note://b', 'note://c', 'note://d']]);

      for (const uri of ['note://a', 'note://b', 'note://c', 'note://d']) await touch(uri);
      await Promise.all([a.until('note://d', 1), b.until('note://d', 1), c.until('note://d', 1)]);
      expect(a.updates).toEqual(['note://a', 'note://d']);
      expect(b.updates).toEqual(['note://b', 'note://d']);
      expect(c.updates).toEqual(['note://c', 'note://d']);
      // As from a 2025 server: the listen's subscription id is not passed on.
      expect(a.params[0]).toEqual({ uri: 'note://a' });
      expect((await a.client.readResource({ uri: 'note://a' })).contents).toEqual([{ uri: 'note://a', text: 'a v2' }]);

      // The last subscriber of a URI leaves it: the listen no longer carries it, nobody hears of it.
      expect(await a.client.unsubscribeResource({ uri: 'note://a' })).toEqual({});
      await untilListens([['note://b', 'note://c', 'note://d']]);
      await touch('note://a');
      await touch('note://d');
      await a.until('note://d', 2);
      expect(a.updates).toEqual(['note://a', 'note://d', 'note://d']);

      // A session that ends takes its subscriptions with it.
      await (c.client.transport as StreamableHTTPClientTransport).terminateSession();
      await c.client.close();
      await untilListens([['note://b', 'note://d']]);

      // A restarted server is listened to again with what the sessions still hold.
      const watched = harness.runtime.supervisor.get(server)!;
      await watched.restart();
      expect(watched.state).toBe('running');
      await untilListens([['note://b', 'note://d']]);
      await touch('note://b');
      await touch('note://d');
      await Promise.all([a.until('note://d', 3), b.until('note://d', 3)]);
      expect(a.updates).toEqual(['note://a', 'note://d', 'note://d', 'note://d']);
      expect(b.updates).toEqual(['note://b', 'note://d', 'note://d', 'note://b', 'note://d']);
      await Promise.all([a.client.close(), b.client.close()]);
    },
  );

  it("carries a 2026 client's resourceSubscriptions, from its listen at MCP Orch, the same way", async () => {
    const control = await harness.connect('watched', 'streamable', undefined, 'control-2026');
    const listens = async () => textOf(await control.callTool({ name: 'listens', arguments: {} }));
    const response = await fetch(harness.url('/mcp/watched'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'subscriptions/listen',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'mine',
        method: 'subscriptions/listen',
        params: {
          notifications: { resourceSubscriptions: ['note://c'] },
          _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} },
        },
      }),
    });
    const stream = frames(response);
    const tagged = { _meta: { 'io.modelcontextprotocol/subscriptionId': 'mine' } };
    expect(await stream.next()).toMatchObject({ method: 'notifications/subscriptions/acknowledged', params: tagged });
    try {
      // The listener's session subscribes upstream after the acknowledgement.
      await pollFor('the listen carrying note://c', async () => (await listens()).includes('note://c'));
      await control.callTool({ name: 'touch', arguments: { uri: 'note://c' } });
      expect(await stream.next()).toEqual({
        jsonrpc: '2.0',
        method: 'notifications/resources/updated',
        params: { uri: 'note://c', ...tagged },
      });
    } finally {
      await stream.stop();
    }
    await pollFor('the listen without note://c', async () => !(await listens()).includes('note://c'));
  });

  it('refuses a subscribe, with the reason, when the server does not offer subscriptions', async () => {
    const client = await harness.connect('modern', 'streamable');
    await expect(client.subscribeResource({ uri: 'note://a' })).rejects.toThrow(/does not offer resource subscriptions/);
    await expect(client.unsubscribeResource({ uri: 'note://a' })).rejects.toThrow(/does not offer resource subscriptions/);
  });
});
