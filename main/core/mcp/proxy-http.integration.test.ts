/**
 * The MCP endpoints at the HTTP level (docs/specification.md §3), driven with raw requests: the answers clients and
 * browsers see for requests an SDK client would never send, DNS-rebinding protection, body limits,
 * and how a Streamable HTTP POST is answered (plain JSON, or SSE with a priming event). Dropped
 * connections and resumption: proxy-http-resume; reused ids and legacy SSE: proxy-http-legacy.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseSse, rawHttp } from '../__fixtures__/proxy-test-kit.js';
import { ACCEPT_BOTH, MAX_BODY_BYTES, initializeRequest, probeDaemon, rpcError, toolCall } from './__fixtures__/raw-mcp.js';

const probe = probeDaemon();
const { post, openSession } = probe;

describe('Streamable HTTP endpoint, raw', () => {
  it('answers a non-initialize request without a session id with 400 and JSON-RPC -32000, so clients fall back to initialize', async () => {
    const response = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(response.status).toBe(400);
    const body = await rpcError(response);
    expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
  });

  it('answers an unknown session id with 404, on POST, GET and DELETE', async () => {
    const unknown = { 'mcp-session-id': randomUUID() };
    const response = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, unknown);
    expect(response.status).toBe(404);
    expect((await rpcError(response)).error.message).toMatch(/session not found/i);
    for (const method of ['GET', 'DELETE']) {
      const other = await fetch(probe.harness.url('/mcp/probe'), { method, headers: { ...unknown, accept: 'text/event-stream' } });
      expect(other.status, method).toBe(404);
      await other.text();
    }
  });

  it('answers a session of another endpoint with 404: the URL decides the server', async () => {
    const headers = await openSession();
    const elsewhere = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, headers, '/mcp');
    expect(elsewhere.status).toBe(404);
    await elsewhere.text();
    const stream = await fetch(probe.harness.url('/mcp'), { headers: { accept: 'text/event-stream', ...headers } });
    expect(stream.status).toBe(404);
    await stream.text();
    const own = await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, headers);
    expect(own.status).toBe(200);
    await own.text();
  });

  it('answers an unknown server with 404 and JSON naming the known servers', async () => {
    for (const path of ['/mcp/nope', '/sse/nope', '/messages/nope?sessionId=x']) {
      const response = await fetch(probe.harness.url(path), {
        method: path.startsWith('/sse') ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH },
        ...(path.startsWith('/sse') ? {} : { body: JSON.stringify(initializeRequest('2025-11-25')) }),
      });
      expect(response.status, path).toBe(404);
      const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
      expect(body.error).toMatchObject({ code: 'unknown_server', details: { known: ['probe'] } });
      expect(body.error.message).toContain('"nope"');
      expect(body.error.message).toContain('probe');
    }
  });

  it('refuses a foreign or opaque Origin with 403 and accepts a loopback one', async () => {
    const foreign = await post(initializeRequest('2025-11-25'), { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    await foreign.text();
    const opaque = await post(initializeRequest('2025-11-25'), { origin: 'null' });
    expect(opaque.status).toBe(403);
    await opaque.text();
    const loopback = await post(initializeRequest('2025-11-25'), { origin: 'http://localhost:5173' });
    expect(loopback.status).toBe(200);
    await loopback.text();
  });

  it('refuses a foreign Host header with 403 (DNS rebinding) and accepts localhost', async () => {
    const body = JSON.stringify(initializeRequest('2025-11-25'));
    const headers = { 'content-type': 'application/json', accept: ACCEPT_BOTH };
    const foreign = await rawHttp(probe.harness.url('/mcp/probe'), { method: 'POST', headers: { ...headers, host: 'evil.example' }, body });
    expect(foreign.status).toBe(403);
    const local = await rawHttp(probe.harness.url('/mcp/probe'), {
      method: 'POST',
      headers: { ...headers, host: `localhost:${probe.harness.runtime.port}` },
      body,
    });
    expect(local.status).toBe(200);
  });

  it('refuses a request with an unsupported MCP-Protocol-Version header with 400', async () => {
    const headers = await openSession();
    const response = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { ...headers, 'mcp-protocol-version': '1999-01-01' });
    expect(response.status).toBe(400);
    expect((await rpcError(response)).error.message).toMatch(/protocol version/i);
  });

  it('answers malformed JSON with 400 and JSON-RPC -32700, and keeps serving', async () => {
    const headers = await openSession();
    const malformed = await post('{"jsonrpc": "2.0", "id": 1, "method": ', headers);
    expect(malformed.status).toBe(400);
    expect((await rpcError(malformed)).error.code).toBe(-32700);

    const sessionless = await post('not json at all');
    expect(sessionless.status).toBe(400);
    expect((await rpcError(sessionless)).error.code).toBe(-32700);

    const after = await post(toolCall(2, 'pid', {}), headers);
    expect(after.status).toBe(200);
    const afterText = await after.text();
    expect(after.headers.get('content-type'), afterText).toMatch(/^application\/json/);
    expect((JSON.parse(afterText) as { result: { structuredContent: { pid: number } } }).result.structuredContent.pid).toBe(
      probe.harness.runtime.supervisor.get('probe')!.status().pid,
    );
  });

  it('answers a JSON value that is not JSON-RPC with 400 and JSON-RPC -32600', async () => {
    const headers = await openSession();
    for (const body of [{ hello: 'world' }, { jsonrpc: '1.0', id: 1, method: 'tools/list' }, [], 42]) {
      const response = await post(body, headers);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await rpcError(response)).error.code, JSON.stringify(body)).toBe(-32600);
    }
  });

  it('closes a session on DELETE: the next POST gets 404', async () => {
    const headers = await openSession();
    const deleted = await fetch(probe.harness.url('/mcp/probe'), { method: 'DELETE', headers });
    expect(deleted.status).toBe(200);
    const after = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers);
    expect(after.status).toBe(404);
    await after.text();
  });

  it('refuses a body over 4 MiB with 413, declared or streamed, and keeps serving', async () => {
    const headers = await openSession();
    const padding = 'x'.repeat(MAX_BODY_BYTES);
    const oversized = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { padding } });

    const declared = await post(oversized, headers);
    expect(declared.status).toBe(413);
    await declared.text();

    // Without a content-length the limit must hold while reading.
    const encoded = new TextEncoder().encode(oversized);
    const chunk = 64 * 1024;
    let offset = 0;
    const streamed = await fetch(probe.harness.url('/mcp/probe'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
      duplex: 'half',
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= encoded.length) return controller.close();
          controller.enqueue(encoded.subarray(offset, (offset += chunk)));
        },
      }),
    });
    expect(streamed.status).toBe(413);
    await streamed.text();

    const after = await post(toolCall(2, 'pid', {}), headers);
    expect(after.status).toBe(200);
    await after.text();
  });

  it('lets go of a request whose client hangs up in the middle of the body, and keeps serving', async () => {
    const headers = await openSession();
    const target = new URL(probe.harness.url('/mcp/probe'));
    const socket = connect(Number(target.port), target.hostname);
    await once(socket, 'connect');
    const head = [
      `POST ${target.pathname}${target.search} HTTP/1.1`,
      `Host: ${target.host}`,
      'Content-Type: application/json',
      `Accept: ${ACCEPT_BOTH}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'Content-Length: 1000',
    ].join('\r\n');
    // Hang up once the daemon has the request: its head read, its body still to come.
    const arrived = once(probe.harness.runtime.http, 'request');
    socket.write(`${head}\r\n\r\n{"jsonrpc":"2.0","id":1,`);
    await arrived;
    socket.destroy();

    const after = await post(toolCall(2, 'pid', {}), headers);
    expect(after.status).toBe(200);
    await after.text();
  });

  it('serves a request whose target is in absolute form (`POST http://host/mcp/<server>`)', async () => {
    const target = new URL(probe.harness.url('/mcp/probe'));
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: target.href,
          headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(initializeRequest('2025-11-25')));
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain('"protocolVersion"');
  });

  it('answers a quick tool call as application/json, not SSE', async () => {
    const headers = await openSession();
    const response = await post(toolCall(7, 'count', { label: 'quick', steps: 1 }), headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'quick' }] } });
  });

  it('streams a call that reports progress as text/event-stream, opened by a priming event (protocol 2025-11-25)', async () => {
    const headers = await openSession('2025-11-25');
    const response = await post(toolCall(8, 'count', { label: 'slow', steps: 2 }, 'my-token'), headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await response.text());

    const [priming, ...rest] = events;
    expect(priming).toEqual({ id: expect.stringMatching(/\S/) as unknown, retry: expect.stringMatching(/^\d+$/) as unknown, data: '' });
    expect(rest.map((event) => JSON.parse(event.data) as unknown)).toEqual([
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'my-token', progress: 1, total: 2, message: 'slow#1' } },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'my-token', progress: 2, total: 2, message: 'slow#2' } },
      { jsonrpc: '2.0', id: 8, result: { content: [{ type: 'text', text: 'slow' }] } },
    ]);
    for (const event of rest) expect(event.id).toMatch(/\S/);
  });

  it('answers a client that accepts only JSON with the result as JSON, even for a call that reports progress', async () => {
    const headers = await openSession();
    const response = await post(toolCall(10, 'count', { label: 'json-only', steps: 3 }, 'json-token'), {
      ...headers,
      accept: 'application/json',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 10, result: { content: [{ type: 'text', text: 'json-only' }] } });
  });

  it('sends no priming event to a session of an older protocol version (2025-03-26)', async () => {
    const headers = await openSession('2025-03-26');
    const response = await post(toolCall(9, 'count', { label: 'old', steps: 1 }, 'old-token'), headers);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await response.text());
    expect(events.map((event) => JSON.parse(event.data) as unknown)).toEqual([
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'old-token', progress: 1, total: 1, message: 'old#1' } },
      { jsonrpc: '2.0', id: 9, result: { content: [{ type: 'text', text: 'old' }] } },
    ]);
  });
});
