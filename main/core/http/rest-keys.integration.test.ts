/**
 * API keys managed over the REST API, and what they then may do: the secret is shown once, a key
 * works on the MCP endpoints, a revoke ends its open SSE session, a rotation keeps both secrets
 * working through the grace period, a rate limit answers 429, and tool patterns hold on the
 * per-server endpoint, the aggregate and `POST /api/tools/.../call`. Everything lands in the audit log.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../../shared/api/operations.js';
import { exampleServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { callOperation, send } from './__fixtures__/rest-client.js';

let harness: Harness;
const clients: Client[] = [];

async function connect(token: string, path: string, kind: 'streamable' | 'sse'): Promise<Client> {
  const client = new Client({ name: 'api-keys-test', version: '1' });
  const requestInit = { headers: { authorization: `Bearer ${token}` } };
  const url = harness.bareUrl(path);
  await client.connect(
    kind === 'streamable' ? new StreamableHTTPClientTransport(url, { requestInit }) : new SSEClientTransport(url, { requestInit }),
  );
  clients.push(client);
  return client;
}

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});
const initialize = (token: string) =>
  send(
    harness.bareUrl('/mcp/example'),
    'POST',
    { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    INIT,
  );

async function createKey(input: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const response = await callOperation(harness, operations['tokens.create'], input);
  expect(response.status).toBe(201);
  const body = operations['tokens.create'].output.parse(response.body);
  return { id: body.token.id, secret: body.secret };
}

beforeAll(async () => {
  harness = await startHarness({ example: exampleServer(), second: exampleServer() });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await harness?.dispose();
});

describe('API keys over the API', () => {
  it('shows a new secret once; the list never does; the key works on /mcp/example', async () => {
    const key = await createKey({ name: 'lifecycle', role: 'operator' });
    expect(key.secret).toMatch(/^mo_[A-Za-z0-9_-]{43}$/);
    const list = await callOperation(harness, operations['tokens.list'], { all: true });
    expect(JSON.stringify(list.body)).not.toContain(key.secret);
    expect(JSON.stringify(list.body)).not.toContain(key.secret.slice(9));
    expect((list.body as { tokens: { id: string }[] }).tokens.map((token) => token.id)).toContain(key.id);
    expect((await initialize(key.secret)).status).toBe(200);
  });

  it('revoking a key refuses it (401) and ends its open SSE stream', async () => {
    const key = await createKey({ name: 'revoked-live', role: 'operator' });
    const response = await fetch(harness.bareUrl('/sse/example'), {
      headers: { authorization: `Bearer ${key.secret}`, accept: 'text/event-stream' },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: endpoint');
    const revoked = await callOperation(harness, operations['tokens.revoke'], { id: key.id });
    expect(revoked).toMatchObject({ status: 200, body: { revoked: [key.id] } });
    // The stream ends (a stream left open would hold this test until its timeout).
    for (;;) if ((await reader.read()).done) break;
    expect((await initialize(key.secret)).status).toBe(401);
  });

  it('rotating with a grace period keeps the old and the new secret working', async () => {
    const key = await createKey({ name: 'rotated', role: 'operator' });
    const response = await callOperation(harness, operations['tokens.rotate'], { id: key.id, graceMs: 60_000 });
    expect(response.status).toBe(201);
    const rotated = operations['tokens.rotate'].output.parse(response.body);
    expect(rotated.previous.replacedBy).toBe(rotated.token.id);
    for (const secret of [key.secret, rotated.secret]) expect((await initialize(secret)).status).toBe(200);
  });

  it('a key limited to 2 requests a minute gets 429 with Retry-After on the third', async () => {
    const key = await createKey({ name: 'limited', role: 'operator', rateLimitPerMinute: 2 });
    const responses = [await initialize(key.secret), await initialize(key.secret), await initialize(key.secret)];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 429]);
    expect(Number(responses[2]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a key allowed only example__echo sees and calls only echo, per server, in the aggregate and over the API', async () => {
    const key = await createKey({ name: 'echo-only', role: 'operator', allow: ['example__echo'] });
    const perServer = await connect(key.secret, '/mcp/example', 'streamable');
    expect((await perServer.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
    await expect(perServer.callTool({ name: 'add', arguments: { a: 1, b: 2 } })).rejects.toThrow(/not allowed|disabled/);
    const aggregate = await connect(key.secret, '/mcp', 'streamable');
    expect((await aggregate.listTools()).tools.map((tool) => tool.name)).toEqual(['example__echo']);
    await expect(aggregate.callTool({ name: 'example__add', arguments: { a: 1, b: 2 } })).rejects.toThrow();

    const call = (tool: string, args: Record<string, unknown>) =>
      callOperation(harness, operations['tools.call'], { server: 'example', tool, arguments: args }, key.secret);
    const refused = await call('add', { a: 1, b: 2 });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: expect.stringContaining('echo-only') as unknown } },
    });
    const allowed = await call('echo', { text: 'ok' });
    expect(allowed).toMatchObject({ status: 200, body: { result: { content: [{ type: 'text', text: 'ok' }] } } });
    const listed = await callOperation(harness, operations['tools.list'], {}, key.secret);
    expect((listed.body as { tools: { server: string; name: string }[] }).tools.map((tool) => `${tool.server}__${tool.name}`)).toEqual([
      'example__echo',
    ]);
  });

  it('the audit log holds every mutating call of these tests, and no secret', async () => {
    const response = await callOperation(harness, operations['audit.list'], { limit: 1000 });
    const page = operations['audit.list'].output.parse(response.body);
    const actions = page.items.map((entry) => `${entry.action} ${entry.outcome}${entry.target ? ` ${entry.target}` : ''}`);
    expect(actions.filter((line) => line.startsWith('tokens.create ok'))).toHaveLength(5);
    expect(actions).toContain('tokens.revoke ok revoked-live');
    expect(actions).toContain('tokens.rotate ok rotated');
    expect(actions).toContain('tools.call denied example__add');
    expect(actions).toContain('tools.call ok example__echo');
    expect(page.items.find((entry) => entry.action === 'tools.call' && entry.outcome === 'denied')).toMatchObject({ keyName: 'echo-only' });
    expect(JSON.stringify(page)).not.toMatch(/mo_[A-Za-z0-9_-]{43}/);
  });
});
