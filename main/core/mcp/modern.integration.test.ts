/**
 * MCP 2026-07-28 on the same URLs as 2025: the SDK v2 client (`@modelcontextprotocol/client`),
 * negotiating by itself, against a real daemon with a real v1 stdio server behind it, on a
 * server's endpoint and on the aggregate; then the wire rules with raw requests, and a key
 * restricted by tool patterns, which sees and calls nothing more on 2026 than on 2025.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_HEADERS, exampleServer, fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { localPrincipal } from '../auth/roles.js';
import { frames } from '../__fixtures__/sse-frames.js';

const FIXTURE = new URL('./__fixtures__/conformance-server.mjs', import.meta.url).pathname;
const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

let harness: Harness;
const clients: Client[] = [];

beforeAll(async () => {
  harness = await startHarness({ conf: fixtureServer(FIXTURE, ['--stdio']), example: exampleServer() });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await harness?.dispose();
});

/** An SDK v2 client that probes with `server/discover` and speaks 2026-07-28 when the server does. */
async function modernClient(path: string, headers: Record<string, string> = AUTH_HEADERS): Promise<Client> {
  const client = new Client({ name: 'v2-client', version: '2.4.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(new URL(path, harness.runtime.url), { requestInit: { headers } }));
  clients.push(client);
  expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
  return client;
}

/** A raw 2026 POST: `meta` and `headers` replace the well-formed ones where given. */
function post(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  const method = String(body.method);
  return fetch(harness.url(path), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', ...body, params: { _meta: META, ...(body.params as object | undefined) } }),
  });
}

describe('a 2026-07-28 client on the URLs 2025 clients use', () => {
  it("negotiates 2026-07-28 on a server's endpoint, lists its tools and calls one", async () => {
    const client = await modernClient('/mcp/conf');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('test_simple_text');
    const result = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'This is a simple text response for testing.' }]);
  });

  it('gets the progress of a call on its own stream, then the result', async () => {
    const client = await modernClient('/mcp/conf');
    const progress: number[] = [];
    const result = await client.callTool(
      { name: 'test_tool_with_progress', arguments: {} },
      { onprogress: (notification) => progress.push(notification.progress) },
    );
    expect(progress).toEqual([0, 50, 100]);
    expect(result.isError).toBeFalsy();
  });

  it('serves the aggregate: namespaced tools of every server, calls routed to their owner', async () => {
    const client = await modernClient('/mcp');
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['conf__test_simple_text', 'example__echo']));
    expect(await client.callTool({ name: 'example__echo', arguments: { text: 'both eras' } })).toMatchObject({
      content: [{ text: 'both eras' }],
    });
  });
});

describe('the 2026-07-28 wire, raw', () => {
  it('answers discover with the versions, the capabilities and the server, cacheable per key', async () => {
    const response = await post('/mcp/conf', { id: 'd1', method: 'server/discover' });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(await response.json()).toMatchObject({
      id: 'd1',
      result: {
        resultType: 'complete',
        supportedVersions: ['2026-07-28'],
        capabilities: { tools: {} },
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'mcp-orch-conformance-fixture' } },
        ttlMs: 0,
        cacheScope: 'private',
      },
    });
  });

  it('puts resultType first on every result, and cache hints on lists', async () => {
    const response = await post('/mcp/conf', { id: 2, method: 'tools/list' });
    const text = await response.text();
    expect(text.startsWith('{"jsonrpc":"2.0","id":2,"result":{"resultType":"complete","ttlMs":0,"cacheScope":"private",')).toBe(true);
  });

  it('refuses a broken request with the status and code the spec gives, echoing its id', async () => {
    const cases: [Promise<Response>, number, number][] = [
      [post('/mcp/conf', { id: 3, method: 'tools/list' }, { 'mcp-method': 'prompts/list' }), 400, -32020],
      [post('/mcp/conf', { id: 4, method: 'tools/call', params: { name: 'test_simple_text' } }), 400, -32020],
      [post('/mcp/conf', { id: 5, method: 'tools/list' }, { 'mcp-protocol-version': '2025-11-25' }), 400, -32020],
      [post('/mcp/conf', { id: 6, method: 'ping' }), 404, -32601],
      [post('/mcp', { id: 7, method: 'initialize' }), 404, -32601],
      [post('/mcp/conf', { id: 8, method: 'unknown/method' }), 404, -32601],
    ];
    for (const [pending, status, code] of cases) {
      const response = await pending;
      const body = (await response.json()) as { id: unknown; error: { code: number } };
      expect({ status: response.status, id: body.id, code: body.error.code }).toMatchObject({ status, code });
      expect(body.id).not.toBeNull();
    }
    const future = await fetch(harness.url('/mcp/conf'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'mcp-protocol-version': 'v999',
        'mcp-method': 'tools/list',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/list',
        params: { _meta: { ...META, 'io.modelcontextprotocol/protocolVersion': 'v999' } },
      }),
    });
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ id: 9, error: { code: -32022, data: { supported: ['2026-07-28'], requested: 'v999' } } });
  });

  it('still opens 2025 sessions on the same URL, and a stray session id does not make a 2026 request stateful', async () => {
    const legacy = await harness.connect('conf', 'streamable');
    expect((await legacy.listTools()).tools.length).toBeGreaterThan(0);
    const response = await post('/mcp/conf', { id: 10, method: 'tools/list' }, { 'mcp-session-id': 'not-a-session' });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    await response.text();
  });
});

