/**
 * Fault tests of the proxy: malformed JSON-RPC from a client (bad JSON, bad envelopes, huge ids)
 * gets the right HTTP status and JSON-RPC error, over Streamable HTTP and legacy SSE, and the
 * server keeps serving. A real daemon per test.
 */
import { describe, expect, it } from 'vitest';
import { TRANSPORT_KINDS } from '../__fixtures__/runtime-harness.js';
import { echo, faultServer, faultSuite, initializeBody, openRawSse, postJson, supervisorOf } from './__fixtures__/fault-kit.js';

const { start } = faultSuite();

describe('malformed JSON-RPC from a client', () => {
  const hugeId = 'x'.repeat(5 * 1024 * 1024);
  /** Each body, and the HTTP status and JSON-RPC error code it must get. */
  const cases: [string, string, number, number][] = [
    ['invalid JSON', '{"jsonrpc": "2.0", "id": 1, "method": ', 400, -32700],
    ['a JSON array of garbage', '[1, "two", null, {"no": "method"}]', 400, -32600],
    ['an empty batch', '[]', 400, -32600],
    ['a bare string', '"hello"', 400, -32600],
    ['the wrong jsonrpc version', '{"jsonrpc": "1.0", "id": 1, "method": "tools/list"}', 400, -32600],
    ['an object as id', '{"jsonrpc": "2.0", "id": {"a": 1}, "method": "tools/list"}', 400, -32600],
    ['params that are not an object', '{"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": "oops"}', 400, -32600],
    ['an empty method', '{"jsonrpc": "2.0", "id": 1, "method": ""}', 400, -32600],
    ['a huge string id', JSON.stringify({ jsonrpc: '2.0', id: hugeId, method: 'tools/list' }), 413, -32600],
  ];

  it('gets JSON-RPC errors with 4xx on both transports, and the daemon keeps serving real clients', async () => {
    const h = await start({ faulty: faultServer() });

    // Streamable HTTP, before a session exists.
    for (const [what, body, status, code] of cases) {
      const response = await postJson(h.url('/mcp/faulty'), body);
      expect({ what, status: response.status, body: response.body }).toMatchObject({
        what,
        status,
        body: { jsonrpc: '2.0', error: { code } },
      });
    }

    // Streamable HTTP, inside a session: garbage does not end it.
    const opened = await postJson(h.url('/mcp/faulty'), initializeBody(1));
    expect(opened.status).toBe(200);
    const sessionId = opened.sessionId;
    expect(sessionId).toBeTruthy();
    const inSession = { 'mcp-session-id': sessionId ?? '' };
    for (const [what, body, status, code] of cases) {
      const response = await postJson(h.url('/mcp/faulty'), body, inSession);
      expect({ what, status: response.status, body: response.body }).toMatchObject({
        what,
        status,
        body: { jsonrpc: '2.0', error: { code } },
      });
    }
    const listed = await postJson(h.url('/mcp/faulty'), JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), inSession);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ jsonrpc: '2.0', id: 2, result: { tools: expect.any(Array) as unknown } });

    // Legacy SSE: the messages endpoint of an open session.
    const sse = await openRawSse(h.url('/sse/faulty'));
    try {
      for (const [what, body, status, code] of cases) {
        const response = await postJson(h.url(sse.endpoint), body);
        expect({ what, status: response.status, body: response.body }).toMatchObject({
          what,
          status,
          body: { jsonrpc: '2.0', error: { code } },
        });
      }
    } finally {
      sse.close();
    }

    for (const kind of TRANSPORT_KINDS) {
      const client = await h.connect('faulty', kind);
      expect(await echo(client, `still fine over ${kind}`)).toBe(`still fine over ${kind}`);
    }
    expect(supervisorOf(h, 'faulty').state).toBe('running');
  });
});
