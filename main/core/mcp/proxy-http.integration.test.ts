/**
 * The MCP endpoints at the HTTP level (docs/specification.md §3), driven with raw requests: the answers clients and
 * browsers see for requests an SDK client would never send, DNS-rebinding protection, body limits,
 * and how a Streamable HTTP POST is answered (plain JSON, or SSE with a priming event).
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_SERVER_PATH, parseSse, rawHttp } from '../__fixtures__/proxy-test-kit.js';
import { fixtureServer, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { pollFor } from '../__fixtures__/wait.js';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const ACCEPT_BOTH = 'application/json, text/event-stream';

interface RpcErrorBody {
  jsonrpc: string;
  id: unknown;
  error: { code: number; message: string };
}

let harness: Harness;

beforeAll(async () => {
  // Whether a call is answered as JSON or as SSE must not depend on how fast this machine is: only
  // a call that streams something switches to SSE here; the timed switch has its own test below.
  harness = await startHarness({ probe: fixtureServer(PROBE_SERVER_PATH) }, { runtime: { streamAfterMs: 600_000 } });
});

afterAll(async () => {
  await harness?.dispose();
});

/** POSTs to `/mcp/probe`; a string body is sent as is, anything else as JSON. */
function post(body: unknown, headers: Record<string, string> = {}, path = '/mcp/probe'): Promise<Response> {
  return fetch(harness.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function initializeRequest(protocolVersion: string): unknown {
  return {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw-http-test', version: '1.0.0' } },
  };
}

/** A fully initialised Streamable HTTP session; returns the headers to send with it. */
async function openSession(protocolVersion = '2025-11-25'): Promise<Record<string, string>> {
  const response = await post(initializeRequest(protocolVersion));
  expect(response.status).toBe(200);
  await response.text();
  const sessionId = response.headers.get('mcp-session-id');
  expect(sessionId).toBeTruthy();
  const headers = { 'mcp-session-id': sessionId!, 'mcp-protocol-version': protocolVersion };
  const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  expect(initialized.status).toBe(202);
  return headers;
}

async function rpcError(response: Response): Promise<RpcErrorBody> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as RpcErrorBody;
}

function toolCall(id: number, name: string, args: Record<string, unknown>, progressToken?: string): unknown {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, ...(progressToken ? { _meta: { progressToken } } : {}) },
  };
}

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
      const other = await fetch(harness.url('/mcp/probe'), { method, headers: { ...unknown, accept: 'text/event-stream' } });
      expect(other.status, method).toBe(404);
      await other.text();
    }
  });

  it('answers a session of another endpoint with 404: the URL decides the server', async () => {
    const headers = await openSession();
    const elsewhere = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, headers, '/mcp');
    expect(elsewhere.status).toBe(404);
    await elsewhere.text();
    const stream = await fetch(harness.url('/mcp'), { headers: { accept: 'text/event-stream', ...headers } });
    expect(stream.status).toBe(404);
    await stream.text();
    const own = await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, headers);
    expect(own.status).toBe(200);
    await own.text();
  });

  it('answers an unknown server with 404 and JSON naming the known servers', async () => {
    for (const path of ['/mcp/nope', '/sse/nope', '/messages/nope?sessionId=x']) {
      const response = await fetch(harness.url(path), {
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
    const foreign = await rawHttp(harness.url('/mcp/probe'), { method: 'POST', headers: { ...headers, host: 'evil.example' }, body });
    expect(foreign.status).toBe(403);
    const local = await rawHttp(harness.url('/mcp/probe'), {
      method: 'POST',
      headers: { ...headers, host: `localhost:${harness.runtime.port}` },
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
      harness.runtime.supervisor.get('probe')!.status().pid,
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
    const deleted = await fetch(harness.url('/mcp/probe'), { method: 'DELETE', headers });
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
    const streamed = await fetch(harness.url('/mcp/probe'), {
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
    const target = new URL(harness.url('/mcp/probe'));
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
    socket.write(`${head}\r\n\r\n{"jsonrpc":"2.0","id":1,`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();

    const after = await post(toolCall(2, 'pid', {}), headers);
    expect(after.status).toBe(200);
    await after.text();
  });

  it('serves a request whose target is in absolute form (`POST http://host/mcp/<server>`)', async () => {
    const target = new URL(harness.url('/mcp/probe'));
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

interface ProbeRecord {
  cancelled: { label: string; reason: string }[];
  started: string[];
}

/** What the probe server of `h` has seen: block calls started and cancelled (asked straight, not through a session). */
async function probeRecord(h: Harness): Promise<ProbeRecord> {
  const response = await h.runtime.supervisor
    .get('probe')!
    .forward({ jsonrpc: '2.0', id: 'record', method: 'tools/call', params: { name: 'cancellations', arguments: {} } }, undefined);
  if (!response || !('result' in response)) throw new Error(`the probe did not answer: ${JSON.stringify(response)}`);
  return response.result.structuredContent as ProbeRecord;
}

/** Starts a `block` call whose connection the returned controller drops; resolves once the server runs it. */
async function blockingCall(
  h: Harness,
  headers: Record<string, string>,
  id: number,
  label: string,
): Promise<{ response: Promise<Response>; drop: AbortController }> {
  const drop = new AbortController();
  const response = fetch(h.url('/mcp/probe'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
    body: JSON.stringify(toolCall(id, 'block', { label })),
    signal: drop.signal,
  });
  response.catch(() => undefined);
  await pollFor(`${label} started upstream`, async () => ((await probeRecord(h)).started.includes(label) ? true : undefined));
  return { response, drop };
}

describe('a client that leaves before the JSON answer', () => {
  it('has its call cancelled upstream at once: nobody can get that answer any more', async () => {
    const headers = await openSession();
    const { drop } = await blockingCall(harness, headers, 61, 'left before JSON');
    drop.abort();
    const seen = await pollFor('the call is cancelled upstream', async () =>
      (await probeRecord(harness)).cancelled.find((entry) => entry.label === 'left before JSON'),
    );
    expect(seen.reason).toMatch(/the client disconnected before the answer/);
  });
});

describe('a call that takes longer than the switch to SSE', () => {
  /** Far longer than a resumption here takes, however loaded the machine. */
  const RESUME_GRACE_MS = 3_000;
  let quick: Harness;

  beforeAll(async () => {
    quick = await startHarness(
      { probe: fixtureServer(PROBE_SERVER_PATH) },
      { runtime: { streamAfterMs: 0, mcpLimits: { resumeGraceMs: RESUME_GRACE_MS } } },
    );
  });

  afterAll(async () => {
    await quick?.dispose();
  });

  it('becomes a primed SSE stream the client could resume, and ends when the call does', async () => {
    const send = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(quick.url('/mcp/probe'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
        body: JSON.stringify(body),
      });
    const opened = await send(initializeRequest('2025-11-25'));
    await opened.text();
    const headers = { 'mcp-session-id': opened.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    await (await send({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).text();
    const slow = await send(toolCall(51, 'block', { label: 'slow' }), headers);
    expect(slow.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = slow.body!.pipeThrough(new TextDecoderStream()).getReader();
    const { value } = await reader.read();
    expect(parseSse(value!)[0]).toMatchObject({
      id: expect.stringMatching(/\S/) as unknown,
      retry: expect.stringMatching(/^\d+$/) as unknown,
    });
    await (await send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 51 } }, headers)).text();
    for (;;) if ((await reader.read()).done) break;
  });

  /** An initialised 2025-11-25 session on `quick`. */
  const quickSession = async (): Promise<Record<string, string>> => {
    const opened = await fetch(quick.url('/mcp/probe'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH },
      body: JSON.stringify(initializeRequest('2025-11-25')),
    });
    await opened.text();
    const headers = { 'mcp-session-id': opened.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    await (
      await fetch(quick.url('/mcp/probe'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      })
    ).text();
    return headers;
  };

  it('cancels upstream the call of a client that dropped its stream and did not resume it within the grace', async () => {
    const headers = await quickSession();
    const { drop } = await blockingCall(quick, headers, 71, 'dropped for good');
    drop.abort();
    const seen = await pollFor(
      'the call is cancelled upstream',
      async () => (await probeRecord(quick)).cancelled.find((entry) => entry.label === 'dropped for good'),
      RESUME_GRACE_MS + 10_000,
    );
    expect(seen.reason).toMatch(/the client disconnected and did not resume within 3000 ms/);
  });

  it('leaves the call of a client that resumed its stream within the grace running, on the resumed stream', async () => {
    const headers = await quickSession();
    const { response, drop } = await blockingCall(quick, headers, 72, 'resumed');
    const reader = (await response).body!.pipeThrough(new TextDecoderStream()).getReader();
    const priming = parseSse((await reader.read()).value!)[0]!;
    await reader.cancel();
    drop.abort();
    // As a client would, it tries again while the daemon has not yet seen the old connection go (409).
    const resumed = await pollFor('the stream is resumed', async () => {
      const attempt = await fetch(quick.url('/mcp/probe'), {
        headers: { accept: 'text/event-stream', 'last-event-id': priming.id!, ...headers },
      });
      if (attempt.status === 200) return attempt;
      expect(attempt.status).toBe(409);
      await attempt.body?.cancel();
      return undefined;
    });
    // Past the grace, the call still runs: the client came back.
    await new Promise((resolve) => setTimeout(resolve, RESUME_GRACE_MS + 500));
    expect((await probeRecord(quick)).cancelled.map((entry) => entry.label)).not.toContain('resumed');
    await (
      await fetch(quick.url('/mcp/probe'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT_BOTH, ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 72, reason: 'done waiting' } }),
      })
    ).text();
    const seen = await pollFor('the client’s own cancel reaches the server', async () =>
      (await probeRecord(quick)).cancelled.find((entry) => entry.label === 'resumed'),
    );
    expect(seen.reason).toMatch(/done waiting/);
    await resumed.body?.cancel();
  });
});

describe('reused JSON-RPC ids', () => {
  const INVALID_REQUEST = -32600;

  it('answers a duplicate id inside one batch at once with an invalid-request error, and the first as usual', async () => {
    const headers = await openSession();
    const response = await post(
      [toolCall(21, 'count', { label: 'first', steps: 1 }), toolCall(21, 'count', { label: 'again', steps: 1 })],
      { ...headers, accept: 'application/json' },
    );
    expect(response.status).toBe(200);
    const answers = (await response.json()) as { id: number; result?: unknown; error?: { code: number; message: string } }[];
    expect(answers).toHaveLength(2);
    expect(answers.find((answer) => answer.result)).toEqual({
      jsonrpc: '2.0',
      id: 21,
      result: { content: [{ type: 'text', text: 'first' }] },
    });
    expect(answers.find((answer) => answer.error)).toMatchObject({
      id: 21,
      error: { code: INVALID_REQUEST, message: expect.stringContaining('21') as unknown },
    });
  });

  it('answers a POST whose id is still in flight on the session at once, and leaves the first call alone', async () => {
    const headers = await openSession('2025-11-25');
    const first = await post(toolCall(31, 'block', { label: 'dup-first' }, 'dup-progress'), headers);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = first.body!.pipeThrough(new TextDecoderStream()).getReader();
    let streamed = '';
    // The server reports progress once the first call reached it: from then on id 31 is in flight.
    while (!streamed.includes('started dup-first')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the first call's stream ended early: ${streamed}`);
      streamed += value;
    }
    const second = await post(toolCall(31, 'count', { label: 'dup-second', steps: 1 }), headers);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ id: 31, error: { code: INVALID_REQUEST } });
    const cancelled = await post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 31, reason: 'test' } }, headers);
    expect(cancelled.status).toBe(202);
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
  });
});

describe('legacy SSE endpoint, raw', () => {
  /** Opens `GET /sse/probe` and returns the POST URL it names, the stream's further events, and a way to close it. */
  async function openLegacy(): Promise<{ messages: URL; close: () => void; next: () => Promise<{ event?: string; data: string }> }> {
    const controller = new AbortController();
    const response = await fetch(harness.url('/sse/probe'), { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the SSE stream ended before the endpoint event');
      text += value;
    }
    const [endpoint] = parseSse(text.slice(0, text.indexOf('\n\n') + 2));
    expect(endpoint?.event).toBe('endpoint');
    let rest = text.slice(text.indexOf('\n\n') + 2);
    const next = async (): Promise<{ event?: string; data: string }> => {
      while (!rest.includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the SSE stream ended');
        rest += value;
      }
      const end = rest.indexOf('\n\n') + 2;
      const [event] = parseSse(rest.slice(0, end));
      rest = rest.slice(end);
      return event!;
    };
    return { messages: harness.url(endpoint!.data), close: () => controller.abort(), next };
  }

  it('answers a session of another endpoint with 404', async () => {
    const session = await openLegacy();
    try {
      const elsewhere = await post(initializeRequest('2024-11-05'), {}, `/messages${session.messages.search}`);
      expect(elsewhere.status).toBe(404);
      await elsewhere.text();
    } finally {
      session.close();
    }
  });

  it('answers a reused id at once with an invalid-request error, and the first request as usual', async () => {
    const session = await openLegacy();
    try {
      const path = `${session.messages.pathname}${session.messages.search}`;
      expect((await post(initializeRequest('2024-11-05'), {}, path)).status).toBe(202);
      await session.next();
      const accepted = await post(
        [toolCall(41, 'count', { label: 'first', steps: 1 }), toolCall(41, 'count', { label: 'again', steps: 1 })],
        {},
        path,
      );
      expect(accepted.status).toBe(202);
      const answers = [JSON.parse((await session.next()).data), JSON.parse((await session.next()).data)] as {
        id: number;
        result?: unknown;
        error?: { code: number };
      }[];
      expect(answers.find((answer) => answer.error)).toMatchObject({ id: 41, error: { code: -32600 } });
      expect(answers.find((answer) => answer.result)).toMatchObject({ id: 41, result: { content: [{ type: 'text', text: 'first' }] } });
    } finally {
      session.close();
    }
  });

  it('answers a POST without a sessionId with 400 and one with an unknown sessionId with 404', async () => {
    const missing = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, {}, '/messages/probe');
    expect(missing.status).toBe(400);
    await missing.text();
    const unknown = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, {}, `/messages/probe?sessionId=${randomUUID()}`);
    expect(unknown.status).toBe(404);
    await unknown.text();
  });

  it('answers malformed JSON with -32700, a non-JSON-RPC value with -32600 and an oversized body with 413', async () => {
    const session = await openLegacy();
    try {
      const path = `${session.messages.pathname}${session.messages.search}`;
      const malformed = await post('{"jsonrpc":', {}, path);
      expect(malformed.status).toBe(400);
      expect((await rpcError(malformed)).error.code).toBe(-32700);
      const invalid = await post({ hello: 'world' }, {}, path);
      expect(invalid.status).toBe(400);
      expect((await rpcError(invalid)).error.code).toBe(-32600);
      const oversized = await post(
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { padding: 'x'.repeat(MAX_BODY_BYTES) } }),
        {},
        path,
      );
      expect(oversized.status).toBe(413);
      await oversized.text();
      const fine = await post(initializeRequest('2024-11-05'), {}, path);
      expect(fine.status).toBe(202);
      await fine.text();
    } finally {
      session.close();
    }
  });
});
