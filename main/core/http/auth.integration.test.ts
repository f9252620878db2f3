/**
 * Authentication and authorisation on the MCP endpoints (docs/specification.md §7): no token, a wrong token or a
 * foreign Origin/Host is refused everywhere; a key sees and calls only the tools it may, through
 * every path; a session belongs to the key that opened it; a key over its rate gets 429.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_HEADERS,
  TRANSPORT_KINDS,
  exampleServer,
  startHarness,
  type Harness,
  type TransportKind,
} from '../__fixtures__/runtime-harness.js';
import { rawHttp } from '../__fixtures__/proxy-test-kit.js';
import { buildPath, pathParamNames } from '../../../shared/api/contract.js';
import { operationList } from '../../../shared/api/operations.js';
import { join } from 'node:path';
import { TokenService } from '../auth/token-service.js';
import { Store } from '../store/store.js';
import { pollFor } from '../__fixtures__/wait.js';

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'auth-test', version: '1' } },
});
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('authentication on every endpoint', () => {
  let harness: Harness;
  const clients: Client[] = [];

  beforeAll(async () => {
    harness = await startHarness({ example: exampleServer(), second: exampleServer() });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await harness.dispose();
  });

  async function connectWith(token: string, path: string, kind: TransportKind): Promise<Client> {
    const client = new Client({ name: 'keyed', version: '1' });
    const headers = { Authorization: `Bearer ${token}` };
    const url = harness.bareUrl(path);
    await client.connect(
      kind === 'streamable'
        ? new StreamableHTTPClientTransport(url, { requestInit: { headers } })
        : new SSEClientTransport(url, { requestInit: { headers } }),
    );
    clients.push(client);
    return client;
  }

  const ENDPOINTS: [string, string, string | undefined][] = [
    ['POST', '/mcp/example', INIT],
    ['GET', '/sse/example', undefined],
    ['POST', '/messages/example?sessionId=x', '{}'],
    ['POST', '/mcp', INIT],
    ['GET', '/sse', undefined],
    ['GET', '/mcp/unknown-server', undefined],
  ];

  it.each(ENDPOINTS)('%s %s without a token → 401 telling how to get one', async (method, path, body) => {
    const response = await rawHttp(harness.bareUrl(path), { method, headers: MCP_HEADERS, ...(body ? { body } : {}) });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="mcp-orch"/);
    expect(JSON.parse(response.text)).toMatchObject({
      error: { code: 'unauthorized', message: expect.stringContaining('mcp-orch token create') as unknown },
    });
  });

  it.each(ENDPOINTS)('%s %s with a wrong token → 401', async (method, path, body) => {
    const response = await rawHttp(harness.bareUrl(path), {
      method,
      headers: { ...MCP_HEADERS, authorization: 'Bearer mo_nottherightoneatallxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      ...(body ? { body } : {}),
    });
    expect(response.status).toBe(401);
  });

  it.each(ENDPOINTS)('%s %s with a foreign Origin or Host → 403, token or not', async (method, path, body) => {
    const withOrigin = await rawHttp(harness.url(path), {
      method,
      headers: { ...MCP_HEADERS, origin: 'https://evil.example' },
      ...(body ? { body } : {}),
    });
    expect(withOrigin.status).toBe(403);
    const withHost = await rawHttp(harness.url(path), {
      method,
      headers: { ...MCP_HEADERS, host: 'evil.example' },
      ...(body ? { body } : {}),
    });
    expect(withHost.status).toBe(403);
  });

  it.each(operationList.map((operation) => [operation.id, operation] as const))(
    'API %s: a foreign Origin or Host → 403, with a valid token',
    async (_id, operation) => {
      const params = Object.fromEntries(pathParamNames(operation.path).map((name) => [name, 'example']));
      const path = buildPath(operation, params);
      const body = operation.method === 'GET' || operation.method === 'DELETE' ? undefined : '{}';
      const headers = { 'content-type': 'application/json', ...AUTH_HEADERS };
      const withOrigin = await rawHttp(harness.bareUrl(path), {
        method: operation.method,
        headers: { ...headers, origin: 'http://evil.example' },
        ...(body ? { body } : {}),
      });
      expect(withOrigin.status).toBe(403);
      const withHost = await rawHttp(harness.bareUrl(path), {
        method: operation.method,
        headers: { ...headers, host: 'evil.example:80' },
        ...(body ? { body } : {}),
      });
      expect(withHost.status).toBe(403);
    },
  );

  it('refuses a token sent both as a header and in the URL', async () => {
    const response = await rawHttp(harness.url('/mcp/example'), {
      method: 'POST',
      headers: { ...MCP_HEADERS, ...AUTH_HEADERS },
      body: INIT,
    });
    expect(response.status).toBe(400);
  });

  it.each(TRANSPORT_KINDS)('a key restricted to example__echo sees and calls only echo (%s, per-server and aggregate)', async (kind) => {
    const { token } = harness.runtime.tokens.createToken({ name: `echo-only-${kind}`, role: 'operator', allow: ['example__echo'] });
    const perServer = await connectWith(token, kind === 'streamable' ? '/mcp/example' : '/sse/example', kind);
    expect((await perServer.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
    expect(await perServer.callTool({ name: 'echo', arguments: { text: 'hi' } })).toMatchObject({ content: [{ text: 'hi' }] });
    await expect(perServer.callTool({ name: 'add', arguments: { a: 1, b: 2 } })).rejects.toThrow(/not allowed|disabled/);

    const aggregate = await connectWith(token, kind === 'streamable' ? '/mcp' : '/sse', kind);
    expect((await aggregate.listTools()).tools.map((tool) => tool.name)).toEqual(['example__echo']);
    await expect(aggregate.callTool({ name: 'second__echo', arguments: { text: 'x' } })).rejects.toThrow(/Unknown tool/);

    const other = await connectWith(token, kind === 'streamable' ? '/mcp/second' : '/sse/second', kind);
    expect((await other.listTools()).tools).toEqual([]);

    harness.runtime.store.audit.flush();
    const denied = harness.runtime.store.audit.list({ keyName: `echo-only-${kind}`, outcome: 'denied' }).items;
    expect(denied.map((entry) => entry.target).sort()).toEqual(['example__add', 'second__echo']);
  });

  it('a viewer key sees no tools: it may read, not run', async () => {
    const { token } = harness.runtime.tokens.createToken({ name: 'watcher', role: 'viewer' });
    const client = await connectWith(token, '/mcp/example', 'streamable');
    expect((await client.listTools()).tools).toEqual([]);
    expect((await client.listResources()).resources.length).toBeGreaterThan(0);
  });

  it('a session answers only the key that opened it', async () => {
    const { token: first } = harness.runtime.tokens.createToken({ name: 'first-key', role: 'operator' });
    const { token: second } = harness.runtime.tokens.createToken({ name: 'second-key', role: 'operator' });
    const opened = await rawHttp(harness.bareUrl('/mcp/example'), {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${first}` },
      body: INIT,
    });
    expect(opened.status).toBe(200);
    const sessionId = opened.headers['mcp-session-id'] as string;
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
    const stolen = await rawHttp(harness.bareUrl('/mcp/example'), {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${second}`, 'mcp-session-id': sessionId },
      body: ping,
    });
    expect(stolen.status).toBe(404);
    const own = await rawHttp(harness.bareUrl('/mcp/example'), {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${first}`, 'mcp-session-id': sessionId },
      body: ping,
    });
    expect(own.status).toBe(200);
  });

  it('a key over its rate gets 429 with Retry-After', async () => {
    const { token } = harness.runtime.tokens.createToken({ name: 'slow-key', role: 'operator', rateLimitPerMinute: 2 });
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let i = 0; i < 3; i++) {
      const response = await rawHttp(harness.bareUrl('/mcp/example'), {
        method: 'POST',
        headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
        body: INIT,
      });
      statuses.push(response.status);
      retryAfter = response.headers['retry-after'];
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('revoking a key closes its open SSE session and refuses it from then on', async () => {
    const created = harness.runtime.tokens.createToken({ name: 'short-lived', role: 'operator' });
    const client = await connectWith(created.token, '/sse/example', 'sse');
    expect(await client.callTool({ name: 'echo', arguments: { text: 'before' } })).toMatchObject({ content: [{ text: 'before' }] });
    const open = harness.runtime.endpoints.sessionCounts().sse;
    harness.runtime.tokens.revoke('short-lived');
    // The server ends the key's stream (the SDK's EventSource then retries, and is refused).
    await pollFor("the revoked key's SSE session to close", () =>
      harness.runtime.endpoints.sessionCounts().sse < open ? true : undefined,
    );
    await expect(client.callTool({ name: 'echo', arguments: { text: 'after' } })).rejects.toThrow();
    const refused = await rawHttp(harness.bareUrl('/sse/example'), {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${created.token}` },
    });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { message: expect.stringMatching(/revoked/) as unknown } });
  });

  it('a key revoked by another process (the CLI) is refused on its very next request', async () => {
    const created = harness.runtime.tokens.createToken({ name: 'revoked-elsewhere', role: 'operator' });
    const request = () =>
      rawHttp(harness.bareUrl('/mcp/example'), {
        method: 'POST',
        headers: { ...MCP_HEADERS, authorization: `Bearer ${created.token}` },
        body: INIT,
      });
    // The daemon has looked the key up (and remembers it) before the CLI revokes it.
    expect((await request()).status).toBe(200);
    expect((await request()).status).toBe(200);
    const cli = Store.open(join(harness.dir, 'mcp-orch.db'));
    try {
      new TokenService({ tokens: cli.tokens }).revoke('revoked-elsewhere');
    } finally {
      cli.close();
    }
    const refused = await request();
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { message: expect.stringMatching(/revoked/) as unknown } });
  });

  it('an expired key is refused', async () => {
    const created = harness.runtime.tokens.createToken({ name: 'expiring', role: 'operator', expiresInMs: 1 });
    await pollFor('the key to expire', () => (harness.runtime.tokens.get('expiring')?.status === 'expired' ? true : undefined));
    const response = await rawHttp(harness.bareUrl('/mcp/example'), {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${created.token}` },
      body: INIT,
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: { message: expect.stringMatching(/expired/) as unknown } });
  });

  it('a rotated key keeps working through its grace period, next to its replacement', async () => {
    const created = harness.runtime.tokens.createToken({ name: 'rotating', role: 'operator' });
    const rotated = harness.runtime.tokens.rotate('rotating', { graceMs: 60_000 });
    for (const token of [created.token, rotated.token]) {
      const response = await rawHttp(harness.bareUrl('/mcp/example'), {
        method: 'POST',
        headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
        body: INIT,
      });
      expect(response.status).toBe(200);
    }
  });
});