describe('a key restricted by tool patterns, on 2026-07-28', () => {
  it('sees and calls only its tools, on a server and on the aggregate, as on 2025', async () => {
    const { token } = harness.runtime.tokens.createToken({ name: 'echo-only-2026', role: 'operator', allow: ['example__echo'] });
    const headers = { Authorization: `Bearer ${token}` };
    const perServer = await modernClient('/mcp/example', headers);
    expect((await perServer.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
    await expect(perServer.callTool({ name: 'add', arguments: { a: 1, b: 2 } })).rejects.toThrow(/not allowed|disabled/);

    const aggregate = await modernClient('/mcp', headers);
    expect((await aggregate.listTools()).tools.map((tool) => tool.name)).toEqual(['example__echo']);
    await expect(aggregate.callTool({ name: 'conf__test_simple_text', arguments: {} })).rejects.toThrow(/Unknown tool|not allowed/);
  });
});

describe('subscriptions/listen', () => {
  const listen = (path: string, notifications: Record<string, unknown>) =>
    post(path, { id: `listen-${path}`, method: 'subscriptions/listen', params: { notifications } });
  const toggle = (id: 'tools.disable' | 'tools.enable') =>
    harness.runtime.operations.dispatch(id, { server: 'example', tool: 'add' }, localPrincipal('cli'));

  it('acknowledges first, tells each listener the list changes it asked for and no other, and ends with its result', async () => {
    const tools = frames(await listen('/mcp/example', { toolsListChanged: true, promptsListChanged: false }));
    const aggregate = frames(await listen('/mcp', { toolsListChanged: true }));
    const promptsOnly = frames(await listen('/mcp/example', { promptsListChanged: true }));
    const subscriptionId = 'io.modelcontextprotocol/subscriptionId';
    expect(await tools.next()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: { notifications: { toolsListChanged: true }, _meta: { [subscriptionId]: 'listen-/mcp/example' } },
    });
    expect(await aggregate.next()).toMatchObject({ method: 'notifications/subscriptions/acknowledged' });
    expect(await promptsOnly.next()).toMatchObject({ params: { notifications: { promptsListChanged: true } } });

    expect(await toggle('tools.disable')).toMatchObject({ ok: true });
    try {
      expect(await tools.next()).toEqual({
        jsonrpc: '2.0',
        method: 'notifications/tools/list_changed',
        params: { _meta: { [subscriptionId]: 'listen-/mcp/example' } },
      });
      expect(await aggregate.next()).toMatchObject({
        method: 'notifications/tools/list_changed',
        params: { _meta: { [subscriptionId]: 'listen-/mcp' } },
      });
      // The prompts-only listener heard nothing of tools: the next thing it gets is the end of its stream.
      harness.runtime.endpoints.closeSessionsOf('example');
      expect(await promptsOnly.next()).toMatchObject({ id: 'listen-/mcp/example', result: { resultType: 'complete' } });
    } finally {
      await toggle('tools.enable');
      await Promise.all([tools.stop(), aggregate.stop()]);
    }
  });
});
